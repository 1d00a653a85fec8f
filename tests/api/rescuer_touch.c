// SPDX-License-Identifier: MIT
/*
 * rescuer_touch.c - current_is_workqueue_rescuer() is true exactly in an
 * item a rescuer runs; wq_watchdog_touch() keeps an expected stall from
 * being reported, and the stall is reported once the touches stop, naming
 * the stuck static function.
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static atomic_int in_rescuer = -1, in_worker = -1;

static void record_rescuer(struct work_struct *work)
{
	(void)work;
	atomic_store(&in_rescuer, current_is_workqueue_rescuer());
}

static void record_worker(struct work_struct *work)
{
	(void)work;
	atomic_store(&in_worker, current_is_workqueue_rescuer());
}

/* Runs first, in a fresh process: no unbound worker exists yet. */
static void test_rescuer(void)
{
	struct workqueue_struct *wq;
	DECLARE_WORK(rescued, record_rescuer);
	DECLARE_WORK(normal, record_worker);

	CHECK(!current_is_workqueue_rescuer());
	wq = alloc_workqueue("rt_reclaim", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	CHECK(wq);
	/* No worker can start: only the rescuer (started above) runs it. */
	cmwq_fault_set(CMWQ_FAULT_THREAD, 1, 0, 0);
	CHECK(queue_work(wq, &rescued));
	CHECK(WAIT_UNTIL(atomic_load(&in_rescuer) != -1, HARNESS_SLOW(30000)));
	cmwq_fault_set(CMWQ_FAULT_THREAD, 0, 0, 0);
	CHECK_EQ(atomic_load(&in_rescuer), 1);

	CHECK(queue_work(system_wq, &normal));
	flush_work(&normal);
	CHECK_EQ(atomic_load(&in_worker), 0);
	CHECK(!current_is_workqueue_rescuer());
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static atomic_int nr_reports;
static atomic_int named_static_fn;

static void on_report(const char *report, void *arg)
{
	(void)arg;
	fprintf(stderr, "test: report: %s", report);
	/*
	 * waiter_fn is static and this program is linked without
	 * -rdynamic: dladdr() cannot name it, the file's .symtab can
	 * (regression: the report said "runs 0x55...").
	 */
	if (strstr(report, "runs waiter_fn"))
		atomic_store(&named_static_fn, 1);
	atomic_fetch_add(&nr_reports, 1);
}

static struct completion release;
static atomic_int waiter_in;

static void waiter_fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&waiter_in, 1);
	wait_for_completion(&release);
}

static void nop_fn(struct work_struct *work)
{
	(void)work;
}

#define THRESH_MS 400

static void test_watchdog_touch(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("rt_touch", 0);
	DECLARE_WORK(waiter, waiter_fn);
	DECLARE_WORK(behind, nop_fn);
	unsigned long long start, last, gap, max_gap = 0;

	CHECK(wq);
	init_completion(&release);
	cmwq_set_watchdog(THRESH_MS, on_report, NULL);
	CHECK(queue_work(wq, &waiter));
	CHECK(WAIT_UNTIL(atomic_load(&waiter_in), HARNESS_SLOW(10000)));
	/* Held back behind the waiter: a stall the watchdog reports... */
	CHECK(queue_work(wq, &behind));

	/* ...unless it is touched: 3 thresholds long, every 20 ms. */
	start = last = harness_now_ns();
	while (harness_now_ns() - start < 3ull * THRESH_MS * 1000000ull) {
		wq_watchdog_touch(-1);
		harness_sleep_ms(20);
		gap = harness_now_ns() - last;
		last = harness_now_ns();
		if (gap > max_gap)
			max_gap = gap;
	}
	wq_watchdog_touch(harness_cpu(0));
	fprintf(stderr, "test: longest gap between touches %llu ms\n",
		max_gap / 1000000ull);
	/* A gap past the threshold (a starved test thread) proves nothing. */
	if (max_gap < THRESH_MS * 1000000ull / 2)
		CHECK_EQ(atomic_load(&nr_reports), 0);

	/* Touches stop: reported. */
	CHECK(WAIT_UNTIL(atomic_load(&nr_reports) > 0, HARNESS_SLOW(10000)));
	cmwq_set_watchdog(0, NULL, NULL);
	CHECK(atomic_load(&named_static_fn));
	complete(&release);
	flush_workqueue(wq);
	destroy_workqueue(wq);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(90));
	RUN_TEST(test_rescuer);
	RUN_TEST(test_watchdog_touch);
	return 0;
}
