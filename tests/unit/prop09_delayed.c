/* SPDX-License-Identifier: MIT */
/*
 * Property 9: delayed work.  Delay 0 queues now; an armed item is not
 * re-armed by a second queue call; mod_delayed_work re-arms (earlier and
 * later); cancel_delayed_work stops it; flush_delayed_work runs an armed
 * item now; a self-re-arming item is stopped by cancel_delayed_work_sync.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define LONG_DELAY (60 * HZ) /* never reached by a correct engine */

static atomic_int runs;
static struct completion ran;

static void count_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&runs, 1);
	complete(&ran);
}

static void reset(struct delayed_work *dw)
{
	atomic_store(&runs, 0);
	init_completion(&ran);
	INIT_DELAYED_WORK(dw, count_fn);
}

static bool wait_ran(void)
{
	return cmwq_wait_for_completion_timeout_ns(&ran, HARNESS_SLOW(10) *
								 1000000000ull);
}

static void test_delay_zero(void)
{
	struct delayed_work dw;
	struct workqueue_struct *wq = alloc_ordered_workqueue("p9z", 0);

	CHECK(wq);
	reset(&dw);
	CHECK(queue_delayed_work(system_wq, &dw, 0));
	CHECK(wait_ran());
	flush_delayed_work(&dw);
	CHECK_EQ(atomic_load(&runs), 1);
	/* Delay 0 queues at once: flush_work on the inner item waits. */
	CHECK(queue_delayed_work(wq, &dw, 0));
	flush_work(&dw.work);
	CHECK_EQ(atomic_load(&runs), 2);
	CHECK(!delayed_work_pending(&dw));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_armed_not_rearmed(void)
{
	struct delayed_work dw;

	reset(&dw);
	CHECK(queue_delayed_work(system_wq, &dw, LONG_DELAY));
	CHECK(delayed_work_pending(&dw));
	/* A second call with a shorter delay must not re-arm it. */
	CHECK(!queue_delayed_work(system_wq, &dw, 1));
	CHECK(!queue_delayed_work(system_wq, &dw, 0));
	CHECK(!queue_work(system_wq, &dw.work));
	harness_sleep_ms(50);
	CHECK_EQ(atomic_load(&runs), 0);
	CHECK(delayed_work_pending(&dw));
	CHECK(cancel_delayed_work(&dw));
	CHECK(!delayed_work_pending(&dw));
	CHECK(!cancel_delayed_work(&dw));
	harness_sleep_ms(20);
	CHECK_EQ(atomic_load(&runs), 0);
}

static void test_cancel_stops(void)
{
	struct delayed_work dw;

	reset(&dw);
	CHECK(queue_delayed_work(system_unbound_wq, &dw, 100));
	CHECK(cancel_delayed_work(&dw));
	harness_sleep_ms(200);
	CHECK_EQ(atomic_load(&runs), 0);
	CHECK(!delayed_work_pending(&dw));
	/* cancel_delayed_work_sync on an armed item: true, never runs. */
	CHECK(queue_delayed_work(system_wq, &dw, 100));
	CHECK(cancel_delayed_work_sync(&dw));
	harness_sleep_ms(200);
	CHECK_EQ(atomic_load(&runs), 0);
	CHECK(!cancel_delayed_work_sync(&dw));
}

static void test_mod_earlier(void)
{
	struct delayed_work dw;

	reset(&dw);
	/* Idle: mod arms it and returns false. */
	CHECK(!mod_delayed_work(system_wq, &dw, LONG_DELAY));
	CHECK(delayed_work_pending(&dw));
	/* Pending: re-armed earlier, returns true, runs soon. */
	CHECK(mod_delayed_work(system_wq, &dw, 1));
	CHECK(wait_ran());
	CHECK_EQ(atomic_load(&runs), 1);
	/* Pending, to 0: runs now. */
	CHECK(!mod_delayed_work(system_unbound_wq, &dw, LONG_DELAY));
	CHECK(mod_delayed_work(system_unbound_wq, &dw, 0));
	CHECK(wait_ran());
	flush_delayed_work(&dw);
	CHECK_EQ(atomic_load(&runs), 2);
	CHECK(!delayed_work_pending(&dw));
}

static void test_mod_later(void)
{
	struct delayed_work dw;
	bool modified;

	reset(&dw);
	CHECK(queue_delayed_work(system_wq, &dw, 300));
	modified = mod_delayed_work(system_wq, &dw, LONG_DELAY);
	if (!modified) {
		/* Only if 300 ms passed before the call (a very slow host). */
		fprintf(stderr, "test: timer fired before mod, skipped\n");
		flush_delayed_work(&dw);
		return;
	}
	harness_sleep_ms(600);
	CHECK_EQ(atomic_load(&runs), 0);
	CHECK(delayed_work_pending(&dw));
	CHECK(cancel_delayed_work_sync(&dw));
	CHECK_EQ(atomic_load(&runs), 0);
}

static void test_flush_delayed(void)
{
	struct delayed_work dw;

	reset(&dw);
	CHECK(!flush_delayed_work(&dw)); /* idle */
	CHECK(queue_delayed_work(system_wq, &dw, LONG_DELAY));
	CHECK(flush_delayed_work(&dw));
	CHECK_EQ(atomic_load(&runs), 1);
	CHECK(!delayed_work_pending(&dw));
	/* It does not run again when the old expiry would have come. */
	CHECK(!flush_delayed_work(&dw));
	CHECK_EQ(atomic_load(&runs), 1);
}

/* A 1 ms self-re-arming item: cancel_delayed_work_sync stops it for good. */
static struct delayed_work rearm;
static atomic_int rearm_runs, rearm_inside;

static void rearm_fn(struct work_struct *w)
{
	atomic_store(&rearm_inside, 1);
	atomic_fetch_add(&rearm_runs, 1);
	queue_delayed_work(system_wq, to_delayed_work(w), 1);
	atomic_store(&rearm_inside, 0);
}

static void test_self_rearm(void)
{
	int round, n;

	INIT_DELAYED_WORK(&rearm, rearm_fn);
	for (round = 0; round < 5; round++) {
		atomic_store(&rearm_runs, 0);
		CHECK(queue_delayed_work(system_wq, &rearm, round % 2));
		CHECK(WAIT_UNTIL(atomic_load(&rearm_runs) >= 5,
				 HARNESS_SLOW(5000)));
		cancel_delayed_work_sync(&rearm);
		CHECK(!delayed_work_pending(&rearm));
		CHECK(!atomic_load(&rearm_inside));
		n = atomic_load(&rearm_runs);
		harness_sleep_ms(30);
		CHECK_EQ(atomic_load(&rearm_runs), n);
		CHECK(!delayed_work_pending(&rearm));
	}
}

/* Many items with different delays: each runs once. */
#define NDW 64
static struct delayed_work many[NDW];
static atomic_int many_runs[NDW];

static void many_fn(struct work_struct *w)
{
	struct delayed_work *dw = to_delayed_work(w);

	atomic_fetch_add(&many_runs[dw - many], 1);
}

static void test_many(void)
{
	int i;

	for (i = 0; i < NDW; i++) {
		atomic_store(&many_runs[i], 0);
		INIT_DELAYED_WORK(&many[i], many_fn);
		CHECK(queue_delayed_work(i % 2 ? system_wq : system_unbound_wq,
					 &many[i], (unsigned long)(i % 13)));
	}
	for (i = 0; i < NDW; i++)
		CHECK(WAIT_UNTIL(atomic_load(&many_runs[i]) == 1,
				 HARNESS_SLOW(5000)));
	for (i = 0; i < NDW; i++)
		flush_delayed_work(&many[i]);
	harness_sleep_ms(20);
	for (i = 0; i < NDW; i++)
		CHECK_EQ(atomic_load(&many_runs[i]), 1);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_delay_zero);
	RUN_TEST(test_armed_not_rearmed);
	RUN_TEST(test_cancel_stops);
	RUN_TEST(test_mod_earlier);
	RUN_TEST(test_mod_later);
	RUN_TEST(test_flush_delayed);
	RUN_TEST(test_self_rearm);
	RUN_TEST(test_many);
	return 0;
}
