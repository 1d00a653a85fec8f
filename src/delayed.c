// SPDX-License-Identifier: MIT
/*
 * delayed.c - delayed work: a work item queued when its timer expires
 *
 * The item's timer is a struct timer_list of the timer service's dwork
 * base (timer.c); the manager thread queues the item when it expires.
 * Arming is lock-free and async-signal-safe; the PENDING bit of the item
 * is owned by whoever armed it until the timer is cancelled (the canceller
 * takes it) or expires (the manager queues the item with it).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>

CMWQ_API void cmwq_init_delayed_work(struct delayed_work *dwork,
				     work_func_t func)
{
	cmwq_init_delayed_work_flags(dwork, func, 0);
}

CMWQ_API void cmwq_init_delayed_work_flags(struct delayed_work *dwork,
					   work_func_t func,
					   unsigned int tflags)
{
	if (!dwork) {
		cmwq_warn("INIT_DELAYED_WORK: NULL work item");
		return;
	}
	if (tflags & ~TIMER_INIT_FLAGS) {
		cmwq_warn("INIT_DELAYED_WORK: unknown timer flags %#x dropped "
			  "(known: TIMER_DEFERRABLE, TIMER_PINNED, "
			  "TIMER_IRQSAFE)",
			  tflags & ~TIMER_INIT_FLAGS);
		tflags &= TIMER_INIT_FLAGS;
	}
	if ((__atomic_load_n(&dwork->work.data, __ATOMIC_RELAXED) &
	     WORK_PENDING) &&
	    !(__atomic_load_n(&dwork->work.data, __ATOMIC_RELAXED) &
	      WORK_PWQ)) {
		if (cmwq_dwork_timer_armed(dwork)) {
			cmwq_warn("INIT_DELAYED_WORK: delayed item %p is "
				  "armed; not reinitialised",
				  (void *)dwork);
			return;
		}
	}
	cmwq_init_work(&dwork->work, func);
	if (__atomic_load_n(&dwork->work.data, __ATOMIC_RELAXED) !=
	    CMWQ_WORK_DATA_INIT)
		return; /* refused: pending on a queue */
	dwork->timer.cmwq_next = NULL;
	dwork->timer.expires = 0;
	dwork->timer.cmwq_index = ~0u;
	/*
	 * Idle, no CPU asked for; the kernel's flags kept as given, with
	 * TIMER_IRQSAFE, as the kernel gives every delayed item's timer.  The
	 * service reads none of them on a delayed item's timer.
	 */
	__atomic_store_n(&dwork->timer.flags,
			 tflags | TIMER_IRQSAFE | TIMER_CPUMASK |
				 TIMER_CMWQ_DWORK,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&dwork->timer.function, cmwq_delayed_work_timer_fn,
			 __ATOMIC_RELAXED);
	dwork->wq = NULL;
}

/* Arm or queue @dwork, whose PENDING bit the caller owns. */
static void queue_delayed_claimed(int cpu, struct workqueue_struct *wq,
				  struct delayed_work *dwork,
				  unsigned long long delay_ns)
{
	unsigned long long now;

	dwork->wq = wq;
	cmwq_dwork_timer_prepare(dwork, cpu);
	if (!delay_ns) {
		cmwq_queue_claimed(cpu, wq, &dwork->work);
		return;
	}
	atomic_fetch_add(&wq->nr_armed, 1);
	work_data_store(&dwork->work, claim_bits() | WORK_TIMER);
	now = cmwq_clock_ns();
	/* A delay past 2^64 ns is no deadline at all: saturate. */
	cmwq_dwork_timer_arm(dwork, delay_ns > ~0ull - now ? ~0ull :
							    now + delay_ns);
}

static bool delayed_args_ok(const char *what, struct workqueue_struct *wq,
			    struct delayed_work *dwork)
{
	return cmwq_queue_args_ok(what, wq, dwork ? &dwork->work : NULL);
}

CMWQ_API bool cmwq_queue_delayed_work_on_ns(int cpu,
					    struct workqueue_struct *wq,
					    struct delayed_work *dwork,
					    unsigned long long delay_ns)
{
	unsigned long old;

	if (!delayed_args_ok("queue_delayed_work", wq, dwork))
		return false;
	old = __atomic_load_n(&dwork->work.data, __ATOMIC_RELAXED);
	do {
		if (data_pending(old) || (old & WORK_OFFQ_DISABLE_MASK))
			return false;
	} while (!__atomic_compare_exchange_n(
		&dwork->work.data, &old, claim_bits(), true, __ATOMIC_SEQ_CST,
		__ATOMIC_RELAXED));
	queue_delayed_claimed(cpu, wq, dwork, delay_ns);
	return true;
}

CMWQ_API bool cmwq_queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
					 struct delayed_work *dwork,
					 unsigned long delay)
{
	return cmwq_queue_delayed_work_on_ns(
		cpu, wq, dwork, (unsigned long long)delay * 1000000ull);
}

CMWQ_API bool cmwq_mod_delayed_work_on_ns(int cpu, struct workqueue_struct *wq,
					  struct delayed_work *dwork,
					  unsigned long long delay_ns)
{
	int ret;

	if (!delayed_args_ok("mod_delayed_work", wq, dwork))
		return false;
	while ((ret = try_to_grab_pending(&dwork->work, true)) == -EAGAIN)
		sched_yield();
	/* A disabled item is left idle, as the kernel does. */
	if (offq_disable(work_data_load(&dwork->work))) {
		work_data_store(&dwork->work, work_data_load(&dwork->work) &
						      WORK_OFFQ_DISABLE_MASK);
		return ret == 1;
	}
	queue_delayed_claimed(cpu, wq, dwork, delay_ns);
	return ret == 1;
}

CMWQ_API bool cmwq_mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
				       struct delayed_work *dwork,
				       unsigned long delay)
{
	return cmwq_mod_delayed_work_on_ns(
		cpu, wq, dwork, (unsigned long long)delay * 1000000ull);
}

CMWQ_API bool cmwq_flush_delayed_work(struct delayed_work *dwork)
{
	if (!dwork) {
		cmwq_warn("flush_delayed_work: NULL item");
		return false;
	}
	/* An armed item is queued now, then flushed. */
	if ((work_data_load(&dwork->work) & WORK_TIMER) &&
	    cmwq_timer_cancel(dwork)) {
		cmwq_queue_claimed(cmwq_dwork_cpu(dwork), dwork->wq,
				   &dwork->work);
		/* It was pending: true even if it already ran. */
		cmwq_flush_work(&dwork->work);
		return true;
	}
	return cmwq_flush_work(&dwork->work);
}

CMWQ_API bool cmwq_cancel_delayed_work(struct delayed_work *dwork)
{
	return cmwq_cancel_internal(dwork ? &dwork->work : NULL, true, false,
				    false);
}

CMWQ_API bool cmwq_cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return cmwq_cancel_internal(dwork ? &dwork->work : NULL, true, false,
				    true);
}

CMWQ_API bool cmwq_disable_delayed_work(struct delayed_work *dwork)
{
	return cmwq_cancel_internal(dwork ? &dwork->work : NULL, true, true,
				    false);
}

CMWQ_API bool cmwq_disable_delayed_work_sync(struct delayed_work *dwork)
{
	return cmwq_cancel_internal(dwork ? &dwork->work : NULL, true, true,
				    true);
}

CMWQ_API bool cmwq_enable_delayed_work(struct delayed_work *dwork)
{
	return cmwq_enable_work(dwork ? &dwork->work : NULL);
}
