// SPDX-License-Identifier: MIT
/*
 * Property 15: no item waits behind blocked work.  When every item in
 * flight is blocked -- on a completion, in a plain system call -- or
 * runs on the CPU past the CPU-intensive threshold, the pool starts the
 * items queued behind them, whatever the pattern:
 *
 *   completion  N items each wait for a completion that item N+1, queued
 *               last, completes (kernel/async.c's pattern), on an unbound
 *               and a per-CPU workqueue, N = 1000 (200 when sanitized)
 *   syscall     the same with the waiters blocked in read() on a pipe
 *               that the last item writes: found by the detection layer
 *               (skipped when it is off)
 *   polling     N items each poll a flag that item N+1 sets, sleeping
 *               1 ms between looks (while (!done) msleep(1)): brief
 *               timed sleeps, which a pool full in flight waits out rather
 *               than start a worker for (property 16), but only one per
 *               item, so the last item still starts; N = 150 (75 when
 *               sanitized), more than a 2-CPU pool kept in flight for
 *               such items before (34), when they waited for good
 *   hogs        a short item behind two CPU-bound items per CPU on an
 *               unbound workqueue: it runs while they still spin, and
 *               (in one of three tries) before the second half of them
 *               is found CPU intensive: the pool starts items beside the
 *               hogs once they hold every CPU (without that, it waited
 *               for a third of 4 to be found); no "consider switching
 *               to WQ_UNBOUND" for unbound items
 *
 * A waiter gives up after 60 s and the test fails: a pool that never
 * starts the last item fails, it does not hang.  Each case prints how
 * long the last item took to start (a figure, not an assertion; the
 * latencies are measured in bench/ as cmwq-prop15-latency).
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include "../harness.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define GIVE_UP_MS 60000

static int nr_waiters(void)
{
	return HARNESS_SANITIZED ? 200 : 1000;
}

/* --- waiters on a completion ------------------------------------------ */

static DECLARE_COMPLETION(all_go);
static atomic_int gave_up, waited;
static atomic_ullong last_started_ns;

static void completion_waiter(struct work_struct *work)
{
	(void)work;
	if (!wait_for_completion_timeout(&all_go,
					 msecs_to_jiffies(GIVE_UP_MS)))
		atomic_fetch_add(&gave_up, 1);
	atomic_fetch_add(&waited, 1);
}

static void completion_last(struct work_struct *work)
{
	(void)work;
	atomic_store(&last_started_ns, harness_now_ns());
	complete_all(&all_go);
}

static void run_completion(const char *what, unsigned int flags)
{
	struct workqueue_struct *wq = alloc_workqueue("p15-%s", flags, 0,
						      what);
	int n = nr_waiters(), i;
	struct work_struct *items = calloc((size_t)n + 1, sizeof(*items));
	unsigned long long t0;

	CHECK(wq && items);
	reinit_completion(&all_go);
	atomic_store(&gave_up, 0);
	atomic_store(&waited, 0);
	for (i = 0; i < n; i++) {
		INIT_WORK(&items[i], completion_waiter);
		CHECK(queue_work(wq, &items[i]));
	}
	INIT_WORK(&items[n], completion_last);
	t0 = harness_now_ns();
	CHECK(queue_work(wq, &items[n]));
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&gave_up), 0);
	CHECK_EQ(atomic_load(&waited), n);
	fprintf(stderr, "test: completion, %s, %d waiters: the last item "
			"started %.2f ms after it was queued\n",
		what, n, (double)(atomic_load(&last_started_ns) - t0) / 1e6);
	destroy_workqueue(wq);
	free(items);
}

/* --- waiters that poll in brief sleeps --------------------------------- */

#define POLLERS 150 /* at most; 75 when sanitized */

static atomic_int poll_done;

/*
 * Pollers give up sooner: before the stall rule, 150 of them waited 21 s
 * here, a second time that a 300th item never ended.  With it, 0.5 s.
 */
#define POLL_GIVE_UP_MS 15000

static void polling_waiter(struct work_struct *work)
{
	unsigned long long give_up = harness_now_ns() +
				     HARNESS_SLOW(POLL_GIVE_UP_MS) * 1000000ull;

	(void)work;
	while (!atomic_load(&poll_done)) {
		if (harness_now_ns() > give_up) {
			atomic_fetch_add(&gave_up, 1);
			break;
		}
		usleep(1000);
	}
	atomic_fetch_add(&waited, 1);
}

static void polling_last(struct work_struct *work)
{
	(void)work;
	atomic_store(&last_started_ns, harness_now_ns());
	atomic_store(&poll_done, 1);
}

