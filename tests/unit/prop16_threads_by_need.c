// SPDX-License-Identifier: MIT
/*
 * Property 16: threads by need.  A pool runs no more threads than keep
 * its CPUs busy, plus what property 15 needs:
 *
 *   tiny       20,000 items that never block, on an unbound and on a
 *              per-CPU workqueue: a few workers per pool (the running
 *              target and the idle spares), never one per item
 *   sleepers   400 items that each compute a little and sleep 1 ms, on an
 *              unbound workqueue: the pool keeps its CPUs busy without a
 *              thread per item
 *   brief      60 items that sleep 10 ms and compute 1 ms, all on CPU 0's
 *              per-CPU pool: the next item waits for a sleeper to come
 *              back rather than for a thread of its own, so the pool keeps
 *              about Little's law in flight (11), not all 60 as the
 *              kernel's rule would
 *   long       20 items that sleep 200 ms, longer than a brief sleep, on
 *              the same pool: the kernel's rule, all of them in flight
 *              while the first sleeps
 *   warmup     400 items that sleep 5 ms and compute 0.5 ms, on an unbound
 *              workqueue whose pool has not seen a block yet: as its first
 *              sleeps end together, the in-flight target stays near
 *              Little's law (22; at most 60 here), where it overshot to
 *              48-102 while the blocks counted before the CPU time after
 *              them
 *   ramp       N items blocked on a completion the last one completes:
 *              the ramp that starts them (property 15) starts no more
 *              workers than there are items, plus the spares and one
 *              ramp step
 *
 * The bounds are loose on purpose (a noisy 2-CPU machine, sanitizers):
 * they catch a thread per item, not a thread too many; bench/ measures
 * the counts (W4's peak threads).
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include "../harness.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* The most workers any pool of the kind (bound or unbound) had at once. */
static unsigned int peak_workers(bool unbound, unsigned long long *created)
{
	struct cmwq_pool_stats st;
	unsigned int peak = 0;
	int i, n = cmwq_nr_pools();

	if (created)
		*created = 0;
	for (i = 0; i < n; i++) {
		if (cmwq_get_pool_stats(i, &st) < 0)
			continue;
		if ((st.cpu < 0) != unbound)
			continue;
		if (st.peak_workers > peak)
			peak = st.peak_workers;
		if (created)
			*created += st.workers_created;
	}
	return peak;
}

static atomic_int ran;

static void tiny_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add_explicit(&ran, 1, memory_order_relaxed);
}

#define TINY 20000

static struct work_struct tiny_items[TINY];

static void run_tiny(struct workqueue_struct *wq)
{
	int i;

	atomic_store(&ran, 0);
	for (i = 0; i < TINY; i++) {
		INIT_WORK(&tiny_items[i], tiny_fn);
		queue_work(wq, &tiny_items[i]);
		/* Let the pool catch up now and then, as a producer does. */
		if (i % 1000 == 999)
			flush_workqueue(wq);
	}
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&ran), TINY);
}

static void test_tiny(void)
{
	struct workqueue_struct *u = alloc_workqueue("p16-u", WQ_UNBOUND, 0);
	struct workqueue_struct *b = alloc_workqueue("p16-b", WQ_PERCPU, 0);
	unsigned int pu, pb, cpus = (unsigned int)cmwq_nr_cpus();

	CHECK(u && b);
	run_tiny(u);
	run_tiny(b);
	pu = peak_workers(true, NULL);
	pb = peak_workers(false, NULL);
	fprintf(stderr, "test: tiny: peak workers %u unbound, %u per CPU "
			"pool (%u CPUs)\n",
		pu, pb, cpus);
	/*
	 * A few per pool (more under load: a preempted worker may look
	 * blocked to /proc), never one per item.
	 */
	CHECK(pu <= 8 * cpus + 8);
	CHECK(pb <= 16);
	destroy_workqueue(u);
	destroy_workqueue(b);
}

#define SLEEPERS 400

/*
 * Keeps the compiler from dropping sleeper_fn()'s loop; atomic, as every
 * worker writes it.
 */
static atomic_uint spin_sink;

static void sleeper_fn(struct work_struct *work)
{
	unsigned int x = 0;
	int i;

	(void)work;
	for (i = 0; i < 20000; i++)
		x += (unsigned int)i;
	atomic_store_explicit(&spin_sink, x, memory_order_relaxed);
	nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	atomic_fetch_add(&ran, 1);
}

static void test_sleepers(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p16-s", WQ_UNBOUND, 0);
	static struct work_struct items[SLEEPERS];
	unsigned long long before, after;
	int i;

	CHECK(wq);
	peak_workers(true, &before);
	atomic_store(&ran, 0);
	for (i = 0; i < SLEEPERS; i++) {
		INIT_WORK(&items[i], sleeper_fn);
		CHECK(queue_work(wq, &items[i]));
	}
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&ran), SLEEPERS);
	peak_workers(true, &after);
	fprintf(stderr, "test: sleepers: %llu workers started for %d items\n",
		after - before, SLEEPERS);
	CHECK(after - before < SLEEPERS / 2);
	destroy_workqueue(wq);
}

static atomic_int in_flight, most_in_flight;
static unsigned int sleep_ms, compute_us;

