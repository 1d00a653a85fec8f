/* SPDX-License-Identifier: MIT */
/*
 * Property 4: a per-CPU pool runs one non-blocking item at a time in FIFO
 * order; when that item blocks (in a library wait, or between
 * cmwq_worker_sleeping() and cmwq_worker_running()), the next starts
 * promptly; a worker only takes a new item while it is the pool's only
 * running worker.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>

#include "harness.h"

#define NITEMS 256

static int the_cpu;
static atomic_int running;
static atomic_int overlaps;
static atomic_int wrong_cpu;
static atomic_int seq;

struct item {
	struct work_struct work;
	int id;
	int order;
};

static struct item items[NITEMS];

static void fifo_fn(struct work_struct *w)
{
	struct item *it = container_of(w, struct item, work);
	volatile int spin;

	if (atomic_fetch_add(&running, 1) != 0)
		atomic_fetch_add(&overlaps, 1);
	if (cmwq_current_cpu() != the_cpu)
		atomic_fetch_add(&wrong_cpu, 1);
	it->order = atomic_fetch_add(&seq, 1);
	for (spin = 0; spin < 2000; spin++)
		;
	atomic_fetch_sub(&running, 1);
}

static void fifo_on(struct workqueue_struct *wq, int cpu)
{
	int i, n = HARNESS_SANITIZED ? NITEMS / 4 : NITEMS, round;

	the_cpu = cpu;
	for (round = 0; round < 4; round++) {
		atomic_store(&running, 0);
		atomic_store(&overlaps, 0);
		atomic_store(&wrong_cpu, 0);
		atomic_store(&seq, 0);
		for (i = 0; i < n; i++) {
			items[i].id = i;
			items[i].order = -1;
			INIT_WORK(&items[i].work, fifo_fn);
		}
		for (i = 0; i < n; i++)
			CHECK(queue_work_on(cpu, wq, &items[i].work));
		flush_workqueue(wq);
		CHECK_EQ(atomic_load(&seq), n);
		for (i = 0; i < n; i++)
			CHECK_EQ(items[i].order, i);
		CHECK_EQ(atomic_load(&overlaps), 0);
		CHECK_EQ(atomic_load(&wrong_cpu), 0);
	}
}

static void test_fifo_one_at_a_time(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p4", WQ_PERCPU, 0);
	int cpu, k;

	CHECK(wq);
	for (k = 0; (cpu = harness_cpu(k)) >= 0 && k < 4; k++)
		fifo_on(wq, cpu);
	fifo_on(system_percpu_wq, harness_cpu(0));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* --- the running item blocks: the next one starts before it wakes --- */
static struct completion a_release, b_done;
static atomic_int a_started, a_finished, b_ran, b_saw_a_finished;
static sem_t a_sem;

static void a_completion_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&a_started, 1);
	wait_for_completion(&a_release);
	atomic_store(&a_finished, 1);
}

static void a_hook_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&a_started, 1);
	cmwq_worker_sleeping();
	while (sem_wait(&a_sem) != 0)
		;
	cmwq_worker_running();
	atomic_store(&a_finished, 1);
}

static void b_fn(struct work_struct *w)
{
	(void)w;
	if (atomic_load(&a_finished))
		atomic_store(&b_saw_a_finished, 1);
	atomic_store(&b_ran, 1);
	complete(&b_done);
}

static void block_then_next(work_func_t afn, bool use_sem)
{
	struct workqueue_struct *wq = alloc_workqueue("p4blk", WQ_PERCPU, 0);
	struct work_struct a, b;
	int cpu = harness_cpu(0);

	CHECK(wq);
	atomic_store(&a_started, 0);
	atomic_store(&a_finished, 0);
	atomic_store(&b_ran, 0);
	atomic_store(&b_saw_a_finished, 0);
	init_completion(&a_release);
	init_completion(&b_done);
	CHECK(!sem_init(&a_sem, 0, 0));
	INIT_WORK(&a, afn);
	INIT_WORK(&b, b_fn);
	CHECK(queue_work_on(cpu, wq, &a));
	CHECK(queue_work_on(cpu, wq, &b));
	/* b must run while a is still blocked. */
	CHECK(cmwq_wait_for_completion_timeout_ns(
		&b_done, HARNESS_SLOW(10) * 1000000000ull));
	CHECK(atomic_load(&a_started));
	CHECK(!atomic_load(&a_finished));
	CHECK(!atomic_load(&b_saw_a_finished));
	if (use_sem)
		CHECK(!sem_post(&a_sem));
	else
		complete(&a_release);
	flush_workqueue(wq);
	CHECK(atomic_load(&a_finished));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	sem_destroy(&a_sem);
}

static void test_block_completion(void)
{
	block_then_next(a_completion_fn, false);
}

static void test_block_hooks(void)
{
	block_then_next(a_hook_fn, true);
}

/*
 * Two items block and wake: both workers now run.  A third item queued
 * meanwhile must wait until only one running worker is left, that is
 * until both running items have returned (a worker takes a new item only
 * while it is the pool's only running worker).
 */
static struct completion x_wait, y_wait;
static atomic_int x_awake, y_awake, x_may_end, y_may_end, x_end, y_end;
static atomic_int c_started, c_saw_x_end, c_saw_y_end;

static atomic_int too_long;

static unsigned long long thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/*
 * Spin (running, not blocked) until @flag is set.  Past ~8 ms of CPU the
 * item may count as CPU intensive (property 11) and stop holding the pool:
 * the checks below are then inconclusive, not failed.
 */
