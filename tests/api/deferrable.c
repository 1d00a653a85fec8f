// SPDX-License-Identifier: MIT
/*
 * deferrable.c - deferrable delayed work compiles as kernel code writes it
 * (DECLARE_DEFERRABLE_WORK, INIT_DEFERRABLE_WORK[_ONSTACK], the
 * three-argument __DELAYED_WORK_INITIALIZER) and runs as delayed work:
 * once, never before its delay.
 */
#include <cmwq.h>

#include <stdatomic.h>

#include "harness.h"

static atomic_int runs;
static atomic_ullong ran_at_ns;

static void poll_fn(struct work_struct *work)
{
	struct delayed_work *dw = to_delayed_work(work);

	(void)dw;
	atomic_store(&ran_at_ns, harness_now_ns());
	atomic_fetch_add(&runs, 1);
}

static DECLARE_DEFERRABLE_WORK(declared, poll_fn);
static struct delayed_work initialised =
	__DELAYED_WORK_INITIALIZER(initialised, poll_fn, TIMER_DEFERRABLE);

static void run_one(struct delayed_work *dw, unsigned long delay)
{
	unsigned long long queued;
	int before = atomic_load(&runs);

	queued = harness_now_ns();
	CHECK(queue_delayed_work(system_wq, dw, delay));
	CHECK(!queue_delayed_work(system_wq, dw, delay));
	/* Not flush_delayed_work(): it would run the item at once. */
	CHECK(WAIT_UNTIL(atomic_load(&runs) == before + 1,
			 HARNESS_SLOW(10000)));
	harness_sleep_ms(5);
	CHECK_EQ(atomic_load(&runs), before + 1);
	/* Late is allowed, early is not. */
	CHECK(atomic_load(&ran_at_ns) - queued >=
	      (unsigned long long)jiffies_to_usecs(delay) * 1000ull);
}

static void test_deferrable(void)
{
	struct delayed_work onstack;
	struct delayed_work dynamic;

	INIT_DEFERRABLE_WORK(&dynamic, poll_fn);
	INIT_DEFERRABLE_WORK_ONSTACK(&onstack, poll_fn);
	run_one(&declared, msecs_to_jiffies(10));
	run_one(&initialised, msecs_to_jiffies(5));
	run_one(&dynamic, 3);
	run_one(&onstack, 1);
	destroy_delayed_work_on_stack(&onstack);
	CHECK(!cancel_delayed_work_sync(&dynamic));
}

/* The timer's flags read as the kernel's; the service ignores them. */
static void test_timer_flags(void)
{
	struct harness_capture cap;
	struct delayed_work dw;
	unsigned int f;

	CHECK(declared.timer.flags & TIMER_DEFERRABLE);
	CHECK(initialised.timer.flags & TIMER_DEFERRABLE);
	INIT_DELAYED_WORK(&dw, poll_fn);
	f = __atomic_load_n(&dw.timer.flags, __ATOMIC_RELAXED);
	CHECK(!(f & TIMER_DEFERRABLE));
	CHECK(f & TIMER_IRQSAFE);
	INIT_DEFERRABLE_WORK(&dw, poll_fn);
	f = __atomic_load_n(&dw.timer.flags, __ATOMIC_RELAXED);
	CHECK(f & TIMER_DEFERRABLE);
	CHECK(f & TIMER_IRQSAFE);
	/* Pinned is kept too, and does not bind the item to a CPU. */
	cmwq_init_delayed_work_flags(&dw, poll_fn, TIMER_PINNED);
	CHECK(dw.timer.flags & TIMER_PINNED);
	run_one(&dw, 1);
	f = __atomic_load_n(&dw.timer.flags, __ATOMIC_RELAXED);
	CHECK(f & TIMER_PINNED);
	/* Unknown flags are dropped with a word; the known ones kept. */
	harness_capture_begin(&cap);
	cmwq_init_delayed_work_flags(&dw, poll_fn,
				     0x40000000u | TIMER_DEFERRABLE);
	CHECK(harness_capture_end(&cap, "unknown timer flags"));
	f = __atomic_load_n(&dw.timer.flags, __ATOMIC_RELAXED);
	CHECK(f & TIMER_DEFERRABLE);
	CHECK(!timer_pending(&dw.timer));
	run_one(&dw, 2);
	CHECK(!cancel_delayed_work_sync(&dw));
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_deferrable);
	RUN_TEST(test_timer_flags);
	return 0;
}