static void timed_sleeper_fn(struct work_struct *work)
{
	int n = atomic_fetch_add(&in_flight, 1) + 1;
	int m = atomic_load(&most_in_flight);
	unsigned long long start;

	(void)work;
	while (n > m && !atomic_compare_exchange_weak(&most_in_flight, &m, n))
		;
	nanosleep(&(struct timespec){ 0, sleep_ms * 1000000l }, NULL);
	start = harness_thread_cpu_ns();
	while (harness_thread_cpu_ns() - start < compute_us * 1000ull)
		;
	atomic_fetch_sub(&in_flight, 1);
	atomic_fetch_add(&ran, 1);
}

/* Queue @n timed sleepers on CPU 0; returns the most in flight at once. */
static int run_timed_sleepers(int n, unsigned int ms, unsigned int us)
{
	struct workqueue_struct *wq = alloc_workqueue("p16-t", WQ_PERCPU, 0);
	static struct work_struct items[60];
	int i;

	CHECK(wq && n <= 60);
	sleep_ms = ms;
	compute_us = us;
	atomic_store(&ran, 0);
	atomic_store(&most_in_flight, 0);
	for (i = 0; i < n; i++) {
		INIT_WORK(&items[i], timed_sleeper_fn);
		CHECK(queue_work_on(0, wq, &items[i]));
	}
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&ran), n);
	destroy_workqueue(wq);
	return atomic_load(&most_in_flight);
}

static void test_brief_sleeps_wait(void)
{
	int most;

	if (harness_skip_without_detection("a sleep in nanosleep()"))
		return;
	most = run_timed_sleepers(60, 10, 1000);

	fprintf(stderr, "test: brief: at most %d of 60 in flight\n", most);
	/*
	 * Little's law: 11; the kernel's rule: 60 (44 measured with the
	 * rule off).  12-25 measured with it, beside other tests: the bound
	 * is halfway, to catch the rule gone, not a thread too many.
	 */
	CHECK(most >= 3);
	CHECK(most <= 36);
}

static void test_long_sleeps_start(void)
{
	int most;

	if (harness_skip_without_detection("a sleep in nanosleep()"))
		return;
	most = run_timed_sleepers(20, 200, 0);

	fprintf(stderr, "test: long: at most %d of 20 in flight\n", most);
	CHECK_EQ(most, 20);
}

#define WARMUP 400

static void test_warmup_target(void)
{
	struct workqueue_struct *wq;
	static struct work_struct items[WARMUP];
	unsigned int most = 0, t;
	int i;

	if (harness_skip_without_detection("a sleep in nanosleep()"))
		return;
	wq = alloc_workqueue("p16-w", WQ_UNBOUND, 0);
	CHECK(wq);
	sleep_ms = 5;
	compute_us = 500;
	atomic_store(&ran, 0);
	for (i = 0; i < WARMUP; i++) {
		INIT_WORK(&items[i], timed_sleeper_fn);
		CHECK(queue_work(wq, &items[i]));
	}
	while (atomic_load(&ran) < WARMUP) {
		t = harness_unbound_target();
		if (t > most)
			most = t;
		nanosleep(&(struct timespec){ 0, 500000 }, NULL);
	}
	flush_workqueue(wq);
	fprintf(stderr, "test: warmup: in-flight target at most %u\n", most);
	/*
	 * Little's law: 2 CPUs x 5.5 / 0.5 = 22; 24-26 measured alone, 45 in
	 * CI's clang stage beside other tests (the bound was 40 then and
	 * failed); 48-102 before the ended blocks waited for their CPU time,
	 * 78-102 in this test.  60 catches that in most runs, not all.
	 */
	CHECK(most <= 60);
	destroy_workqueue(wq);
}

static DECLARE_COMPLETION(go);
static atomic_int gave_up;

static void waiter_fn(struct work_struct *work)
{
	(void)work;
	if (!wait_for_completion_timeout(&go, msecs_to_jiffies(60000)))
		atomic_fetch_add(&gave_up, 1);
}

static void last_fn(struct work_struct *work)
{
	(void)work;
	complete_all(&go);
}

static void test_ramp_bounded(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p16-r", WQ_UNBOUND, 0);
	int n = HARNESS_SANITIZED ? 100 : 500, i;
	struct work_struct *items = calloc((size_t)n + 1, sizeof(*items));
	unsigned long long before, after;

	CHECK(wq && items);
	peak_workers(true, &before);
	for (i = 0; i < n; i++) {
		INIT_WORK(&items[i], waiter_fn);
		CHECK(queue_work(wq, &items[i]));
	}
	INIT_WORK(&items[n], last_fn);
	CHECK(queue_work(wq, &items[n]));
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&gave_up), 0);
	peak_workers(true, &after);
	fprintf(stderr, "test: ramp: %llu workers started for %d blocked "
			"items and the one that ends them\n",
		after - before, n);
	/*
	 * One per item and the spares, and at most one ramp step (64) more:
	 * a batch asked for as the last items were being taken.
	 */
	CHECK(after - before <= (unsigned long long)n + 1 + 64 + 8);
	destroy_workqueue(wq);
	free(items);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(200));
	RUN_TEST(test_tiny);
	/* Before the sleepers: on a pool that has not seen a block. */
	RUN_TEST(test_warmup_target);
	RUN_TEST(test_sleepers);
	RUN_TEST(test_brief_sleeps_wait);
	RUN_TEST(test_long_sleeps_start);
	RUN_TEST(test_ramp_bounded);
	return 0;
}
