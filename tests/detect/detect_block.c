// SPDX-License-Identifier: MIT
/*
 * detect_block.c - blocked and CPU-hogging workers are noticed without
 * annotations (issue 4; DESIGN.md properties 4 and 11)
 *
 * Run once per detection layer (CMWQ_DETECT=perf, proc): an item that
 * blocks in nanosleep, read on a pipe, a futex wait, a contended
 * pthread_mutex_lock or poll lets the next item of its bound pool start
 * before it wakes; an item spinning past the CPU-intensive threshold lets
 * the next one start; CPU-bound items shorter than the threshold never
 * overlap, also while another process competes for the CPU; WQ_CPU_INTENSIVE
 * items never hold up the pool; items that sleep most of their time raise
 * the in-flight target of an unbound pool and of a bound one, and
 * CPU-bound items still never overlap after that.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include "harness.h"

#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum { BLOCK_NANOSLEEP, BLOCK_PIPE, BLOCK_FUTEX, BLOCK_MUTEX, BLOCK_POLL,
       BLOCK_NR };
static const char *const block_names[BLOCK_NR] = {
	"nanosleep", "pipe read", "futex wait", "contended mutex", "poll",
};

static atomic_int release; /* main -> blocker: stop blocking */
static atomic_int blocker_in; /* blocker entered its blocking call */
static atomic_int next_started; /* the item behind it ran */
static atomic_uint futex_word;
static pthread_mutex_t contended = PTHREAD_MUTEX_INITIALIZER;
static int pipefd[2];
static int kind;

static void blocker_fn(struct work_struct *w)
{
	char c;
	struct pollfd pfd;

	(void)w;
	atomic_store(&blocker_in, 1);
	switch (kind) {
	case BLOCK_NANOSLEEP:
		while (!atomic_load(&release)) {
			struct timespec ts = { 0, 2000000 };

			nanosleep(&ts, NULL);
		}
		break;
	case BLOCK_PIPE:
		CHECK(read(pipefd[0], &c, 1) == 1);
		break;
	case BLOCK_FUTEX:
		while (!atomic_load(&release))
			syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0,
				NULL, NULL, 0);
		break;
	case BLOCK_MUTEX:
		pthread_mutex_lock(&contended);
		pthread_mutex_unlock(&contended);
		break;
	case BLOCK_POLL:
		pfd.fd = pipefd[0];
		pfd.events = POLLIN;
		CHECK(poll(&pfd, 1, -1) == 1);
		CHECK(read(pipefd[0], &c, 1) == 1);
		break;
	}
}

static void next_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&next_started, 1);
}

static void unblock(void)
{
	atomic_store(&release, 1);
	switch (kind) {
	case BLOCK_PIPE:
	case BLOCK_POLL:
		CHECK(write(pipefd[1], "x", 1) == 1);
		break;
	case BLOCK_FUTEX:
		atomic_store(&futex_word, 1);
		syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL,
			NULL, 0);
		break;
	case BLOCK_MUTEX:
		pthread_mutex_unlock(&contended);
		break;
	}
}

/* An item blocked in each system call lets the next item start. */
static void test_blocked_syscalls(void)
{
	struct workqueue_struct *wq = alloc_workqueue("detect", WQ_PERCPU, 0);
	struct work_struct blocker, next;

	CHECK(wq);
	CHECK(pipe(pipefd) == 0);
	for (kind = 0; kind < BLOCK_NR; kind++) {
		fprintf(stderr, "test:   blocked in %s\n", block_names[kind]);
		atomic_store(&release, 0);
		atomic_store(&blocker_in, 0);
		atomic_store(&next_started, 0);
		atomic_store(&futex_word, 0);
		if (kind == BLOCK_MUTEX)
			pthread_mutex_lock(&contended);
		INIT_WORK(&blocker, blocker_fn);
		INIT_WORK(&next, next_fn);
		CHECK(queue_work_on(0, wq, &blocker));
		CHECK(WAIT_UNTIL(atomic_load(&blocker_in), 10000));
		CHECK(queue_work_on(0, wq, &next));
		/*
		 * The blocker stays blocked until the next item ran: if the
		 * pool never notices, this wait fails.
		 */
		CHECK(WAIT_UNTIL(atomic_load(&next_started), 10000));
		unblock();
		CHECK(flush_work(&blocker) || !work_busy(&blocker));
		flush_work(&next);
	}
	close(pipefd[0]);
	close(pipefd[1]);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static atomic_int hog_stop;
static atomic_int in_flight, max_in_flight;

static void hog_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&blocker_in, 1);
	/* Spin on the CPU, never sleeping, until the next item ran. */
	while (!atomic_load(&hog_stop))
		;
}

/*
 * A CPU hog queued on @hog_wq (CPU 0) spins until an item queued behind
 * it on @next_wq (CPU 0) has started: fails if that never happens.
 */