static void run_polling(const char *what, unsigned int flags)
{
	struct workqueue_struct *wq = alloc_workqueue("p15p-%s", flags, 0,
						      what);
	static struct work_struct items[POLLERS + 1];
	int n = HARNESS_SANITIZED ? POLLERS / 2 : POLLERS, i;
	unsigned long long t0;

	CHECK(wq);
	atomic_store(&poll_done, 0);
	atomic_store(&gave_up, 0);
	atomic_store(&waited, 0);
	for (i = 0; i < n; i++) {
		INIT_WORK(&items[i], polling_waiter);
		/* One pool: CPU 0's, or the unbound pool of CPU 0's pod. */
		CHECK(queue_work_on(0, wq, &items[i]));
	}
	INIT_WORK(&items[n], polling_last);
	t0 = harness_now_ns();
	CHECK(queue_work_on(0, wq, &items[n]));
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&gave_up), 0);
	CHECK_EQ(atomic_load(&waited), n);
	fprintf(stderr, "test: polling, %s, %d waiters: the last item "
			"started %.2f ms after it was queued\n",
		what, n, (double)(atomic_load(&last_started_ns) - t0) / 1e6);
	destroy_workqueue(wq);
}

static void test_polling_unbound(void)
{
	if (!harness_skip_without_detection("a sleep in usleep()"))
		run_polling("unbound", WQ_UNBOUND);
}

static void test_polling_percpu(void)
{
	if (!harness_skip_without_detection("a sleep in usleep()"))
		run_polling("percpu", WQ_PERCPU);
}

static void test_completion_unbound(void)
{
	run_completion("unbound", WQ_UNBOUND);
}

static void test_completion_percpu(void)
{
	run_completion("percpu", WQ_PERCPU);
}

/* --- waiters in read() -------------------------------------------------- */

static int pipe_fds[2];

static void read_waiter(struct work_struct *work)
{
	char c;
	ssize_t r;

	(void)work;
	do {
		r = read(pipe_fds[0], &c, 1);
	} while (r < 0 && errno == EINTR);
	if (r != 1)
		atomic_fetch_add(&gave_up, 1);
	atomic_fetch_add(&waited, 1);
}

static int pipe_n;

static void read_last(struct work_struct *work)
{
	char buf[256] = { 0 };
	int left = pipe_n;

	(void)work;
	atomic_store(&last_started_ns, harness_now_ns());
	while (left > 0) {
		int k = left < (int)sizeof(buf) ? left : (int)sizeof(buf);
		ssize_t w = write(pipe_fds[1], buf, (size_t)k);

		if (w <= 0)
			break;
		left -= (int)w;
	}
}

/* If the pool never starts the writer: end the readers, then fail. */
static void *read_rescue(void *arg)
{
	char buf[256] = { 0 };
	int i;

	(void)arg;
	for (i = 0; i < GIVE_UP_MS / 10; i++) {
		if (atomic_load(&last_started_ns))
			return NULL;
		harness_sleep_ms(10);
	}
	atomic_fetch_add(&gave_up, 1000000);
	for (i = 0; i < pipe_n; i += (int)sizeof(buf))
		if (write(pipe_fds[1], buf, sizeof(buf)) <= 0)
			break;
	return NULL;
}

static void run_syscall(const char *what, unsigned int flags)
{
	struct workqueue_struct *wq = alloc_workqueue("p15-sys-%s", flags, 0,
						      what);
	int n = nr_waiters() / 4, i;
	struct work_struct *items = calloc((size_t)n + 1, sizeof(*items));
	unsigned long long t0;
	pthread_t rescue;

	CHECK(wq && items);
	CHECK(pipe(pipe_fds) == 0);
	pipe_n = n;
	atomic_store(&gave_up, 0);
	atomic_store(&waited, 0);
	atomic_store(&last_started_ns, 0);
	CHECK(pthread_create(&rescue, NULL, read_rescue, NULL) == 0);
	for (i = 0; i < n; i++) {
		INIT_WORK(&items[i], read_waiter);
		CHECK(queue_work(wq, &items[i]));
	}
	INIT_WORK(&items[n], read_last);
	t0 = harness_now_ns();
	CHECK(queue_work(wq, &items[n]));
	flush_workqueue(wq);
	CHECK(pthread_join(rescue, NULL) == 0);
	CHECK_EQ(atomic_load(&gave_up), 0);
	CHECK_EQ(atomic_load(&waited), n);
	fprintf(stderr, "test: read(), %s, %d waiters: the last item started "
			"%.2f ms after it was queued\n",
		what, n, (double)(atomic_load(&last_started_ns) - t0) / 1e6);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	destroy_workqueue(wq);
	free(items);
}

static void test_syscall(void)
{
	if (harness_skip_without_detection("a plain read()"))
		return;
	run_syscall("unbound", WQ_UNBOUND);
	run_syscall("percpu", WQ_PERCPU);
}

/* --- a short item behind CPU-bound ones --------------------------------- */

static atomic_int short_ran, hogs_capped;
/* The unbound or the bound pools' count of items found CPU intensive. */
static unsigned long long hogs_found(bool unbound)
{
	struct cmwq_pool_stats st;
	unsigned long long n = 0;
	int i;

	for (i = 0; i < cmwq_nr_pools(); i++)
		if (cmwq_get_pool_stats(i, &st) == 0 && (st.cpu < 0) == unbound)
			n += st.cpu_intensive;
	return n;
}

static atomic_ullong hogs_found_at_short;

