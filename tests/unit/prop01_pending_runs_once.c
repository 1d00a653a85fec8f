/* SPDX-License-Identifier: MIT */
/*
 * Property 1: queue_work on a pending item returns false; however often it
 * is queued before it starts, it runs once.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

static atomic_int runs;
static struct completion gate;
static atomic_int blocker_started;

static void count_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&runs, 1);
}

static void blocker_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&blocker_started, 1);
	wait_for_completion(&gate);
}

/* Keep @wq (max_active 1) busy so the next item stays pending. */
static void block_queue(struct workqueue_struct *wq, int cpu,
			struct work_struct *blocker)
{
	atomic_store(&blocker_started, 0);
	init_completion(&gate);
	INIT_WORK(blocker, blocker_fn);
	CHECK(queue_work_on(cpu, wq, blocker));
	CHECK(WAIT_UNTIL(atomic_load(&blocker_started), HARNESS_SLOW(5000)));
}

static void pending_once_on(struct workqueue_struct *wq, int cpu)
{
	struct work_struct blocker, item;
	int i;

	atomic_store(&runs, 0);
	INIT_WORK(&item, count_fn);
	CHECK(!work_pending(&item));
	block_queue(wq, cpu, &blocker);

	CHECK(queue_work_on(cpu, wq, &item));
	CHECK(work_pending(&item));
	for (i = 0; i < 1000; i++)
		CHECK(!queue_work_on(cpu, wq, &item));
	/* Queueing on another workqueue while pending is refused too. */
	CHECK(!queue_work(system_wq, &item));
	CHECK(!queue_work(system_unbound_wq, &item));
	CHECK(work_pending(&item));
	CHECK(work_busy(&item) & WORK_BUSY_PENDING);
	CHECK_EQ(atomic_load(&runs), 0);

	complete(&gate);
	/* It may have run already (then flush_work says false): no check. */
	flush_work(&item);
	flush_work(&blocker);
	CHECK_EQ(atomic_load(&runs), 1);
	CHECK(!work_pending(&item));
	/* Idle again: the next queue call succeeds and runs once more. */
	CHECK(queue_work_on(cpu, wq, &item));
	flush_work(&item);
	CHECK_EQ(atomic_load(&runs), 2);
}

static void test_bound(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p1b", WQ_PERCPU, 1);

	CHECK(wq);
	pending_once_on(wq, harness_cpu(0));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_unbound(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p1u", WQ_UNBOUND, 1);

	CHECK(wq);
	pending_once_on(wq, WORK_CPU_UNBOUND);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_ordered(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("p1o", 0);

	CHECK(wq);
	pending_once_on(wq, WORK_CPU_UNBOUND);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* Several threads queue the same pending item: exactly one call wins. */
#define NTHREADS 4
static struct workqueue_struct *mt_wq;
static struct work_struct mt_item;
static atomic_int mt_true;
static atomic_int mt_go;

static void *mt_queuer(void *arg)
{
	int i, n = HARNESS_SCALE(20000);

	(void)arg;
	while (!atomic_load(&mt_go))
		;
	for (i = 0; i < n; i++)
		if (queue_work(mt_wq, &mt_item))
			atomic_fetch_add(&mt_true, 1);
	return NULL;
}

static void test_threads(void)
{
	pthread_t th[NTHREADS];
	struct work_struct blocker;
	int i, round;

	mt_wq = alloc_workqueue("p1t", WQ_UNBOUND, 1);
	CHECK(mt_wq);
	for (round = 0; round < 3; round++) {
		atomic_store(&runs, 0);
		atomic_store(&mt_true, 0);
		atomic_store(&mt_go, 0);
		INIT_WORK(&mt_item, count_fn);
		block_queue(mt_wq, WORK_CPU_UNBOUND, &blocker);
		for (i = 0; i < NTHREADS; i++)
			CHECK(!pthread_create(&th[i], NULL, mt_queuer, NULL));
		atomic_store(&mt_go, 1);
		for (i = 0; i < NTHREADS; i++)
			pthread_join(th[i], NULL);
		CHECK_EQ(atomic_load(&mt_true), 1);
		CHECK_EQ(atomic_load(&runs), 0);
		complete(&gate);
		flush_workqueue(mt_wq);
		CHECK_EQ(atomic_load(&runs), 1);
	}
	CHECK_EQ(cmwq_destroy_workqueue(mt_wq), 0);
}

/*
 * Unblocked: queue as fast as possible while it runs.  Every true return
 * gives exactly one run, so the two counts match after a flush.
 */
static void test_free_running(void)
{
	struct work_struct item;
	int i, n = HARNESS_SCALE(200000), trues = 0;

	atomic_store(&runs, 0);
	INIT_WORK(&item, count_fn);
	for (i = 0; i < n; i++)
		trues += queue_work(system_wq, &item);
	flush_work(&item);
	CHECK(trues >= 1);
	CHECK_EQ(atomic_load(&runs), trues);
	fprintf(stderr, "test: %d calls, %d true, %d runs\n", n, trues,
		atomic_load(&runs));
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_bound);
	RUN_TEST(test_unbound);
	RUN_TEST(test_ordered);
	RUN_TEST(test_threads);
	RUN_TEST(test_free_running);
	return 0;
}
