/* SPDX-License-Identifier: MIT */
/*
 * cmwq/rcu.h - rcu_work: a work item queued after an RCU grace period
 *
 * The grace period is liburcu's, of its "memb" flavour (liburcu-memb):
 * readers are the threads between urcu_memb_read_lock() and
 * urcu_memb_read_unlock().  This header does not include liburcu's: the
 * rcu head is laid out as liburcu's struct rcu_head, which src/rcu.c
 * checks when the library is built.  A library built without liburcu
 * exports the same symbols; cmwq_queue_rcu_work() then refuses with a
 * diagnostic (see queue_rcu_work(3)).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_RCU_H
#define CMWQ_RCU_H

#include <cmwq/compiler.h>
#include <cmwq/work.h>
#include <cmwq/workqueue.h>

CMWQ_BEGIN_DECLS

/**
 * struct cmwq_rcu_head - liburcu's struct rcu_head, without its header
 * @cmwq_next: liburcu's queue link (struct cds_wfcq_node)
 * @cmwq_func: the callback liburcu calls after the grace period
 *
 * Owned by the library while the item waits for its grace period.
 */
struct cmwq_rcu_head {
	void *cmwq_next;
	void (*cmwq_func)(void *head);
};

/**
 * struct rcu_work - a work item queued after an RCU grace period
 * @work: the work item; its function receives &rwork->work
 * @rcu: the RCU callback head (library-private)
 * @wq: the workqueue @work is queued on after the grace period
 *
 * Initialise with INIT_RCU_WORK().
 */
struct rcu_work {
	struct work_struct work;
	struct cmwq_rcu_head rcu;
	struct workqueue_struct *wq;
};

static inline struct rcu_work *cmwq_to_rcu_work(struct work_struct *work)
{
	return container_of(work, struct rcu_work, work);
}

/**
 * cmwq_queue_rcu_work - queue an item after an RCU grace period
 * @wq: the workqueue
 * @rwork: the item
 *
 * Claims @rwork and asks liburcu for a callback after a grace period
 * (urcu_memb_call_rcu()); the callback queues @rwork->work on @wq.  The
 * item's function runs only after every RCU read-side critical section
 * that was running when this was called has ended.  A calling thread
 * that is not registered with liburcu-memb is registered for the call
 * only (liburcu asks call_rcu()'s callers to be registered).
 *
 * Return: true if this call queued @rwork; false if it was already
 * pending, disabled, or the library was built without liburcu.
 */
CMWQ_API bool cmwq_queue_rcu_work(struct workqueue_struct *wq,
				  struct rcu_work *rwork);

/**
 * cmwq_flush_rcu_work - wait for an rcu_work's grace period and run
 * @rwork: the item
 *
 * If @rwork is pending, waits for every RCU callback asked for so far
 * (urcu_memb_barrier()), then for the item.  Must not be called inside
 * an RCU read-side critical section.
 *
 * Return: true if it waited, false if @rwork was idle.
 */
CMWQ_API bool cmwq_flush_rcu_work(struct rcu_work *rwork);

#ifndef CMWQ_NO_KERNEL_NAMES
#define INIT_RCU_WORK(_work, _func) cmwq_init_work(&(_work)->work, (_func))
#define INIT_RCU_WORK_ONSTACK(_work, _func) \
	cmwq_init_work(&(_work)->work, (_func))

static inline struct rcu_work *to_rcu_work(struct work_struct *work)
{
	return cmwq_to_rcu_work(work);
}

static inline bool queue_rcu_work(struct workqueue_struct *wq,
				  struct rcu_work *rwork)
{
	return cmwq_queue_rcu_work(wq, rwork);
}

static inline bool flush_rcu_work(struct rcu_work *rwork)
{
	return cmwq_flush_rcu_work(rwork);
}
#endif

CMWQ_END_DECLS

#endif /* CMWQ_RCU_H */