static void hog_fn(struct work_struct *work)
{
	unsigned long long end = harness_now_ns() + GIVE_UP_MS * 1000000ull;

	(void)work;
	while (!atomic_load_explicit(&short_ran, memory_order_relaxed))
		if (harness_now_ns() > end) {
			atomic_store(&hogs_capped, 1);
			return;
		}
}

static void short_fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&last_started_ns, harness_now_ns());
	atomic_store(&hogs_found_at_short, hogs_found(true));
	atomic_store(&short_ran, 1);
}

/* One try; returns how many hogs were found CPU intensive by the short. */
static unsigned long long run_hogs(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p15-hogs", WQ_UNBOUND,
						      0);
	int n = 2 * cmwq_nr_cpus(), i;
	struct work_struct *items = calloc((size_t)n + 1, sizeof(*items));
	struct harness_capture cap;
	unsigned long long t0, before, found;

	CHECK(wq && items);
	if (n > 64)
		n = 64;
	atomic_store(&short_ran, 0);
	harness_capture_begin(&cap);
	for (i = 0; i < n; i++) {
		INIT_WORK(&items[i], hog_fn);
		CHECK(queue_work(wq, &items[i]));
	}
	INIT_WORK(&items[n], short_fn);
	before = hogs_found(true);
	t0 = harness_now_ns();
	CHECK(queue_work(wq, &items[n]));
	flush_workqueue(wq);
	/* The kernel gives that advice for per-CPU workqueues only. */
	CHECK(!harness_capture_end(&cap, "consider switching to WQ_UNBOUND"));
	CHECK(atomic_load(&short_ran));
	CHECK(!atomic_load(&hogs_capped));
	found = atomic_load(&hogs_found_at_short) - before;
	fprintf(stderr, "test: hogs, %d CPU-bound items: the short item "
			"started %.2f ms after it was queued, %llu of them "
			"found CPU intensive by then\n",
		n, (double)(atomic_load(&last_started_ns) - t0) / 1e6, found);
	destroy_workqueue(wq);
	free(items);
	return found;
}

static void test_hogs(void)
{
	unsigned long long found, least = ~0ull;
	int try;

	/* The CPU-intensive rule is the monitor's, off with it. */
	if (harness_skip_without_detection("a CPU-bound item"))
		return;
	/*
	 * Before the second half is found: the first half hold the CPUs,
	 * the second half take their places, the short item runs beside
	 * them.  A try can miss on a loaded machine (the short item's
	 * worker starting late); without the rule none can.
	 */
	for (try = 0; try < 3 && least > (unsigned)cmwq_nr_cpus(); try++) {
		found = run_hogs();
		if (found < least)
			least = found;
	}
	CHECK(least <= (unsigned long long)cmwq_nr_cpus());
}

/*
 * The kernel's advice for items that hog a CPU, "consider switching to
 * WQ_UNBOUND", is for per-CPU workqueues: given from the fourth hog on
 * (an item counts as one when work waits behind it), and never for an
 * item that runs unbound already.
 */
/*
 * Spin for @ms of this thread's CPU time, not of wall time: on a loaded
 * machine a wall-clock spin may get less CPU than the threshold and is
 * then rightly no hog (CI failed so).
 */
static void spin_ms(unsigned int ms)
{
	unsigned long long end = harness_thread_cpu_ns() + ms * 1000000ull;

	while (harness_thread_cpu_ns() < end)
		;
}

static void unbound_hog_fn(struct work_struct *work)
{
	(void)work;
	spin_ms(HARNESS_SLOW(40));
}

static void percpu_hog_fn(struct work_struct *work)
{
	(void)work;
	spin_ms(HARNESS_SLOW(40));
}

static void hog_advice(unsigned int flags, work_func_t fn, bool advised)
{
	struct workqueue_struct *wq = alloc_workqueue("p15-advice", flags, 0);
	struct work_struct items[6];
	struct harness_capture cap;
	int i;

	CHECK(wq);
	harness_capture_begin(&cap);
	/* Six: the last has nothing behind it, so it is not counted. */
	for (i = 0; i < 6; i++) {
		INIT_WORK(&items[i], fn);
		CHECK(queue_work(wq, &items[i]));
	}
	flush_workqueue(wq);
	CHECK(harness_capture_end(&cap, "consider switching to WQ_UNBOUND") ==
	      advised);
	destroy_workqueue(wq);
}

static void test_hog_advice(void)
{
	unsigned long long before;

	if (harness_skip_without_detection("a CPU-bound item"))
		return;
	hog_advice(WQ_UNBOUND, unbound_hog_fn, false);
	/* Advised only if the pool saw all four as hogs (a slow machine). */
	before = hogs_found(false);
	hog_advice(WQ_PERCPU, percpu_hog_fn, true);
	CHECK(hogs_found(false) - before >= 4);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(200));
	RUN_TEST(test_completion_unbound);
	RUN_TEST(test_completion_percpu);
	RUN_TEST(test_syscall);
	RUN_TEST(test_polling_unbound);
	RUN_TEST(test_polling_percpu);
	RUN_TEST(test_hogs);
	RUN_TEST(test_hog_advice);
	return 0;
}