static void spin_until(atomic_int *flag)
{
	unsigned long long t0 = thread_cpu_ns();

	while (!atomic_load(flag))
		if (thread_cpu_ns() - t0 > 8000000ull)
			atomic_store(&too_long, 1);
}

static void x_fn(struct work_struct *w)
{
	(void)w;
	wait_for_completion(&x_wait);
	atomic_store(&x_awake, 1);
	spin_until(&x_may_end);
	atomic_store(&x_end, 1);
}

static void y_fn(struct work_struct *w)
{
	(void)w;
	wait_for_completion(&y_wait);
	atomic_store(&y_awake, 1);
	spin_until(&y_may_end);
	atomic_store(&y_end, 1);
}

static void c_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&c_saw_x_end, atomic_load(&x_end));
	atomic_store(&c_saw_y_end, atomic_load(&y_end));
	atomic_store(&c_started, 1);
}

/* Sleepy items: the monitor learns that the pool's items sleep. */
#define NSLEEPY 64
static struct work_struct sleepy[NSLEEPY];

static void sleepy_fn(struct work_struct *w)
{
	(void)w;
	harness_sleep_ms(2);
}

/* The largest in-flight target of @cpu's pools (normal and highpri). */
static unsigned int cpu_inflight_target(int cpu)
{
	struct cmwq_pool_stats ps;
	unsigned int most = 0;
	int i, n = cmwq_nr_pools();

	for (i = 0; i < n; i++)
		if (!cmwq_get_pool_stats(i, &ps) && ps.cpu == cpu &&
		    ps.inflight_target > most)
			most = ps.inflight_target;
	return most;
}

/*
 * Queue sleepy items on @cpu until its pool's in-flight target is over 1,
 * as a pool whose items sleep learns (Little's law, src/detect.c), which
 * must not change property 4.  Returns false where it never rises (the
 * monitor does not sample blocks here).
 */
static bool learn_sleepy(struct workqueue_struct *wq, int cpu)
{
	int round, i;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < NSLEEPY; i++) {
			INIT_WORK(&sleepy[i], sleepy_fn);
			queue_work_on(cpu, wq, &sleepy[i]);
		}
		flush_workqueue(wq);
		if (cpu_inflight_target(cpu) > 1)
			return true;
	}
	return false;
}

static void only_running_worker_takes(bool learned)
{
	struct workqueue_struct *wq = alloc_workqueue("p4two", WQ_PERCPU, 0);
	struct work_struct x, y, c;
	int cpu = harness_cpu(0), early;

	if (harness_cpu(1) < 0) {
		/* Two spinning workers on one CPU would take turns slowly. */
		fprintf(stderr, "test: 1 CPU, skipped\n");
		return;
	}
	CHECK(wq);
	if (learned && !learn_sleepy(wq, cpu)) {
		fprintf(stderr, "test: target never rose, skipped\n");
		CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
		return;
	}
	init_completion(&x_wait);
	init_completion(&y_wait);
	atomic_store(&x_awake, 0);
	atomic_store(&y_awake, 0);
	atomic_store(&x_may_end, 0);
	atomic_store(&y_may_end, 0);
	atomic_store(&x_end, 0);
	atomic_store(&y_end, 0);
	atomic_store(&c_started, 0);
	atomic_store(&too_long, 0);
	INIT_WORK(&x, x_fn);
	INIT_WORK(&y, y_fn);
	INIT_WORK(&c, c_fn);
	CHECK(queue_work_on(cpu, wq, &x));
	CHECK(queue_work_on(cpu, wq, &y));
	CHECK(WAIT_UNTIL(work_busy(&y) & WORK_BUSY_RUNNING,
			 HARNESS_SLOW(5000)));
	CHECK(WAIT_UNTIL(work_busy(&x) & WORK_BUSY_RUNNING,
			 HARNESS_SLOW(5000)));
	/* Both blocked in a library wait: wake both. */
	complete(&x_wait);
	complete(&y_wait);
	CHECK(WAIT_UNTIL(atomic_load(&x_awake) && atomic_load(&y_awake),
			 HARNESS_SLOW(5000)));
	CHECK(queue_work_on(cpu, wq, &c));
	harness_sleep_ms(2);
	early = atomic_load(&c_started);
	atomic_store(&x_may_end, 1);
	CHECK(WAIT_UNTIL(atomic_load(&x_end), HARNESS_SLOW(5000)));
	harness_sleep_ms(2);
	/* x's worker is not the only running one (y runs): it must not. */
	early |= atomic_load(&c_started);
	atomic_store(&y_may_end, 1);
	flush_workqueue(wq);
	CHECK(atomic_load(&c_started));
	if (atomic_load(&too_long)) {
		fprintf(stderr, "test: items ran > 8 ms CPU, inconclusive\n");
	} else {
		CHECK(!early);
		CHECK(atomic_load(&c_saw_x_end));
		CHECK(atomic_load(&c_saw_y_end));
	}
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_only_running_worker_takes(void)
{
	only_running_worker_takes(false);
}

/*
 * The same once the pool learned that its items sleep: the worker whose
 * item returned while another still ran took the next item (keep_working()
 * let a bound pool's workers run up to the learned target).
 */
static void test_only_running_worker_takes_learned(void)
{
	only_running_worker_takes(true);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_fifo_one_at_a_time);
	RUN_TEST(test_block_completion);
	RUN_TEST(test_block_hooks);
	RUN_TEST(test_only_running_worker_takes);
	RUN_TEST(test_only_running_worker_takes_learned);
	return 0;
}
