// SPDX-License-Identifier: MIT
/*
 * rcu_work.c - rcu_work on liburcu-memb: an item queued with
 * queue_rcu_work() runs only after every read-side critical section that
 * was running when it was queued has ended, on the workqueue it was
 * queued on, once per queueing; flush_rcu_work() waits for the grace
 * period and the run; cancel_work_sync() takes an item in its grace
 * period; drain and destroy wait for grace periods; misuse is named.
 * Without liburcu, queue_rcu_work() refuses with a diagnostic and the
 * test reports itself skipped.
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include "../harness.h"

#include <pthread.h>
#include <stdatomic.h>

#ifdef TEST_HAVE_URCU
#include <urcu/urcu-memb.h>
#endif

struct rw_item {
	struct rcu_work rwork;
	atomic_int runs;
	atomic_int reader_done_before; /* the reader had left at run time */
	atomic_int *reader_inside;
	struct workqueue_struct *want_wq;
	atomic_int right_wq;
};

static void rw_fn(struct work_struct *work)
{
	struct rcu_work *rwork = to_rcu_work(work);
	struct rw_item *it = container_of(rwork, struct rw_item, rwork);

	if (it->reader_inside && !atomic_load(it->reader_inside))
		atomic_fetch_add(&it->reader_done_before, 1);
	if (rwork->wq == it->want_wq)
		atomic_fetch_add(&it->right_wq, 1);
	atomic_fetch_add(&it->runs, 1);
}

#ifndef TEST_HAVE_URCU

int main(void)
{
	struct workqueue_struct *wq;
	struct rw_item it = { 0 };
	struct harness_capture cap;

	harness_watchdog(30);
	wq = alloc_workqueue("rcu_off", WQ_UNBOUND, 0);
	CHECK(wq);
	INIT_RCU_WORK(&it.rwork, rw_fn);
	harness_capture_begin(&cap);
	CHECK(!queue_rcu_work(wq, &it.rwork));
	CHECK(harness_capture_end(&cap, "built without liburcu"));
	CHECK(!flush_rcu_work(&it.rwork));
	destroy_workqueue(wq);
	CHECK_EQ(atomic_load(&it.runs), 0);
	printf("rcu_work: libcmwq built without liburcu: SKIPPED\n");
	return HARNESS_SKIP;
}

#else

/* A reader that stays in its critical section until told to leave. */
struct reader {
	pthread_t thread;
	atomic_int inside;
	atomic_int leave;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	urcu_memb_register_thread();
	urcu_memb_read_lock();
	atomic_store(&r->inside, 1);
	while (!atomic_load(&r->leave))
		harness_sleep_ms(1);
	atomic_store(&r->inside, 0);
	urcu_memb_read_unlock();
	urcu_memb_unregister_thread();
	return NULL;
}

static void reader_start(struct reader *r)
{
	atomic_init(&r->inside, 0);
	atomic_init(&r->leave, 0);
	CHECK(pthread_create(&r->thread, NULL, reader_fn, r) == 0);
	WAIT_UNTIL(atomic_load(&r->inside), 5000);
}

static void reader_stop(struct reader *r)
{
	atomic_store(&r->leave, 1);
	CHECK(pthread_join(r->thread, NULL) == 0);
}

static void item_init(struct rw_item *it, struct workqueue_struct *wq,
		      atomic_int *inside)
{
	memset(it, 0, sizeof(*it));
	INIT_RCU_WORK(&it->rwork, rw_fn);
	it->want_wq = wq;
	it->reader_inside = inside;
}

/* The item waits for a reader that was inside when it was queued. */
static void test_waits_for_reader(void)
{
	struct workqueue_struct *wq = alloc_workqueue("rcu_wait", 0, 0);
	struct reader r;
	struct rw_item it;

	CHECK(wq);
	reader_start(&r);
	item_init(&it, wq, &r.inside);
	CHECK(queue_rcu_work(wq, &it.rwork));
	/* Pending through its grace period: a second queueing is refused. */
	CHECK(!queue_rcu_work(wq, &it.rwork));
	CHECK(work_pending(&it.rwork.work));
	harness_sleep_ms(100);
	CHECK_EQ(atomic_load(&it.runs), 0);
	reader_stop(&r);
	WAIT_UNTIL(atomic_load(&it.runs) == 1, 10000);
	CHECK_EQ(atomic_load(&it.reader_done_before), 1);
	CHECK_EQ(atomic_load(&it.right_wq), 1);
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&it.runs), 1);
	/* Idle again: it can be queued again, and runs again. */
	CHECK(!work_pending(&it.rwork.work));
	CHECK(queue_rcu_work(wq, &it.rwork));
	CHECK(flush_rcu_work(&it.rwork));
	CHECK_EQ(atomic_load(&it.runs), 2);
	destroy_workqueue(wq);
}

/* flush_rcu_work() waits for the grace period and the run. */
static void test_flush(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("rcu_flush", 0);
	struct rw_item it[16];
	int i;

	CHECK(wq);
	for (i = 0; i < 16; i++) {
		item_init(&it[i], wq, NULL);
		CHECK(queue_rcu_work(wq, &it[i].rwork));
	}
	/* Pending: it waits, for every grace period asked for so far. */
	CHECK(flush_rcu_work(&it[15].rwork));
	for (i = 0; i < 16; i++) {
		/* Each is then idle or running: a plain flush_work(). */
		flush_rcu_work(&it[i].rwork);
		CHECK_EQ(atomic_load(&it[i].runs), 1);
	}
	/* An idle item: nothing to wait for. */
	CHECK(!flush_rcu_work(&it[0].rwork));
	destroy_workqueue(wq);
}

