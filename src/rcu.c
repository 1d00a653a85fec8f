// SPDX-License-Identifier: MIT
/*
 * rcu.c - rcu_work: a work item queued after an RCU grace period of
 * liburcu's memb flavour
 *
 * queue_rcu_work() claims the item (PENDING without a pwq, as an item in
 * transit), counts it in wq->nr_rcu and hands its rcu head to
 * urcu_memb_call_rcu().  liburcu's call_rcu thread runs the callback
 * after a grace period; it queues the item with the claim and drops the
 * count.  A canceller that finds the item in its grace period waits, as
 * for an item in transit, until the callback has queued it, then takes it
 * (the kernel does the same: RCU cannot give a callback back).  Draining
 * and destroying a workqueue wait for the grace periods of its rcu_works
 * with urcu_memb_barrier().
 *
 * liburcu asks that call_rcu() be called from registered threads: a
 * thread that is not registered with liburcu-memb is registered for the
 * call and unregistered after it, so that nothing is left behind that
 * the program's own urcu_memb_register_thread() would trip over.
 *
 * Without liburcu (CMWQ_HAVE_URCU undefined) the symbols are the same;
 * queue_rcu_work() refuses with one diagnostic.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <cmwq/rcu.h>

#include <stddef.h>

#ifdef CMWQ_HAVE_URCU
#include <urcu/urcu-memb.h>
/*
 * The reader's registered flag (its TLS record): read, never written, so
 * that a thread the program registered is not registered twice.
 */
#include <urcu/static/urcu-memb.h>

_Static_assert(sizeof(struct cmwq_rcu_head) == sizeof(struct rcu_head),
	       "struct cmwq_rcu_head must be liburcu's struct rcu_head");
_Static_assert(_Alignof(struct cmwq_rcu_head) == _Alignof(struct rcu_head),
	       "struct cmwq_rcu_head must be aligned as struct rcu_head");
_Static_assert(offsetof(struct cmwq_rcu_head, cmwq_next) ==
		       offsetof(struct rcu_head, next),
	       "cmwq_next must be at the place of rcu_head.next");
_Static_assert(offsetof(struct cmwq_rcu_head, cmwq_func) ==
		       offsetof(struct rcu_head, func),
	       "cmwq_func must be at the place of rcu_head.func");

/*
 * Register the calling thread with liburcu-memb for one call if it is not
 * registered: true if it was registered here, and is to be unregistered
 * with rcu_unregister_temp() at the end of the call.  Registration is not
 * left behind, so a program that registers the thread itself later does
 * not trip liburcu's assertion against registering twice.
 */
static bool rcu_register_temp(void)
{
	if (URCU_TLS(urcu_memb_reader).registered)
		return false;
	urcu_memb_register_thread();
	return true;
}

static void rcu_unregister_temp(bool registered_here)
{
	if (registered_here)
		urcu_memb_unregister_thread();
}

/* liburcu's call_rcu thread, after the grace period. */
static void rcu_work_rcufn(struct rcu_head *head)
{
	struct rcu_work *rwork =
		(struct rcu_work *)((char *)head -
				    offsetof(struct rcu_work, rcu));
	/* Acquire: pairs with the release in cmwq_queue_rcu_work(). */
	struct workqueue_struct *wq =
		__atomic_load_n(&rwork->wq, __ATOMIC_ACQUIRE);

	/*
	 * The claim is ours: queue even on a workqueue being drained, whose
	 * drainer waits for nr_rcu (the item was let in before).  After the
	 * push the item may run and be freed: only @wq is used.
	 */
	cmwq_queue_claimed(WORK_CPU_UNBOUND, wq, &rwork->work);
	atomic_fetch_sub(&wq->nr_rcu, 1);
}

bool cmwq_rcu_barrier(const char *what)
{
	if (urcu_memb_read_ongoing()) {
		cmwq_warn("%s: called inside an RCU read-side critical "
			  "section: cannot wait for the grace period of an "
			  "rcu_work; not waiting for it",
			  what);
		return false;
	}
	/* Not inside a reader: registered or not, liburcu's barrier waits. */
	urcu_memb_barrier();
	return true;
}

CMWQ_API bool cmwq_queue_rcu_work(struct workqueue_struct *wq,
				  struct rcu_work *rwork)
{
	unsigned long old;
	bool registered_here;

	if (!cmwq_queue_args_ok("queue_rcu_work", wq,
				rwork ? &rwork->work : NULL))
		return false;
	old = __atomic_load_n(&rwork->work.data, __ATOMIC_RELAXED);
	do {
		if (data_pending(old) || (old & WORK_OFFQ_DISABLE_MASK))
			return false;
	} while (!__atomic_compare_exchange_n(&rwork->work.data, &old,
					      claim_bits(), true,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	atomic_fetch_add(&wq->nr_rcu, 1);
	/*
	 * Release: the caller's stores before this call, and @wq, are seen
	 * by the callback on liburcu's thread (whose own ordering the
	 * sanitizers do not see).
	 */
	__atomic_store_n(&rwork->wq, wq, __ATOMIC_RELEASE);
	registered_here = rcu_register_temp();
	urcu_memb_call_rcu((struct rcu_head *)(void *)&rwork->rcu,
			   rcu_work_rcufn);
	rcu_unregister_temp(registered_here);
	return true;
}

CMWQ_API bool cmwq_flush_rcu_work(struct rcu_work *rwork)
{
	if (!rwork) {
		cmwq_warn("flush_rcu_work: NULL item");
		return false;
	}
	if (data_pending(work_data_load(&rwork->work))) {
		/* Its callback was asked for before: the barrier waits for it. */
		if (cmwq_rcu_barrier("flush_rcu_work"))
			cmwq_flush_work(&rwork->work);
		return true;
	}
	return cmwq_flush_work(&rwork->work);
}

#else /* !CMWQ_HAVE_URCU */

bool cmwq_rcu_barrier(const char *what)
{
	(void)what;
	return true;
}

CMWQ_API bool cmwq_queue_rcu_work(struct workqueue_struct *wq,
				  struct rcu_work *rwork)
{
	static atomic_int warned;

	(void)wq;
	(void)rwork;
	if (!atomic_exchange(&warned, 1))
		cmwq_warn_const("queue_rcu_work: this libcmwq was built "
				"without liburcu (CMWQ_URCU=OFF, or "
				"liburcu-memb not found): rcu_work is not "
				"available; item not queued");
	return false;
}

CMWQ_API bool cmwq_flush_rcu_work(struct rcu_work *rwork)
{
	if (!rwork) {
		cmwq_warn("flush_rcu_work: NULL item");
		return false;
	}
	/* Nothing can be in a grace period: a plain flush. */
	return cmwq_flush_work(&rwork->work);
}

#endif /* CMWQ_HAVE_URCU */
