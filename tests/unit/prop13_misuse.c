/* SPDX-License-Identifier: MIT */
/*
 * Property 13: destroy_workqueue drains first and refuses loudly if work
 * remains; misuse (queue on a destroyed or draining queue, a flush that
 * would deadlock, re-init of a pending item, NULL arguments) gives a clear
 * diagnostic ("cmwq: ..." on stderr) or an error value, never silent loss,
 * a crash or a hang.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

static atomic_int runs, other_runs;

static void count_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&runs, 1);
}

static void other_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&other_runs, 1);
}

static void test_destroy_ok_and_twice(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p13a", 0, 0);
	struct harness_capture cap;
	int ret;

	CHECK(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	harness_capture_begin(&cap);
	ret = cmwq_destroy_workqueue(wq);
	CHECK(harness_capture_end(&cap, "cmwq:"));
	CHECK_EQ(ret, -EINVAL);
}

/* destroy_workqueue drains: queued and chained work all run first. */
static struct workqueue_struct *chain_wq;
static atomic_int chain_left;

static void chain_fn(struct work_struct *w)
{
	atomic_fetch_add(&runs, 1);
	if (atomic_fetch_sub(&chain_left, 1) > 1)
		CHECK(queue_work(chain_wq, w));
}

static void test_destroy_drains(void)
{
	struct work_struct items[50], chain;
	int i;

	chain_wq = alloc_workqueue("p13d", WQ_UNBOUND, 2);
	CHECK(chain_wq);
	atomic_store(&runs, 0);
	atomic_store(&chain_left, 10);
	for (i = 0; i < 50; i++) {
		INIT_WORK(&items[i], count_fn);
		CHECK(queue_work(chain_wq, &items[i]));
	}
	INIT_WORK(&chain, chain_fn);
	CHECK(queue_work(chain_wq, &chain));
	CHECK_EQ(cmwq_destroy_workqueue(chain_wq), 0);
	CHECK_EQ(atomic_load(&runs), 60);
	for (i = 0; i < 50; i++)
		CHECK(!work_busy(&items[i]));
}

/* Armed delayed work remains: refused loudly with -EBUSY, nothing freed. */
static void test_destroy_armed(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p13b", 0, 0);
	struct harness_capture cap;
	struct delayed_work dw;
	int ret;

	CHECK(wq);
	atomic_store(&runs, 0);
	INIT_DELAYED_WORK(&dw, count_fn);
	CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	harness_capture_begin(&cap);
	ret = cmwq_destroy_workqueue(wq);
	CHECK(harness_capture_end(&cap, "cmwq:"));
	CHECK_EQ(ret, -EBUSY);
	/* The queue still works: flush runs the item on it. */
	CHECK(flush_delayed_work(&dw));
	CHECK_EQ(atomic_load(&runs), 1);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* Queueing on a destroyed queue: refused with a diagnostic. */
static void test_queue_on_destroyed(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p13q", 0, 0);
	struct harness_capture cap;
	struct work_struct w;
	bool ret;

	CHECK(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	INIT_WORK(&w, count_fn);
	harness_capture_begin(&cap);
	ret = queue_work(wq, &w);
	CHECK(harness_capture_end(&cap, "cmwq:"));
	CHECK(!ret);
	CHECK(!work_pending(&w));
}

/* INIT_WORK on a pending item: refused, the item runs once, unchanged. */
static struct completion gate;
static atomic_int blocker_started;

static void blocker_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&blocker_started, 1);
	wait_for_completion(&gate);
}

