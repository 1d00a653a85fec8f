/* SPDX-License-Identifier: MIT */
/*
 * Property 8: after cancel_work_sync returns, the item is neither pending
 * nor running, even if it requeues itself; cancel_work returns true iff the
 * item was pending; disable_work/enable_work nest.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

static atomic_int runs;

static void count_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&runs, 1);
}

/* An ordered queue held busy by a gated blocker keeps items pending. */
static struct completion gate;
static atomic_int blocker_started;

static void blocker_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&blocker_started, 1);
	wait_for_completion(&gate);
}

static struct workqueue_struct *held_queue(struct work_struct *blocker)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("p8h", 0);

	CHECK(wq);
	init_completion(&gate);
	atomic_store(&blocker_started, 0);
	INIT_WORK(blocker, blocker_fn);
	CHECK(queue_work(wq, blocker));
	CHECK(WAIT_UNTIL(atomic_load(&blocker_started), HARNESS_SLOW(5000)));
	return wq;
}

static void release_queue(struct workqueue_struct *wq)
{
	complete(&gate);
	flush_workqueue(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_cancel_pending(void)
{
	struct work_struct blocker, w;
	struct workqueue_struct *wq = held_queue(&blocker);

	atomic_store(&runs, 0);
	INIT_WORK(&w, count_fn);
	CHECK(!cancel_work(&w)); /* idle */
	CHECK(queue_work(wq, &w));
	CHECK(cancel_work(&w));
	CHECK(!work_pending(&w));
	CHECK(!cancel_work(&w));
	/* Queue, cancel_sync: true, and it never runs. */
	CHECK(queue_work(wq, &w));
	CHECK(cancel_work_sync(&w));
	CHECK(!work_pending(&w));
	/* Cancelled items can be queued again and then run once. */
	CHECK(queue_work(wq, &w));
	release_queue(wq);
	CHECK_EQ(atomic_load(&runs), 1);
	CHECK(!cancel_work_sync(&w)); /* idle */
}

/* Running, blocked: cancel_work_sync waits for it; returns false. */
static struct completion run_gate;
static atomic_int run_started, run_finished;

static void gated_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&run_started, 1);
	wait_for_completion(&run_gate);
	atomic_fetch_add(&run_finished, 1);
}

struct canceller {
	pthread_t th;
	struct work_struct *w;
	bool disable;
	atomic_int tid, done, ret;
};

static void *canceller_main(void *arg)
{
	struct canceller *c = arg;

	atomic_store(&c->tid, harness_gettid());
	atomic_store(&c->ret, c->disable ? disable_work_sync(c->w) :
					   cancel_work_sync(c->w));
	atomic_store(&c->done, 1);
	return NULL;
}

static void cancel_running(bool disable, bool also_pending)
{
	struct work_struct w;
	struct canceller c = { .disable = disable };

	init_completion(&run_gate);
	atomic_store(&run_started, 0);
	atomic_store(&run_finished, 0);
	INIT_WORK(&w, gated_fn);
	CHECK(queue_work(system_unbound_wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&run_started) == 1, HARNESS_SLOW(5000)));
	if (also_pending)
		CHECK(queue_work(system_unbound_wq, &w));
	c.w = &w;
	CHECK(!pthread_create(&c.th, NULL, canceller_main, &c));
	CHECK(WAIT_UNTIL(atomic_load(&c.tid) != 0, HARNESS_SLOW(5000)));
	CHECK(harness_wait_task_sleeping(atomic_load(&c.tid),
					 HARNESS_SLOW(5000)));
	harness_sleep_ms(10);
	CHECK(!atomic_load(&c.done));
	complete(&run_gate);
	pthread_join(c.th, NULL);
	CHECK_EQ(atomic_load(&c.ret), also_pending);
	CHECK_EQ(atomic_load(&run_finished), 1);
	CHECK_EQ(atomic_load(&run_started), 1); /* pending one cancelled */
	CHECK(!work_busy(&w));
	if (disable) {
		CHECK(!queue_work(system_unbound_wq, &w));
		CHECK(enable_work(&w));
	}
	/* Nothing more may run later. */
	harness_sleep_ms(10);
	CHECK_EQ(atomic_load(&run_started), 1);
}

static void test_cancel_sync_running(void)
{
	cancel_running(false, false);
	cancel_running(false, true);
	cancel_running(true, false);
	cancel_running(true, true);
}