/*
 * cancel_work_sync() takes an item in its grace period: it never runs.
 * The canceller waits for the callback to queue it; the item then waits
 * behind a blocker on an ordered workqueue, so the canceller takes it
 * whatever the timing.
 */
static DECLARE_COMPLETION(blocker_go);

static void blocker_fn(struct work_struct *work)
{
	(void)work;
	wait_for_completion(&blocker_go);
}

static void *release_reader_later(void *arg)
{
	struct reader *r = arg;

	harness_sleep_ms(30);
	atomic_store(&r->leave, 1);
	return NULL;
}

static void test_cancel_in_grace_period(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("rcu_cancel", 0);
	struct work_struct blocker;
	pthread_t releaser;
	struct reader r;
	struct rw_item it;

	CHECK(wq);
	INIT_WORK(&blocker, blocker_fn);
	CHECK(queue_work(wq, &blocker));
	reader_start(&r);
	item_init(&it, wq, &r.inside);
	CHECK(queue_rcu_work(wq, &it.rwork));
	CHECK(pthread_create(&releaser, NULL, release_reader_later, &r) == 0);
	CHECK(cancel_work_sync(&it.rwork.work));
	CHECK(pthread_join(releaser, NULL) == 0);
	CHECK(pthread_join(r.thread, NULL) == 0);
	complete(&blocker_go);
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&it.runs), 0);
	CHECK(!work_pending(&it.rwork.work));
	destroy_workqueue(wq);
}

/* Destroy waits for the grace periods of its rcu_works, then their runs. */
static void test_destroy_waits(void)
{
	struct workqueue_struct *wq = alloc_workqueue("rcu_destroy",
						      WQ_UNBOUND, 0);
	struct reader r;
	struct rw_item it[8];
	int i;

	CHECK(wq);
	reader_start(&r);
	for (i = 0; i < 8; i++) {
		item_init(&it[i], wq, &r.inside);
		CHECK(queue_rcu_work(wq, &it[i].rwork));
	}
	harness_sleep_ms(20);
	atomic_store(&r.leave, 1);
	CHECK(cmwq_destroy_workqueue(wq) == 0);
	for (i = 0; i < 8; i++) {
		CHECK_EQ(atomic_load(&it[i].runs), 1);
		CHECK_EQ(atomic_load(&it[i].reader_done_before), 1);
	}
	CHECK(pthread_join(r.thread, NULL) == 0);
}

/* From many threads, none of them registered with liburcu beforehand. */
#define PRODUCERS 4
#define PER_PRODUCER 200

static struct workqueue_struct *many_wq;
static struct rw_item many[PRODUCERS][PER_PRODUCER];

static void *producer_fn(void *arg)
{
	struct rw_item *items = arg;
	int i;

	for (i = 0; i < PER_PRODUCER; i++) {
		item_init(&items[i], many_wq, NULL);
		CHECK(queue_rcu_work(many_wq, &items[i].rwork));
	}
	return NULL;
}

static void test_many_threads(void)
{
	pthread_t t[PRODUCERS];
	int p, i;

	many_wq = alloc_workqueue("rcu_many", 0, 0);
	CHECK(many_wq);
	for (p = 0; p < PRODUCERS; p++)
		CHECK(pthread_create(&t[p], NULL, producer_fn, many[p]) == 0);
	for (p = 0; p < PRODUCERS; p++)
		CHECK(pthread_join(t[p], NULL) == 0);
	drain_workqueue(many_wq);
	for (p = 0; p < PRODUCERS; p++)
		for (i = 0; i < PER_PRODUCER; i++)
			CHECK_EQ(atomic_load(&many[p][i].runs), 1);
	destroy_workqueue(many_wq);
}

/* Misuse is named and refused; waiting inside a reader never hangs. */
static void test_misuse(void)
{
	struct workqueue_struct *wq = alloc_workqueue("rcu_misuse", 0, 0);
	struct harness_capture cap;
	struct rw_item it;

	CHECK(wq);
	item_init(&it, wq, NULL);
	harness_capture_begin(&cap);
	CHECK(!queue_rcu_work(NULL, &it.rwork));
	CHECK(harness_capture_end(&cap, "queue_rcu_work"));
	harness_capture_begin(&cap);
	CHECK(!queue_rcu_work(wq, NULL));
	CHECK(harness_capture_end(&cap, "queue_rcu_work"));
	harness_capture_begin(&cap);
	CHECK(!flush_rcu_work(NULL));
	CHECK(harness_capture_end(&cap, "flush_rcu_work"));

	/* Disabled: refused, and enabling lets it in again. */
	CHECK(!disable_work(&it.rwork.work));
	CHECK(!queue_rcu_work(wq, &it.rwork));
	CHECK(enable_work(&it.rwork.work));

	/* flush_rcu_work() inside a read-side critical section. */
	urcu_memb_register_thread();
	CHECK(queue_rcu_work(wq, &it.rwork));
	urcu_memb_read_lock();
	harness_capture_begin(&cap);
	CHECK(flush_rcu_work(&it.rwork));
	CHECK(harness_capture_end(&cap, "read-side critical section"));
	urcu_memb_read_unlock();
	CHECK(flush_rcu_work(&it.rwork));
	CHECK_EQ(atomic_load(&it.runs), 1);
	urcu_memb_unregister_thread();
	destroy_workqueue(wq);
}

int main(void)
{
	harness_watchdog(120);
	RUN_TEST(test_waits_for_reader);
	RUN_TEST(test_flush);
	RUN_TEST(test_cancel_in_grace_period);
	RUN_TEST(test_destroy_waits);
	RUN_TEST(test_many_threads);
	RUN_TEST(test_misuse);
	return 0;
}

#endif
