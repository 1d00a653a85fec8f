// SPDX-License-Identifier: MIT
/*
 * flush_deadlock.c - a flush that can never finish is diagnosed, not left
 * to hang; a stall behind max_active is reported by the watchdog
 *
 *  - an item of a max_active 1 workqueue (unbound, not ordered) that
 *    flushes a later item of its own queue: that item waits behind
 *    max_active for the slot the flusher holds; flush_work() says so,
 *    naming both functions, and returns false at once;
 *  - the same on a per-CPU queue with max_active 1, from the same CPU;
 *    from another CPU the flush waits and succeeds;
 *  - with max_active 2 the later item runs meanwhile: the flush waits;
 *  - flush_workqueue() from an item of the same queue: a diagnostic;
 *  - an item of an ordered queue waiting for a completion that a later
 *    item of the queue would signal: the watchdog reports the workqueue
 *    and the stuck function.  The test releases it at the end.
 *
 * The work functions are exported (ENABLE_EXPORTS) so that the library's
 * diagnostics can name them.
 */
#include <cmwq.h>
#include "harness.h"
#include "watchdog_reports.h"

#include <pthread.h>
#include <stdatomic.h>

static struct workqueue_struct *test_wq;
static struct work_struct later;
static int later_cpu = WORK_CPU_UNBOUND;
static atomic_int later_runs, flush_ret, flusher_done;

void flush_deadlock_later_fn(struct work_struct *w);
void flush_deadlock_later_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&later_runs, 1);
}

/* Queues a later item on its own queue and flushes it. */
void flush_deadlock_flusher_fn(struct work_struct *w);
void flush_deadlock_flusher_fn(struct work_struct *w)
{
	(void)w;
	CHECK(queue_work_on(later_cpu, test_wq, &later));
	atomic_store(&flush_ret, flush_work(&later) ? 1 : 0);
	atomic_store(&flusher_done, 1);
}

/*
 * Run the flusher on @wq (on @cpu) with the later item queued on
 * @other_cpu; return flush_work()'s result.  The captured stderr must
 * contain @needle (NULL: must not mention flush_work).
 */
static int run_flusher(struct workqueue_struct *wq, int cpu, int other_cpu,
		       const char *needle)
{
	struct harness_capture cap;
	struct work_struct flusher;
	bool found;

	test_wq = wq;
	later_cpu = other_cpu;
	atomic_store(&later_runs, 0);
	atomic_store(&flusher_done, 0);
	atomic_store(&flush_ret, -1);
	INIT_WORK(&later, flush_deadlock_later_fn);
	INIT_WORK(&flusher, flush_deadlock_flusher_fn);
	harness_capture_begin(&cap);
	CHECK(queue_work_on(cpu, wq, &flusher));
	/* Before the fix: hangs here (the harness alarm fails the test). */
	CHECK(WAIT_UNTIL(atomic_load(&flusher_done), HARNESS_SLOW(20000)));
	flush_work(&flusher);
	flush_work(&later);
	found = harness_capture_end(&cap, needle ? needle : "flush_work");
	CHECK(needle ? found : !found);
	/* The later item ran once in every case, after or during the flush. */
	CHECK_EQ(atomic_load(&later_runs), 1);
	return atomic_load(&flush_ret);
}