/* cancel_work while it runs and is also pending: true, runs once only. */
static void test_cancel_pending_while_running(void)
{
	struct work_struct w;

	init_completion(&run_gate);
	atomic_store(&run_started, 0);
	atomic_store(&run_finished, 0);
	INIT_WORK(&w, gated_fn);
	CHECK(queue_work(system_wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&run_started) == 1, HARNESS_SLOW(5000)));
	CHECK(!cancel_work(&w)); /* running, not pending */
	CHECK(queue_work(system_wq, &w));
	CHECK(cancel_work(&w));
	CHECK(!cancel_work(&w));
	complete(&run_gate);
	flush_work(&w);
	CHECK(WAIT_UNTIL(!work_busy(&w), HARNESS_SLOW(5000)));
	CHECK_EQ(atomic_load(&run_started), 1);
}

/* The function requeues itself forever; cancel_work_sync stops it. */
static struct workqueue_struct *self_wq;
static atomic_int self_runs, self_inside;

static void self_fn(struct work_struct *w)
{
	atomic_store(&self_inside, 1);
	atomic_fetch_add(&self_runs, 1);
	queue_work(self_wq, w);
	atomic_store(&self_inside, 0);
}

static void test_cancel_self_requeue(void)
{
	struct work_struct w;
	int round, n, rounds = HARNESS_SCALE(200);

	self_wq = alloc_workqueue("p8s", WQ_UNBOUND, 0);
	CHECK(self_wq);
	INIT_WORK(&w, self_fn);
	for (round = 0; round < rounds; round++) {
		atomic_store(&self_runs, 0);
		CHECK(queue_work(round % 2 ? self_wq : system_wq, &w));
		CHECK(WAIT_UNTIL(atomic_load(&self_runs) >= 1 + round % 5,
				 HARNESS_SLOW(5000)));
		cancel_work_sync(&w);
		CHECK(!work_pending(&w));
		CHECK(!work_busy(&w));
		CHECK(!atomic_load(&self_inside));
		n = atomic_load(&self_runs);
		if (round % 20 == 0) {
			harness_sleep_ms(5);
			CHECK_EQ(atomic_load(&self_runs), n);
			CHECK(!work_pending(&w));
		}
	}
	/* A cancelled item works normally afterwards. */
	CHECK_EQ(cmwq_destroy_workqueue(self_wq), 0);
}

static void test_disable_nesting(void)
{
	struct work_struct blocker, w;
	struct workqueue_struct *wq;

	atomic_store(&runs, 0);
	INIT_WORK(&w, count_fn);
	CHECK(!disable_work(&w)); /* idle: nothing was pending */
	CHECK(!disable_work(&w)); /* count 2 */
	CHECK(!queue_work(system_wq, &w));
	CHECK(!work_pending(&w));
	CHECK(!enable_work(&w)); /* count 1: still disabled */
	CHECK(!queue_work(system_wq, &w));
	CHECK(enable_work(&w)); /* count 0 */
	CHECK(queue_work(system_wq, &w));
	flush_work(&w);
	CHECK_EQ(atomic_load(&runs), 1);

	/* Disabling a pending item cancels it: true, and it does not run. */
	wq = held_queue(&blocker);
	CHECK(queue_work(wq, &w));
	CHECK(disable_work(&w));
	CHECK(!work_pending(&w));
	CHECK(!queue_work(wq, &w));
	release_queue(wq);
	CHECK_EQ(atomic_load(&runs), 1);
	CHECK(enable_work(&w));

	/* disable_work_sync on idle: false; still nests. */
	CHECK(!disable_work_sync(&w));
	CHECK(!disable_work(&w));
	CHECK(!enable_work(&w));
	CHECK(enable_work(&w));
	CHECK(queue_work(system_wq, &w));
	flush_work(&w);
	CHECK_EQ(atomic_load(&runs), 2);
}

static void test_enable_unbalanced(void)
{
	struct work_struct w;
	struct harness_capture cap;
	bool ret, said;

	INIT_WORK(&w, count_fn);
	harness_capture_begin(&cap);
	ret = enable_work(&w);
	said = harness_capture_end(&cap, "cmwq:");
	/* As the kernel: a warning, and true (the item may be queued). */
	CHECK(ret);
	CHECK(said);
	/* Still usable, and not "negatively" disabled. */
	atomic_store(&runs, 0);
	CHECK(queue_work(system_wq, &w));
	flush_work(&w);
	CHECK_EQ(atomic_load(&runs), 1);
	CHECK(!disable_work(&w));
	CHECK(!queue_work(system_wq, &w));
	CHECK(enable_work(&w));
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_cancel_pending);
	RUN_TEST(test_cancel_sync_running);
	RUN_TEST(test_cancel_pending_while_running);
	RUN_TEST(test_cancel_self_requeue);
	RUN_TEST(test_disable_nesting);
	RUN_TEST(test_enable_unbalanced);
	return 0;
}
