// SPDX-License-Identifier: MIT
/*
 * watchdog.c - the stall watchdog reports a pool whose queued work does not
 * move, once, within threshold + 1 s, naming the busy workers' functions;
 * and never reports a busy pool that progresses
 */
#include <cmwq.h>
#include "harness.h"
#include "watchdog_reports.h"

#include <pthread.h>
#include <stdatomic.h>

static struct completion gate;
static atomic_int blockers_in, progress;

void watchdog_blocker_fn(struct work_struct *w);
void watchdog_blocker_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&blockers_in, 1);
	wait_for_completion(&gate);
}

static void quick_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&progress, 1);
}

static void test_progressing_pool_not_reported(void)
{
	struct workqueue_struct *wq = alloc_workqueue("busy", WQ_PERCPU, 1);
	static struct work_struct items[64];
	unsigned long long end = harness_now_ns() + 1500000000ull;
	int i = 0;

	CHECK(wq);
	cmwq_set_watchdog(300, on_report, NULL);
	/* Keep work queued on the pool, always moving, for 1.5 s. */
	for (i = 0; i < 64; i++)
		INIT_WORK(&items[i], quick_fn);
	while (harness_now_ns() < end) {
		for (i = 0; i < 64; i++)
			queue_work_on(0, wq, &items[i]);
		harness_sleep_ms(1);
	}
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&nr_reports), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_stall_reported(void)
{
	struct workqueue_struct *wq = alloc_workqueue("stall", WQ_PERCPU, 0);
	struct work_struct blockers[8], stuck;
	unsigned long long t0;
	int i, n;

	CHECK(wq);
	init_completion(&gate);
	/*
	 * Block every worker the pool can have: once new threads can no
	 * longer be created, the next item cannot start.
	 */
	for (i = 0; i < 8; i++)
		INIT_WORK(&blockers[i], watchdog_blocker_fn);
	CHECK(queue_work_on(1 % cmwq_nr_cpus(), wq, &blockers[0]));
	CHECK(WAIT_UNTIL(atomic_load(&blockers_in) == 1, 10000));
	cmwq_fault_set(CMWQ_FAULT_THREAD, 1, 0, 0);
	n = 1;
	/* Queue blockers until one of them cannot start. */
	for (i = 1; i < 8; i++) {
		CHECK(queue_work_on(1 % cmwq_nr_cpus(), wq, &blockers[i]));
		if (!WAIT_UNTIL(atomic_load(&blockers_in) == n + 1, 300))
			break;
		n++;
	}
	INIT_WORK(&stuck, quick_fn);
	CHECK(queue_work_on(1 % cmwq_nr_cpus(), wq, &stuck));
	t0 = harness_now_ns();
	cmwq_set_watchdog(500, on_report, NULL);
	CHECK(WAIT_UNTIL(atomic_load(&nr_reports) >= 1, 10000));
	fprintf(stderr, "test: report after %llu ms:\n%s",
		(harness_now_ns() - t0) / 1000000ull, last_report);
	CHECK(strstr(last_report, "workqueue lockup"));
	CHECK(strstr(last_report, "watchdog_blocker_fn"));
	/* Once per stall. */
	harness_sleep_ms(1200);
	CHECK_EQ(atomic_load(&nr_reports), 1);
	cmwq_fault_set(CMWQ_FAULT_THREAD, 0, 0, 0);
	complete_all(&gate);
	flush_workqueue(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(120);
	RUN_TEST(test_progressing_pool_not_reported);
	RUN_TEST(test_stall_reported);
	return 0;
}