static void test_unbound_max_active_1(void)
{
	struct workqueue_struct *wq =
		alloc_workqueue("fd_unbound", WQ_UNBOUND, 1);

	CHECK(wq);
	CHECK_EQ(run_flusher(wq, WORK_CPU_UNBOUND, WORK_CPU_UNBOUND,
			     "flush_deadlock_flusher_fn() (an item of "
			     "max_active 1 workqueue \"fd_unbound\") waits "
			     "for flush_deadlock_later_fn()"),
		 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_percpu_max_active_1(void)
{
	struct workqueue_struct *wq =
		alloc_workqueue("fd_percpu", WQ_PERCPU, 1);

	CHECK(wq);
	CHECK_EQ(run_flusher(wq, 0, 0,
			     "flush_deadlock_flusher_fn() (an item of "
			     "max_active 1 workqueue \"fd_percpu\") waits "
			     "for flush_deadlock_later_fn()"),
		 0);
	/*
	 * Another CPU's pwq has its own slot: no word, the flush waits (or
	 * finds the item done already: either result).
	 */
	if (cmwq_nr_cpus() > 1)
		CHECK(run_flusher(wq, 0, 1, NULL) >= 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_max_active_2_waits(void)
{
	struct workqueue_struct *wq = alloc_workqueue("fd_two", WQ_UNBOUND, 2);

	CHECK(wq);
	/* The later item runs beside the flusher: waited for, or done. */
	CHECK(run_flusher(wq, WORK_CPU_UNBOUND, WORK_CPU_UNBOUND, NULL) >= 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_ordered_still_diagnosed(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("fd_ordered", 0);

	CHECK(wq);
	CHECK_EQ(run_flusher(wq, WORK_CPU_UNBOUND, WORK_CPU_UNBOUND,
			     "flush_deadlock_flusher_fn() (an item of "
			     "ordered workqueue \"fd_ordered\") waits for "
			     "flush_deadlock_later_fn()"),
		 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

void flush_deadlock_own_queue_fn(struct work_struct *w);
void flush_deadlock_own_queue_fn(struct work_struct *w)
{
	(void)w;
	CHECK(queue_work(test_wq, &later));
	flush_workqueue(test_wq);
	atomic_store(&flusher_done, 1);
}

static void test_flush_own_workqueue(void)
{
	struct workqueue_struct *wq = alloc_workqueue("fd_own", WQ_UNBOUND, 1);
	struct harness_capture cap;
	struct work_struct w;

	CHECK(wq);
	test_wq = wq;
	atomic_store(&flusher_done, 0);
	atomic_store(&later_runs, 0);
	INIT_WORK(&later, flush_deadlock_later_fn);
	INIT_WORK(&w, flush_deadlock_own_queue_fn);
	harness_capture_begin(&cap);
	CHECK(queue_work(wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&flusher_done), HARNESS_SLOW(20000)));
	flush_workqueue(wq);
	CHECK(harness_capture_end(&cap, "flush_workqueue(\"fd_own\") from "
					"one of its own items"));
	CHECK_EQ(atomic_load(&later_runs), 1);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* The watchdog: an ordered item waits for a later item of its queue. */
static struct completion gate;
static atomic_int waiter_in;

void flush_deadlock_waiter_fn(struct work_struct *w);
void flush_deadlock_waiter_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&waiter_in, 1);
	wait_for_completion(&gate);
}

void flush_deadlock_signaller_fn(struct work_struct *w);
void flush_deadlock_signaller_fn(struct work_struct *w)
{
	(void)w;
	complete(&gate);
}

static void test_watchdog_sees_held_back_items(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("fd_wd", 0);
	struct work_struct waiter, signaller;
	bool reported;

	CHECK(wq);
	init_completion(&gate);
	INIT_WORK(&waiter, flush_deadlock_waiter_fn);
	INIT_WORK(&signaller, flush_deadlock_signaller_fn);
	cmwq_set_watchdog(300, on_report, NULL);
	CHECK(queue_work(wq, &waiter));
	CHECK(WAIT_UNTIL(atomic_load(&waiter_in), HARNESS_SLOW(10000)));
	/* Held back by max_active 1 behind the waiter: never starts. */
	CHECK(queue_work(wq, &signaller));
	reported =
		WAIT_UNTIL(atomic_load(&nr_reports) > 0, HARNESS_SLOW(10000));
	/* Release the hang whatever was seen, then check. */
	complete(&gate);
	flush_work(&signaller);
	cmwq_set_watchdog(0, NULL, NULL);
	if (!reported)
		fprintf(stderr, "no watchdog report\n");
	CHECK(reported);
	fprintf(stderr, "report: %s", last_report);
	CHECK(report_has("workqueue \"fd_wd\""));
	CHECK(report_has("flush_deadlock_waiter_fn"));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	RUN_TEST(test_unbound_max_active_1);
	RUN_TEST(test_percpu_max_active_1);
	RUN_TEST(test_max_active_2_waits);
	RUN_TEST(test_ordered_still_diagnosed);
	RUN_TEST(test_flush_own_workqueue);
	RUN_TEST(test_watchdog_sees_held_back_items);
	return 0;
}