static void test_reinit_pending(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("p13r", 0);
	struct work_struct blocker, w;
	struct harness_capture cap;
	struct delayed_work dw;

	CHECK(wq);
	init_completion(&gate);
	atomic_store(&blocker_started, 0);
	atomic_store(&runs, 0);
	atomic_store(&other_runs, 0);
	INIT_WORK(&blocker, blocker_fn);
	INIT_WORK(&w, count_fn);
	CHECK(queue_work(wq, &blocker));
	CHECK(WAIT_UNTIL(atomic_load(&blocker_started), HARNESS_SLOW(5000)));
	CHECK(queue_work(wq, &w));
	harness_capture_begin(&cap);
	INIT_WORK(&w, other_fn);
	CHECK(harness_capture_end(&cap, "cmwq:"));
	CHECK(work_pending(&w));
	/* Armed delayed item: the same. */
	INIT_DELAYED_WORK(&dw, count_fn);
	CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	harness_capture_begin(&cap);
	INIT_DELAYED_WORK(&dw, other_fn);
	CHECK(harness_capture_end(&cap, "cmwq:"));
	CHECK(delayed_work_pending(&dw));
	complete(&gate);
	flush_work(&w);
	CHECK(flush_delayed_work(&dw));
	CHECK_EQ(atomic_load(&runs), 2);
	CHECK_EQ(atomic_load(&other_runs), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* Self-flushes from inside an item: a diagnostic, not a deadlock. */
static struct workqueue_struct *self_wq;
static atomic_int self_done;

static void flush_self_fn(struct work_struct *w)
{
	flush_work(w);
	atomic_store(&self_done, 1);
}

static void flush_own_queue_fn(struct work_struct *w)
{
	(void)w;
	flush_workqueue(self_wq);
	atomic_store(&self_done, 1);
}

static void self_flush(struct workqueue_struct *wq, work_func_t fn)
{
	struct harness_capture cap;
	struct work_struct w;

	self_wq = wq;
	atomic_store(&self_done, 0);
	INIT_WORK(&w, fn);
	harness_capture_begin(&cap);
	CHECK(queue_work(wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&self_done), HARNESS_SLOW(5000)));
	flush_work(&w);
	CHECK(harness_capture_end(&cap, "cmwq:"));
}

static void test_self_flush(void)
{
	struct workqueue_struct *o = alloc_ordered_workqueue("p13o", 0);
	struct workqueue_struct *u = alloc_workqueue("p13u", WQ_UNBOUND, 0);

	CHECK(o && u);
	self_flush(o, flush_self_fn);
	self_flush(u, flush_self_fn);
	self_flush(system_wq, flush_self_fn);
	self_flush(o, flush_own_queue_fn);
	CHECK_EQ(cmwq_destroy_workqueue(o), 0);
	CHECK_EQ(cmwq_destroy_workqueue(u), 0);
}

/* NULL arguments: false, NULL or -EINVAL; never a crash. */
static void test_null_args(void)
{
	struct work_struct w;
	struct delayed_work dw;
	struct cmwq_wq_stats st;
	struct harness_capture cap;

	INIT_WORK(&w, count_fn);
	INIT_DELAYED_WORK(&dw, count_fn);
	harness_capture_begin(&cap);
	CHECK(!queue_work(NULL, &w));
	CHECK(!queue_work_on(0, NULL, &w));
	CHECK(!queue_work(system_wq, NULL));
	CHECK(!queue_delayed_work(NULL, &dw, 1));
	CHECK(!queue_delayed_work(system_wq, NULL, 1));
	CHECK(!mod_delayed_work(NULL, &dw, 1));
	CHECK(!mod_delayed_work(system_wq, NULL, 1));
	CHECK(!flush_work(NULL));
	CHECK(!flush_delayed_work(NULL));
	CHECK(!cancel_work(NULL));
	CHECK(!cancel_work_sync(NULL));
	CHECK(!cancel_delayed_work(NULL));
	CHECK(!cancel_delayed_work_sync(NULL));
	CHECK(!disable_work(NULL));
	CHECK(!disable_work_sync(NULL));
	CHECK(!enable_work(NULL));
	CHECK(!work_pending(NULL));
	CHECK_EQ(work_busy(NULL), 0);
	CHECK(!workqueue_congested(WORK_CPU_UNBOUND, NULL));
	CHECK(alloc_workqueue(NULL, 0, 0) == NULL);
	CHECK_EQ(cmwq_destroy_workqueue(NULL), -EINVAL);
	CHECK_EQ(cmwq_get_wq_stats(NULL, &st), -EINVAL);
	flush_workqueue(NULL);
	drain_workqueue(NULL);
	INIT_WORK(NULL, count_fn);
	harness_capture_end(&cap, "cmwq:");
	CHECK(!work_pending(&w));
	CHECK(!delayed_work_pending(&dw));
}

/* Queueing on a draining queue from outside: false, with a diagnostic. */
static struct workqueue_struct *drain_wq;
static struct completion drain_gate;
static atomic_int drain_started, drain_tid, drain_done;

static void drain_item_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&drain_started, 1);
	wait_for_completion(&drain_gate);
}

static void *drainer(void *arg)
{
	(void)arg;
	atomic_store(&drain_tid, harness_gettid());
	drain_workqueue(drain_wq);
	atomic_store(&drain_done, 1);
	return NULL;
}

static void test_queue_while_draining(void)
{
	struct work_struct item, outsider;
	struct harness_capture cap;
	pthread_t th;
	bool ret;

	drain_wq = alloc_workqueue("p13dr", WQ_UNBOUND, 0);
	CHECK(drain_wq);
	init_completion(&drain_gate);
	atomic_store(&drain_started, 0);
	atomic_store(&drain_tid, 0);
	atomic_store(&drain_done, 0);
	atomic_store(&runs, 0);
	INIT_WORK(&item, drain_item_fn);
	INIT_WORK(&outsider, count_fn);
	CHECK(queue_work(drain_wq, &item));
	CHECK(WAIT_UNTIL(atomic_load(&drain_started), HARNESS_SLOW(5000)));
	CHECK(!pthread_create(&th, NULL, drainer, NULL));
	CHECK(WAIT_UNTIL(atomic_load(&drain_tid) != 0, HARNESS_SLOW(5000)));
	CHECK(harness_wait_task_sleeping(atomic_load(&drain_tid),
					 HARNESS_SLOW(5000)));
	harness_sleep_ms(10);
	CHECK(!atomic_load(&drain_done));
	harness_capture_begin(&cap);
	ret = queue_work(drain_wq, &outsider);
	CHECK(harness_capture_end(&cap, "cmwq:"));
	CHECK(!ret);
	complete(&drain_gate);
	pthread_join(th, NULL);
	CHECK_EQ(atomic_load(&runs), 0);
	CHECK_EQ(cmwq_destroy_workqueue(drain_wq), 0);
}

/* max_active outside 1..WQ_MAX_ACTIVE: clamped with a warning. */
static void test_max_active_clamp(void)
{
	struct harness_capture cap;
	struct workqueue_struct *wq;
	struct cmwq_wq_stats st;

	harness_capture_begin(&cap);
	wq = alloc_workqueue("p13c", 0, 100000);
	CHECK(harness_capture_end(&cap, "cmwq:"));
	CHECK(wq);
	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	CHECK_EQ(st.max_active, WQ_MAX_ACTIVE);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	wq = alloc_workqueue("p13c0", 0, 0);
	CHECK(wq);
	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	CHECK_EQ(st.max_active, WQ_DFL_ACTIVE);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_destroy_ok_and_twice);
	RUN_TEST(test_destroy_drains);
	RUN_TEST(test_destroy_armed);
	RUN_TEST(test_queue_on_destroyed);
	RUN_TEST(test_reinit_pending);
	RUN_TEST(test_self_flush);
	RUN_TEST(test_null_args);
	RUN_TEST(test_queue_while_draining);
	RUN_TEST(test_max_active_clamp);
	return 0;
}
