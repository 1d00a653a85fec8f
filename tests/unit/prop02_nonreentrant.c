/* SPDX-License-Identifier: MIT */
/*
 * Property 2: PENDING clears before the function runs.  Queueing during
 * execution (even from the function itself) gives exactly one more run,
 * after the current one, never overlapping it (non-reentrancy, also across
 * CPUs).
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

static atomic_int runs;
static atomic_int inside;
static atomic_int overlaps;
static atomic_int pending_at_entry;

static void enter(struct work_struct *w)
{
	if (atomic_fetch_add(&inside, 1) != 0)
		atomic_fetch_add(&overlaps, 1);
	if (work_pending(w))
		atomic_fetch_add(&pending_at_entry, 1);
}

static void leave(void)
{
	atomic_fetch_add(&runs, 1);
	atomic_fetch_sub(&inside, 1);
}

static void reset(void)
{
	atomic_store(&runs, 0);
	atomic_store(&inside, 0);
	atomic_store(&overlaps, 0);
	atomic_store(&pending_at_entry, 0);
}

/* --- the function requeues itself --- */
static struct workqueue_struct *self_wq;
static atomic_int self_first_true, self_second_false;

static void self_fn(struct work_struct *w)
{
	enter(w);
	if (atomic_load(&runs) == 0) {
		/* PENDING is clear: this call must queue it again. */
		if (queue_work(self_wq, w))
			atomic_store(&self_first_true, 1);
		if (!queue_work(self_wq, w))
			atomic_store(&self_second_false, 1);
		/* Give a second worker the chance to (wrongly) start it. */
		harness_sleep_ms(20);
	}
	leave();
}

static void test_self_requeue(struct workqueue_struct *wq)
{
	struct work_struct w;

	reset();
	self_wq = wq;
	atomic_store(&self_first_true, 0);
	atomic_store(&self_second_false, 0);
	INIT_WORK(&w, self_fn);
	CHECK(queue_work(wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&runs) == 2, HARNESS_SLOW(5000)));
	flush_work(&w);
	harness_sleep_ms(20);
	CHECK_EQ(atomic_load(&runs), 2);
	CHECK(atomic_load(&self_first_true));
	CHECK(atomic_load(&self_second_false));
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK_EQ(atomic_load(&pending_at_entry), 0);
	CHECK(!work_pending(&w));
}

static void test_self_requeue_all(void)
{
	struct workqueue_struct *u = alloc_workqueue("p2u", WQ_UNBOUND, 0);
	struct workqueue_struct *b = alloc_workqueue("p2b", WQ_PERCPU, 0);

	CHECK(u && b);
	test_self_requeue(u);
	test_self_requeue(b);
	test_self_requeue(system_wq);
	CHECK_EQ(cmwq_destroy_workqueue(u), 0);
	CHECK_EQ(cmwq_destroy_workqueue(b), 0);
}

/* --- queued from outside while it runs (blocked in a library wait) --- */
static struct completion go;
static atomic_int started;

static void gated_fn(struct work_struct *w)
{
	enter(w);
	if (atomic_fetch_add(&started, 1) == 0)
		wait_for_completion(&go);
	leave();
}

static void requeue_while_running(struct workqueue_struct *wq, int cpu_a,
				  int cpu_b)
{
	struct work_struct w;
	int i;

	reset();
	atomic_store(&started, 0);
	init_completion(&go);
	INIT_WORK(&w, gated_fn);
	CHECK(queue_work_on(cpu_a, wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&started) == 1, HARNESS_SLOW(5000)));
	CHECK(work_busy(&w) & WORK_BUSY_RUNNING);
	CHECK(!work_pending(&w));
	/* Running, not pending: the first call queues it, the rest don't. */
	CHECK(queue_work_on(cpu_b, wq, &w));
	for (i = 0; i < 100; i++)
		CHECK(!queue_work_on(i % 2 ? cpu_a : cpu_b, wq, &w));
	/*
	 * The blocked instance lets the pools start other workers: none may
	 * pick up the second instance while the first has not returned.
	 */
	harness_sleep_ms(50);
	CHECK_EQ(atomic_load(&started), 1);
	CHECK_EQ(atomic_load(&overlaps), 0);
	complete(&go);
	flush_work(&w); /* may be idle already: its result is not checked */
	CHECK_EQ(atomic_load(&runs), 2);
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK_EQ(atomic_load(&pending_at_entry), 0);
}

static void test_requeue_while_running(void)
{
	struct workqueue_struct *u = alloc_workqueue("p2u", WQ_UNBOUND, 0);
	struct workqueue_struct *b = alloc_workqueue("p2b", WQ_PERCPU, 0);
	int c0 = harness_cpu(0);

	CHECK(u && b);
	requeue_while_running(u, WORK_CPU_UNBOUND, WORK_CPU_UNBOUND);
	requeue_while_running(b, c0, c0);
	/* Another workqueue while it runs: still never overlapping. */
	CHECK_EQ(cmwq_destroy_workqueue(u), 0);
	CHECK_EQ(cmwq_destroy_workqueue(b), 0);
}

static void test_cross_cpu(void)
{
	struct workqueue_struct *b;
	int c0 = harness_cpu(0), c1 = harness_cpu(1);

	if (c1 < 0) {
		fprintf(stderr, "test: only 1 CPU, cross-CPU part skipped\n");
		return;
	}
	b = alloc_workqueue("p2x", WQ_PERCPU, 0);
	CHECK(b);
	requeue_while_running(b, c0, c1);
	requeue_while_running(b, c1, c0);
	requeue_while_running(system_percpu_wq, c0, c1);
	CHECK_EQ(cmwq_destroy_workqueue(b), 0);
}

/* --- a storm: two threads queue one item on different CPUs --- */
static struct workqueue_struct *storm_wq;
static struct work_struct storm_item;
static atomic_int storm_true, storm_go;

static void storm_fn(struct work_struct *w)
{
	volatile int spin;

	enter(w);
	for (spin = 0; spin < 200; spin++)
		;
	leave();
}

static void *storm_thread(void *arg)
{
	int cpu = (int)(long)arg, i, n = HARNESS_SCALE(100000);

	while (!atomic_load(&storm_go))
		;
	for (i = 0; i < n; i++)
		if (queue_work_on(cpu, storm_wq, &storm_item))
			atomic_fetch_add(&storm_true, 1);
	return NULL;
}

static void test_storm(void)
{
	pthread_t a, b;
	int c0 = harness_cpu(0), c1 = harness_cpu(1);

	if (c1 < 0)
		c1 = c0;
	reset();
	storm_wq = alloc_workqueue("p2s", WQ_PERCPU, 0);
	CHECK(storm_wq);
	INIT_WORK(&storm_item, storm_fn);
	atomic_store(&storm_true, 0);
	atomic_store(&storm_go, 0);
	CHECK(!pthread_create(&a, NULL, storm_thread, (void *)(long)c0));
	CHECK(!pthread_create(&b, NULL, storm_thread, (void *)(long)c1));
	atomic_store(&storm_go, 1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	flush_work(&storm_item);
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK_EQ(atomic_load(&runs), atomic_load(&storm_true));
	fprintf(stderr, "test: storm %d runs\n", atomic_load(&runs));
	CHECK_EQ(cmwq_destroy_workqueue(storm_wq), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_self_requeue_all);
	RUN_TEST(test_requeue_while_running);
	RUN_TEST(test_cross_cpu);
	RUN_TEST(test_storm);
	return 0;
}
