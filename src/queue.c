// SPDX-License-Identifier: MIT
/*
 * queue.c - queueing: claiming an item, pushing it to its pool, and the
 * pool_workqueue accounting that enforces max_active
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

CMWQ_API void cmwq_init_work(struct work_struct *work, work_func_t func)
{
	unsigned long data;

	if (!work) {
		cmwq_warn("INIT_WORK: NULL work item");
		return;
	}
	data = __atomic_load_n(&work->data, __ATOMIC_RELAXED);
	if ((data & WORK_PENDING) && (data & WORK_PWQ) &&
	    cmwq_pwq_is_live(data_pwq(data))) {
		cmwq_warn("INIT_WORK: work item %p is pending on workqueue "
			  "\"%s\"; not reinitialised (that would corrupt the "
			  "queue)",
			  (void *)work, data_pwq(data)->wq->name);
		return;
	}
	__atomic_store_n(&work->data, CMWQ_WORK_DATA_INIT, __ATOMIC_RELAXED);
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	cmwq_debugobj_init_work(work);
}

CMWQ_API bool cmwq_work_pending(const struct work_struct *work)
{
	return work && data_pending(work_data_load(work));
}

/*
 * Queue @work, whose PENDING bit the caller owns, on @wq.  Lock-free and
 * async-signal-safe: tags the item with its pwq and the current flush
 * colour, pushes it on the pool's ingress stack and kicks the pool if it
 * has too few running workers.
 */
void cmwq_queue_claimed(int cpu, struct workqueue_struct *wq,
			struct work_struct *work)
{
	int req_cpu = cpu;
	/* The item's reference: dropped in pwq_dec_nr_in_flight(). */
	struct pool_workqueue *pwq = wq_get_pwq(wq, &cpu);
	struct worker_pool *pool;
	struct work_struct *head;

	if (!pwq) {
		/* A race of the caller's own: queue_work() against destroy. */
		cmwq_warn_const("queue_work: the workqueue was destroyed "
				"while the item was being queued; not queued");
		work_data_store(work, 0);
		return;
	}
	pool = pwq->pool;

	/*
	 * No flush colour yet: the pool gives it when it takes the item off
	 * the ingress, under its lock (pool_drain_incoming()).  Read here,
	 * a flush could advance the colour and visit the pool between the
	 * read and the push: the item, queued before a second flush began,
	 * had the first one's colour, which the first did not wait for and
	 * the second does not look at (the torture's probe check saw the
	 * second flush return before it ran).
	 */
	work_data_store(work,
			(unsigned long)pwq | WORK_PENDING | WORK_PWQ |
				WORK_INCOMING |
				(fork_epoch() << WORK_INCOMING_EPOCH_SHIFT));

	/* Before the push: afterwards the item may run and be freed. */
	trace_workqueue_queue_work(work, work->func, wq->name, req_cpu, cpu);

	/*
	 * Push.  The seq_cst compare-and-swap releases the item's fields
	 * and the caller's earlier stores to the worker that takes the
	 * stack (acquire exchange in pool_drain_incoming()), and is the
	 * queuer's half of the wake-up protocol described in pool.c.
	 */
	head = atomic_load_explicit(&pool->incoming, memory_order_relaxed);
	do {
		work->entry.next = (struct list_head *)head;
	} while (!atomic_compare_exchange_weak_explicit(
		&pool->incoming, &head, work, memory_order_seq_cst,
		memory_order_relaxed));

	/* From here on, only the pool is touched. */
	if (pool_short_of_workers(pool))
		pool_kick(pool);
	else
		pool_watch(pool);
}

