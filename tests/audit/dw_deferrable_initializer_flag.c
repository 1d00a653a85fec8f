// SPDX-License-Identifier: MIT
/* DECLARE_DEFERRABLE_WORK(), INIT_DEFERRABLE_WORK_ONSTACK() and
 * __DELAYED_WORK_INITIALIZER(n, f, TIMER_DEFERRABLE) leave TIMER_DEFERRABLE
 * in the timer's flags, and every delayed item's timer has TIMER_IRQSAFE,
 * as the kernel's; a deferrable item still fires. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

static atomic_int ran;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
}

/*
 * An armed timer's flags are written by the timer service (its state bits
 * live there): read them as the kernel's READ_ONCE() would.
 */
static unsigned int tflags(struct delayed_work *dw)
{
	return __atomic_load_n(&dw->timer.flags, __ATOMIC_RELAXED);
}

static DECLARE_DEFERRABLE_WORK(sdef, fn);
static DECLARE_DELAYED_WORK(splain, fn);
static struct delayed_work sinit = __DELAYED_WORK_INITIALIZER(sinit, fn,
							      TIMER_DEFERRABLE);

int main(void)
{
	struct delayed_work onstack;

	audit_begin();
	AUDIT_CHECK(sdef.timer.flags & TIMER_DEFERRABLE);
	AUDIT_CHECK(sinit.timer.flags & TIMER_DEFERRABLE);
	AUDIT_CHECK(!(splain.timer.flags & TIMER_DEFERRABLE));
	AUDIT_CHECK(sdef.timer.flags & TIMER_IRQSAFE);
	AUDIT_CHECK(splain.timer.flags & TIMER_IRQSAFE);
	AUDIT_CHECK(sdef.timer.function == delayed_work_timer_fn);
	INIT_DEFERRABLE_WORK_ONSTACK(&onstack, fn);
	AUDIT_CHECK(onstack.timer.flags & TIMER_DEFERRABLE);
	AUDIT_CHECK(onstack.timer.flags & TIMER_IRQSAFE);
	/* The flag stays across arming, on any CPU, and the items fire. */
	AUDIT_CHECK(schedule_delayed_work(&sdef, 1));
	AUDIT_CHECK(schedule_delayed_work(&onstack, 2));
	AUDIT_CHECK(schedule_delayed_work(&sinit, 0));
	AUDIT_CHECK(tflags(&sdef) & TIMER_DEFERRABLE);
	flush_delayed_work(&sdef);
	flush_delayed_work(&onstack);
	flush_delayed_work(&sinit);
	AUDIT_CHECK(atomic_load(&ran) == 3);
	AUDIT_CHECK(tflags(&onstack) & TIMER_DEFERRABLE);
	AUDIT_CHECK(mod_delayed_work(system_wq, &onstack, 60 * HZ) == false);
	AUDIT_CHECK(cancel_delayed_work_sync(&onstack));
	AUDIT_CHECK(tflags(&onstack) & TIMER_DEFERRABLE);
	destroy_delayed_work_on_stack(&onstack);
	return 0;
}