static void hog_then_next(struct workqueue_struct *hog_wq,
			  struct workqueue_struct *next_wq,
			  unsigned int wait_ms)
{
	struct work_struct hog, next;

	atomic_store(&hog_stop, 0);
	atomic_store(&blocker_in, 0);
	atomic_store(&next_started, 0);
	INIT_WORK(&hog, hog_fn);
	INIT_WORK(&next, next_fn);
	CHECK(queue_work_on(0, hog_wq, &hog));
	CHECK(WAIT_UNTIL(atomic_load(&blocker_in), 10000));
	CHECK(queue_work_on(0, next_wq, &next));
	CHECK(WAIT_UNTIL(atomic_load(&next_started), wait_ms));
	atomic_store(&hog_stop, 1);
	flush_work(&hog);
	flush_work(&next);
}

/* An item spinning past the threshold lets the next one start. */
static void test_cpu_hog(void)
{
	struct workqueue_struct *wq = alloc_workqueue("hog", WQ_PERCPU, 0);

	CHECK(wq);
	cmwq_set_cpu_intensive_thresh_us(5000);
	hog_then_next(wq, wq, 20000);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	cmwq_set_cpu_intensive_thresh_us(10000);
}

static void busy_fn(struct work_struct *w)
{
	unsigned long long start = harness_thread_cpu_ns();
	int n = atomic_fetch_add(&in_flight, 1) + 1;
	int m = atomic_load(&max_in_flight);

	(void)w;
	while (n > m && !atomic_compare_exchange_weak(&max_in_flight, &m, n))
		;
	/* 2 ms of CPU: well under the 10 ms threshold. */
	while (harness_thread_cpu_ns() - start < 2000000ull)
		;
	atomic_fetch_sub(&in_flight, 1);
}

/*
 * CPU-bound items shorter than the threshold run one at a time on a bound
 * pool: preemption is not blocking.  @compete: a child process spins on
 * the same CPU meanwhile.
 */