bool cmwq_queue_args_ok(const char *what, struct workqueue_struct *wq,
			struct work_struct *work)
{
	if (!wq || !work) {
		cmwq_warn_const2(what, "NULL workqueue or work item");
		return false;
	}
	if (atomic_load_explicit(&wq->magic, memory_order_relaxed) !=
	    WQ_MAGIC) {
		cmwq_warn_const2(what, "not a live workqueue (destroyed?); "
				       "item not queued");
		return false;
	}
	if (!work->func) {
		cmwq_warn_const2(what, "work item has no function (not "
				       "initialised?); not queued");
		return false;
	}
	if (!cmwq_debugobj_check_queue(work))
		return false;
	if (atomic_load(&wq->nr_drainers) && !current_item_of(wq)) {
		cmwq_warn_const2(what, "workqueue is being drained or "
				       "destroyed; only its own items may "
				       "queue on it; item not queued");
		return false;
	}
	return true;
}

CMWQ_API bool cmwq_queue_work_on(int cpu, struct workqueue_struct *wq,
				 struct work_struct *work)
{
	unsigned long old;

	if (!cmwq_queue_args_ok("queue_work", wq, work))
		return false;

	/*
	 * Claim the item.  seq_cst: orders the caller's stores before the
	 * claim, pairing with the fence after PENDING is cleared in
	 * process_one_work() (property 3).
	 */
	old = __atomic_load_n(&work->data, __ATOMIC_RELAXED);
	do {
		if (data_pending(old))
			return false;
		if (old & WORK_OFFQ_DISABLE_MASK)
			return false;
	} while (!__atomic_compare_exchange_n(&work->data, &old, claim_bits(),
					      true, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	cmwq_queue_claimed(cpu, wq, work);
	return true;
}

/* Onto the pool's worklist, with the barriers linked behind it.  (L) */
static void pwq_move_active(struct pool_workqueue *pwq,
			    struct work_struct *work)
{
	struct worker_pool *pool = pwq->pool;

	work_data_store(work, work_data_load(work) & ~WORK_INACTIVE);
	trace_workqueue_activate_work(work, work->func);
	move_linked_works(work, &pool->worklist, NULL);
	worklist_changed(pool);
}

/*
 * Make an inactive item active whatever the limits say (cancel does, so
 * that the barriers behind it still run; the item leaves at once).  (L)
 */
void pwq_activate_work(struct pool_workqueue *pwq, struct work_struct *work)
{
	struct wq_node_active *nna = pwq->nna;

	pwq->nr_active++;
	if (nna)
		atomic_fetch_add(&nna->nr, 1);
	pwq_move_active(pwq, work);
}

/* Activate inactive items while max_active and the node allow.  (L) */
void pwq_activate_inactive(struct pool_workqueue *pwq)
{
	bool any = false;

	while (!list_empty(&pwq->inactive_works) && pwq_tryinc_active(pwq)) {
		pwq_move_active(pwq,
				list_first_entry(&pwq->inactive_works,
						 struct work_struct, entry));
		any = true;
	}
	if (any)
		pool_kick_if_needed(pwq->pool);
}

/*
 * pwqs whose node has room for their held-back items, for the manager to
 * activate under their own pool's lock (the caller holds another pool's):
 * pushed by compare-and-swap (release), taken whole by the manager
 * (acquire exchange), so no ABA.  Each holds a reference.  (A)
 */
static _Atomic(struct pool_workqueue *) pwqs_to_activate;

/*
 * The node of @nna has room (an item left it): hand the first pwq waiting
 * for it to the manager.  (L of some pool, nna->lock)
 */
static void nna_kick_pending(struct wq_node_active *nna)
{
	while (atomic_load(&nna->nr) < atomic_load(&nna->max) &&
	       !list_empty(&nna->pending)) {
		struct pool_workqueue *pwq = list_first_entry(
			&nna->pending, struct pool_workqueue, nna_node);
		struct pool_workqueue *head;

		nna_pending_del_locked(nna, pwq);
		/* Being released: it holds no item any more. */
		if (!pwq_tryget(pwq))
			continue;
		if (atomic_exchange(&pwq->activate_queued, 1)) {
			pwq_put(pwq);
			return;
		}
		head = atomic_load_explicit(&pwqs_to_activate,
					    memory_order_relaxed);
		do {
			pwq->activate_next = head;
		} while (!atomic_compare_exchange_weak_explicit(
			&pwqs_to_activate, &head, pwq, memory_order_release,
			memory_order_relaxed));
		cmwq_manager_wake();
		return;
	}
}

/* In a fork() child: the references the stack held are forgotten. */
void cmwq_activate_pending_forget(void)
{
	atomic_store(&pwqs_to_activate, NULL);
}

/*
 * The manager's pass: activate what the pwqs handed over may run now, and
 * hand on the node's room that is left.  (manager thread, no locks)
 */
void cmwq_activate_pending_pass(unsigned long long now,
				unsigned long long *next)
{
	struct pool_workqueue *pwq, *next_pwq;

	(void)now;
	(void)next;
	if (!atomic_load_explicit(&pwqs_to_activate, memory_order_relaxed))
		return;
	pwq = atomic_exchange_explicit(&pwqs_to_activate, NULL,
				       memory_order_acquire);
	for (; pwq; pwq = next_pwq) {
		struct worker_pool *pool = pwq->pool;

		next_pwq = pwq->activate_next;
		atomic_store(&pwq->activate_queued, 0);
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		pool_drain_incoming(pool);
		pwq_activate_inactive(pwq);
		cmwq_mutex_lock(&pwq->nna->lock, LC_NODE_ACTIVE);
		nna_kick_pending(pwq->nna);
		cmwq_mutex_unlock(&pwq->nna->lock, LC_NODE_ACTIVE);
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		pwq_put(pwq);
	}
}

/*
 * An item queued with @data left the pwq (ran or was cancelled): drop it
 * from the counts, let the next inactive item in, and finish a flush that
 * waited for its colour.  The item's reference on @pwq passes to the
 * caller, who drops it (a worker may hold several, struct worker's
 * held_pwq).  A barrier (WORK_NO_COLOR) is counted nowhere; its
 * reference passes all the same.  (L)
 */
void pwq_dec_nr_in_flight_keep_ref(struct pool_workqueue *pwq,
				   unsigned long data)
{
	unsigned int color = data_color(data);
	struct workqueue_struct *wq;

	if (color == WORK_NO_COLOR)
		return;
	wq = pwq->wq;
	if (!(data & WORK_INACTIVE)) {
		struct wq_node_active *nna = pwq->nna;

		pwq->nr_active--;
		/* seq_cst, then has_pending: see pwq_tryinc_active(). */
		if (nna)
			atomic_fetch_sub(&nna->nr, 1);
		/* This pwq's own held-back items first, then the node's. */
		pwq_activate_inactive(pwq);
		if (nna && atomic_load(&nna->has_pending)) {
			cmwq_mutex_lock(&nna->lock, LC_NODE_ACTIVE);
			nna_kick_pending(nna);
			cmwq_mutex_unlock(&nna->lock, LC_NODE_ACTIVE);
		}
	}
	pwq->nr_in_flight[color]--;
	if (!pwq->nr_in_flight[color] && (pwq->flush_mask & (1u << color))) {
		pwq->flush_mask &= ~(1u << color);
		if (atomic_fetch_sub(&wq->nr_pwqs_to_flush[color], 1) == 1) {
			wq_flush_event_bump(wq);
		}
	}
}

/* The same, and drop the item's reference, taken in wq_get_pwq().  (L) */
void pwq_dec_nr_in_flight(struct pool_workqueue *pwq, unsigned long data)
{
	pwq_dec_nr_in_flight_keep_ref(pwq, data);
	pwq_put(pwq);
}

/*
 * Insert @work (a barrier) before @head on a list of @pwq's pool, tagged
 * with @pwq and @extra_flags.  (L)
 */
void insert_work_locked(struct pool_workqueue *pwq, struct work_struct *work,
			struct list_head *head, unsigned long extra_flags)
{
	/* The barrier's reference; @pwq is held by the caller's target. */
	pwq_get(pwq);
	work_data_store(work, (unsigned long)pwq | WORK_PENDING | WORK_PWQ |
				      extra_flags);
	list_add_tail(&work->entry, head);
	worklist_changed(pwq->pool);
	pool_kick_if_needed(pwq->pool);
}
