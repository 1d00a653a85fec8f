// SPDX-License-Identifier: MIT
/*
 * debug_objects.c - the work item debug mode (CMWQ_DEBUG_OBJECTS=1, set by
 * CTest): queueing an item never initialised is refused with a
 * diagnostic; DECLARE_WORK and INIT_WORK items queue; destroying a pending
 * on-stack item is reported
 */
#include <cmwq.h>
#include "harness.h"

#include <stdatomic.h>

static atomic_int runs;
static struct completion gate;

static void count_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&runs, 1);
}

static void gate_fn(struct work_struct *w)
{
	(void)w;
	wait_for_completion(&gate);
}

static DECLARE_WORK(static_item, count_fn);

static void test_uninitialised_refused(void)
{
	struct harness_capture cap;
	struct work_struct raw;

	/* A struct that only has its function set, as by a careless copy. */
	memset(&raw, 0, sizeof(raw));
	raw.func = count_fn;
	harness_capture_begin(&cap);
	CHECK(!queue_work(system_wq, &raw));
	CHECK(harness_capture_end(&cap, "never initialised"));
	CHECK_EQ(atomic_load(&runs), 0);
}

static void test_initialised_queue(void)
{
	struct work_struct w;

	atomic_store(&runs, 0);
	INIT_WORK(&w, count_fn);
	CHECK(queue_work(system_wq, &w));
	flush_work(&w);
	CHECK(queue_work(system_wq, &static_item));
	flush_work(&static_item);
	CHECK(queue_work(system_wq, &static_item));
	flush_work(&static_item);
	CHECK_EQ(atomic_load(&runs), 3);
}

static void test_destroy_pending_on_stack(void)
{
	struct harness_capture cap;
	struct workqueue_struct *wq = alloc_ordered_workqueue("dbg", 0);
	struct work_struct blocker, w;

	CHECK(wq);
	init_completion(&gate);
	INIT_WORK_ONSTACK(&blocker, gate_fn);
	INIT_WORK_ONSTACK(&w, count_fn);
	CHECK(queue_work(wq, &blocker));
	CHECK(queue_work(wq, &w));
	harness_capture_begin(&cap);
	destroy_work_on_stack(&w);
	CHECK(harness_capture_end(&cap, "still pending"));
	complete(&gate);
	flush_workqueue(wq);
	destroy_work_on_stack(&blocker);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(60);
	RUN_TEST(test_uninitialised_refused);
	RUN_TEST(test_initialised_queue);
	RUN_TEST(test_destroy_pending_on_stack);
	return 0;
}