static void run_no_overlap(bool compete)
{
	struct workqueue_struct *wq = alloc_workqueue("busy", WQ_PERCPU, 0);
	struct work_struct items[20];
	pid_t child = -1;
	int i;

	CHECK(wq);
	if (compete) {
		child = fork();
		CHECK(child >= 0);
		if (child == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(0, &set);
			sched_setaffinity(0, sizeof(set), &set);
			for (;;)
				;
		}
	}
	atomic_store(&max_in_flight, 0);
	for (i = 0; i < 20; i++) {
		INIT_WORK(&items[i], busy_fn);
		CHECK(queue_work_on(0, wq, &items[i]));
	}
	flush_workqueue(wq);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	CHECK_EQ(atomic_load(&max_in_flight), 1);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_no_false_blocking(void)
{
	run_no_overlap(false);
}

static void test_no_false_blocking_competing(void)
{
	run_no_overlap(true);
}

/*
 * Items that sleep most of their time (2 ms asleep, 0.2 ms on the CPU)
 * teach a pool to keep several in flight (Little's law, policy.c): its
 * in-flight target grows past its running target, within the cap of 128
 * per CPU, on an unbound pool and on a bound one.  CPU-bound items queued
 * on the bound pool afterwards still never overlap: none of them blocks,
 * so no second worker starts while one runs.
 */
static atomic_int sleepy_in_flight, sleepy_max;

static void sleepy_fn(struct work_struct *w)
{
	struct timespec ts = { 0, 2000000 };
	unsigned long long start;
	int n = atomic_fetch_add(&sleepy_in_flight, 1) + 1;
	int m = atomic_load(&sleepy_max);

	(void)w;
	while (n > m && !atomic_compare_exchange_weak(&sleepy_max, &m, n))
		;
	nanosleep(&ts, NULL);
	start = harness_thread_cpu_ns();
	while (harness_thread_cpu_ns() - start < 200000ull)
		;
	atomic_fetch_sub(&sleepy_in_flight, 1);
}

/*
 * The id of the normal-priority unbound pool that has run an item, or of
 * CPU 0's normal-priority pool.
 */
static int pool_of(bool unbound)
{
	struct cmwq_pool_stats st;
	int i;

	for (i = 0; i < cmwq_nr_pools(); i++)
		if (cmwq_get_pool_stats(i, &st) == 0 &&
		    (unbound ? st.cpu < 0 && st.nice == 0 && st.items_started :
			       st.cpu == 0 && !st.highpri))
			return i;
	return -1;
}

static int cpu0_pool_id(void)
{
	return pool_of(false);
}

static atomic_int sampling;
static atomic_uint target_max;

/*
 * The in-flight target of pool @id, or with @id < 0 the highest of every
 * normal-priority unbound pool (a host with an L3 per CPU has a pod per
 * CPU; harness_unbound_target()).
 */
static unsigned int pool_target(int id)
{
	struct cmwq_pool_stats st;

	if (id >= 0)
		return cmwq_get_pool_stats(id, &st) == 0 ? st.inflight_target :
							    0;
	return harness_unbound_target();
}

/* The in-flight target, at its highest while the items run. */
static void *sample_target(void *arg)
{
	int id = *(int *)arg;

	while (atomic_load(&sampling)) {
		unsigned int target = pool_target(id);

		if (target > atomic_load(&target_max))
			atomic_store(&target_max, target);
		harness_sleep_ms(1);
	}
	return NULL;
}

/* Queue 300 sleepy items on @wq; sample pool @id's target meanwhile. */
static void run_sleepy(struct workqueue_struct *wq, bool on_cpu0, int id)
{
	static struct work_struct items[300];
	pthread_t sampler;
	int i;

	atomic_store(&sleepy_max, 0);
	atomic_store(&target_max, 0);
	atomic_store(&sampling, 1);
	CHECK_EQ(pthread_create(&sampler, NULL, sample_target, &id), 0);
	for (i = 0; i < 300; i++) {
		INIT_WORK(&items[i], sleepy_fn);
		CHECK(on_cpu0 ? queue_work_on(0, wq, &items[i]) :
				queue_work(wq, &items[i]));
	}
	flush_workqueue(wq);
	atomic_store(&sampling, 0);
	pthread_join(sampler, NULL);
	fprintf(stderr, "test:   in-flight target up to %u, most in flight %d\n",
		atomic_load(&target_max), atomic_load(&sleepy_max));
}

/* Run one item on unbound @ub: some unbound pool has run an item since. */
static void run_one_unbound(struct workqueue_struct *ub)
{
	struct work_struct first;

	INIT_WORK(&first, sleepy_fn);
	CHECK(queue_work(ub, &first));
	flush_work(&first);
	CHECK(pool_of(true) >= 0);
}

static void test_sleepy_items_stay_in_flight(void)
{
	struct workqueue_struct *ub = alloc_workqueue("sleepy-u", WQ_UNBOUND, 0);
	struct workqueue_struct *wq = alloc_workqueue("sleepy", WQ_PERCPU, 0);
	int id;

	CHECK(ub && wq);
	run_one_unbound(ub);
	run_sleepy(ub, false, -1);
	CHECK(atomic_load(&target_max) >= 3);
	CHECK(atomic_load(&target_max) <= 128u * (unsigned int)cmwq_nr_cpus());
	CHECK(atomic_load(&sleepy_max) >= 3);

	id = cpu0_pool_id();
	CHECK(id >= 0);
	run_sleepy(wq, true, id);
	CHECK(atomic_load(&target_max) >= 3);
	CHECK(atomic_load(&target_max) <= 128u);
	CHECK(atomic_load(&sleepy_max) >= 3);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	CHECK_EQ(cmwq_destroy_workqueue(ub), 0);
	/* Still the kernel's rules on the bound pool. */
	run_no_overlap(false);
}

/*
 * Forward progress in a pool that learned its items sleep: it starts no
 * worker at once when every item in flight is asleep and it has as many
 * in flight as its target allows, but it must still start one -- here the
 * last item, which every other item waits for, and which only runs if the
 * pool starts a worker beyond its in-flight target.
 */
static struct completion gate;
static atomic_int gate_passed;

static void gated_fn(struct work_struct *w)
{
	(void)w;
	wait_for_completion(&gate);
	atomic_fetch_add(&gate_passed, 1);
}

static void opener_fn(struct work_struct *w)
{
	(void)w;
	complete_all(&gate);
}

static void test_full_pool_still_progresses(void)
{
	struct workqueue_struct *ub = alloc_workqueue("gated", WQ_UNBOUND, 0);
	static struct work_struct gated[80];
	struct work_struct opener;
	unsigned int i, n;

	CHECK(ub);
	run_one_unbound(ub);
	run_sleepy(ub, false, -1);
	/* More than any pod's pool lets in flight: the opener must wait. */
	n = atomic_load(&target_max) + 2u * (unsigned int)cmwq_nr_cpus() + 4;
	if (n > 80)
		n = 80;
	init_completion(&gate);
	atomic_store(&gate_passed, 0);
	for (i = 0; i < n; i++) {
		INIT_WORK(&gated[i], gated_fn);
		CHECK(queue_work(ub, &gated[i]));
	}
	INIT_WORK(&opener, opener_fn);
	CHECK(queue_work(ub, &opener));
	flush_workqueue(ub);
	CHECK_EQ(atomic_load(&gate_passed), (int)n);
	CHECK_EQ(cmwq_destroy_workqueue(ub), 0);
}

/*
 * A worker waiting for its pool's lock is not a blocked item: with another
 * thread taking the lock over and over (as the monitor and stats readers
 * do), CPU-bound items of a bound pool still run one at a time, in order.
 * (Regression: the monitor took such a wait for a block and started a
 * second worker, which overtook the item the first had just taken.)
 */
static atomic_int hammering;

static void *hammer_pool_lock(void *arg)
{
	int id = *(int *)arg;
	struct cmwq_pool_stats st;

	while (atomic_load(&hammering))
		cmwq_get_pool_stats(id, &st);
	return NULL;
}

static atomic_int fifo_next, fifo_wrong;

struct fifo_item {
	struct work_struct work;
	int seq;
};

static void fifo_fn(struct work_struct *w)
{
	struct fifo_item *it = container_of(w, struct fifo_item, work);
	int n = atomic_fetch_add(&in_flight, 1) + 1;
	int m = atomic_load(&max_in_flight);
	volatile int spin;

	while (n > m && !atomic_compare_exchange_weak(&max_in_flight, &m, n))
		;
	if (atomic_fetch_add(&fifo_next, 1) != it->seq)
		atomic_fetch_add(&fifo_wrong, 1);
	for (spin = 0; spin < 2000; spin++)
		;
	atomic_fetch_sub(&in_flight, 1);
}

static void test_lock_wait_is_not_blocking(void)
{
	struct workqueue_struct *wq = alloc_workqueue("lockwait", WQ_PERCPU, 0);
	static struct fifo_item items[2000];
	pthread_t hammer;
	int i, round, id = cpu0_pool_id();

	CHECK(wq);
	CHECK(id >= 0);
	atomic_store(&hammering, 1);
	CHECK_EQ(pthread_create(&hammer, NULL, hammer_pool_lock, &id), 0);
	for (round = 0; round < 20; round++) {
		atomic_store(&fifo_next, 0);
		atomic_store(&fifo_wrong, 0);
		atomic_store(&max_in_flight, 0);
		for (i = 0; i < 2000; i++) {
			items[i].seq = i;
			INIT_WORK(&items[i].work, fifo_fn);
			CHECK(queue_work_on(0, wq, &items[i].work));
		}
		flush_workqueue(wq);
		CHECK_EQ(atomic_load(&fifo_wrong), 0);
		CHECK_EQ(atomic_load(&max_in_flight), 1);
	}
	atomic_store(&hammering, 0);
	pthread_join(hammer, NULL);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* WQ_CPU_INTENSIVE items never hold up their pool. */
static void test_cpu_intensive_flag(void)
{
	struct workqueue_struct *wq =
		alloc_workqueue("intensive", WQ_PERCPU | WQ_CPU_INTENSIVE, 0);
	struct workqueue_struct *other = alloc_workqueue("other", WQ_PERCPU, 0);

	CHECK(wq && other);
	hog_then_next(wq, other, 10000);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	CHECK_EQ(cmwq_destroy_workqueue(other), 0);
}

/*
 * One block, one uncount: each of 100 items that sleeps once (2 ms) while
 * items wait behind it is found blocked once.  Before, the manager's
 * deferred look at a worker already found blocked said "running" and
 * counted it again, and the next look uncounted it a second time:
 * nr_running one too high meanwhile, about 1.8 wake-ups per item.
 */
static void once_fn(struct work_struct *w)
{
	(void)w;
	nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
}

static void test_one_block_one_wakeup(void)
{
	struct workqueue_struct *wq = alloc_workqueue("once", WQ_PERCPU, 0);
	static struct work_struct items[100];
	struct cmwq_wq_stats st;
	int i;

	CHECK(wq);
	for (i = 0; i < 100; i++) {
		INIT_WORK(&items[i], once_fn);
		CHECK(queue_work_on(0, wq, &items[i]));
	}
	flush_workqueue(wq);
	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	fprintf(stderr, "test:   %llu wake-ups for 100 blocks\n",
		st.cm_wakeups);
	CHECK(st.cm_wakeups >= 50);
	CHECK(st.cm_wakeups <= 110);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(240);
	fprintf(stderr, "test: detection layer %d (1 perf, 2 proc)\n",
		cmwq_detect_mode());
	CHECK(cmwq_detect_mode() != CMWQ_DETECT_OFF);
	RUN_TEST(test_blocked_syscalls);
	RUN_TEST(test_cpu_hog);
	RUN_TEST(test_no_false_blocking);
	RUN_TEST(test_no_false_blocking_competing);
	RUN_TEST(test_cpu_intensive_flag);
	RUN_TEST(test_sleepy_items_stay_in_flight);
	RUN_TEST(test_one_block_one_wakeup);
	RUN_TEST(test_lock_wait_is_not_blocking);
	RUN_TEST(test_full_pool_still_progresses);
	return 0;
}
