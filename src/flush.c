// SPDX-License-Identifier: MIT
/*
 * flush.c - waiting for work: flush_work, flush_workqueue, drain; and
 * taking it back: cancel, disable, enable
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>

/*
 * A barrier is an internal item queued right behind the item being
 * flushed (or first on the list of the worker running it); when it runs,
 * everything it waited for has run.
 */
struct wq_barrier {
	struct work_struct work;
	struct completion done;
};

static void wq_barrier_func(struct work_struct *work)
{
	struct wq_barrier *barr = container_of(work, struct wq_barrier, work);

	cmwq_complete(&barr->done);
}

/*
 * Queue @barr behind @target, or first on @worker's scheduled list when
 * @target is not queued but running on @worker.  (L)
 */
static void insert_wq_barrier(struct pool_workqueue *pwq,
			      struct wq_barrier *barr,
			      struct work_struct *target, struct worker *worker)
{
	unsigned long linked = 0;
	struct list_head *head;

	barr->work.func = wq_barrier_func;
	INIT_LIST_HEAD(&barr->work.entry);
	cmwq_init_completion(&barr->done);

	if (worker) {
		head = worker->scheduled.next;
	} else {
		unsigned long data = work_data_load(target);

		head = target->entry.next;
		/* Barriers already linked behind @target stay linked. */
		linked = data & WORK_LINKED;
		work_data_store(target, data | WORK_LINKED);
	}
	insert_work_locked(pwq, &barr->work, head,
			   linked | ((unsigned long)WORK_NO_COLOR
				     << WORK_COLOR_SHIFT));
}

/* Wait on a futex word, telling the pool this worker sleeps meanwhile. */
void cmwq_wait_seq(atomic_uint *seq, unsigned int seen)
{
	cmwq_worker_sleeping();
	cmwq_futex_wait(seq, seen, 0);
	cmwq_worker_running();
}

/*
 * flush_work() from @self's item on @work, queued behind it on @wq where
 * it cannot start before that item returns (@what says why).
 */
static void warn_flush_deadlock(struct worker *self, struct work_struct *work,
				struct workqueue_struct *wq, const char *what)
{
	char cbuf[128], fbuf[128];
	const char *caller =
		cmwq_func_name(self->current_func, cbuf, sizeof(cbuf));
	const char *flushed = cmwq_func_name(work->func, fbuf, sizeof(fbuf));

	cmwq_warn("flush_work: %s() (an item of %s \"%s\") waits for %s(), "
		  "queued behind it on the same queue: %s() cannot start "
		  "before %s() returns, that would deadlock; not waiting",
		  caller, what, wq->name, flushed, flushed, caller);
}

/*
 * A BH item (@self's) waits for @work, queued on or run by a BH pool of
 * its own CPU: @work cannot run before the caller returns.
 */
static void warn_bh_deadlock(struct worker *self, struct work_struct *work,
			     bool from_cancel)
{
	char cbuf[128], fbuf[128];
	const char *caller =
		cmwq_func_name(self->current_func, cbuf, sizeof(cbuf));
	const char *flushed = cmwq_func_name(work->func, fbuf, sizeof(fbuf));

	cmwq_warn("%s: BH work item %s() waits for %s(), a BH item of the "
		  "same CPU (%d): it cannot run before %s() returns, that "
		  "would deadlock; not waiting",
		  from_cancel ? "cancel_work_sync" : "flush_work", caller,
		  flushed, self->pool->cpu, caller);
}

bool cmwq_flush_work_internal(struct work_struct *work, bool from_cancel)
{
	struct worker *self = cmwq_current_worker;
	struct wq_barrier barr;

	if (!work) {
		cmwq_warn("flush_work: NULL work item");
		return false;
	}
	if (self && self->current_work == work) {
		cmwq_warn("%s: work item %p waits for itself from its own "
			  "function: that would deadlock; not waiting",
			  from_cancel ? "cancel_work_sync" : "flush_work",
			  (void *)work);
		return false;
	}
	for (;;) {
		unsigned long data = work_data_load(work);
		struct pool_workqueue *pwq = data_pwq(data);
		struct worker_pool *pool;
		struct worker *worker;

		if (claim_orphaned(data))
			return false;
		if (pwq) {
			/* No reference yet: see struct pool_workqueue. */
			pool = __atomic_load_n(&pwq->pool, __ATOMIC_RELAXED);
			pool_lock(pool);
			pool_drain_incoming(pool);
			data = work_data_load(work);
			if (data_pwq(data) != pwq || (data & WORK_INCOMING) ||
			    __atomic_load_n(&pwq->pool, __ATOMIC_RELAXED) !=
				    pool) {
				/* Moved, ran, or still being pushed. */
				cmwq_mutex_unlock(&pool->lock, LC_POOL);
				sched_yield();
				continue;
			}
			/* @work holds @pwq now, and @pwq its workqueue. */
			if (self && self->current_pwq &&
			    self->current_pwq->wq == pwq->wq &&
			    (pwq->wq->flags & __WQ_ORDERED)) {
				cmwq_mutex_unlock(&pool->lock, LC_POOL);
				warn_flush_deadlock(self, work, pwq->wq,
						    "ordered workqueue");
				return false;
			}
			/*
			 * @work waits behind max_active in the very pwq
			 * whose only active slot the caller's own item
			 * holds: it can start only after the caller
			 * returns.  (A rescuer running the caller's item
			 * holds the slot just the same.)
			 */
			if ((data & WORK_INACTIVE) && self &&
			    self->current_pwq == pwq && pwq->max_active == 1) {
				cmwq_mutex_unlock(&pool->lock, LC_POOL);
				warn_flush_deadlock(self, work, pwq->wq,
						    "max_active 1 workqueue");
				return false;
			}
			if (cmwq_bh_wait_deadlocks(pool)) {
				cmwq_mutex_unlock(&pool->lock, LC_POOL);
				warn_bh_deadlock(self, work, from_cancel);
				return false;
			}
			insert_wq_barrier(pwq, &barr, work, NULL);
			cmwq_mutex_unlock(&pool->lock, LC_POOL);
			break;
		}
		if (data_pending(data) && !(data & WORK_TIMER)) {
			/* Claimed by a queuer that is pushing it now. */
			sched_yield();
			continue;
		}
		/*
		 * Idle, or armed (timers are flush_delayed_work's): wait for
		 * an instance that runs now, if any.
		 */
		worker = cmwq_find_worker_executing(work);
		if (!worker)
			return false;
		pool = worker->pool;
		if (cmwq_bh_wait_deadlocks(pool)) {
			warn_bh_deadlock(self, work, from_cancel);
			return false;
		}
		pool_lock(pool);
		busy_lock(work);
		if (busy_find_locked(work) != worker) {
			busy_unlock(work);
			cmwq_mutex_unlock(&pool->lock, LC_POOL);
			continue;
		}
		insert_wq_barrier(worker->current_pwq, &barr, NULL, worker);
		busy_unlock(work);
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		break;
	}
	cmwq_wait_for_completion(&barr.done);
	return true;
}

CMWQ_API bool cmwq_flush_work(struct work_struct *work)
{
	return cmwq_flush_work_internal(work, false);
}

/*
 * Take the PENDING bit of @work.
 *
 * Return: 1 if @work was pending (queued or armed) and is now off its
 * queue with PENDING owned by the caller; 0 if it was idle and the caller
 * now owns PENDING; -EAGAIN if it is in transit (being queued or firing):
 * try again.
 */
int try_to_grab_pending(struct work_struct *work, bool is_dwork)
{
	unsigned long data = work_data_load(work);
	struct pool_workqueue *pwq;
	struct worker_pool *pool;

	if (!data_pending(data)) {
		if (__atomic_compare_exchange_n(
			    &work->data, &data,
			    (data & WORK_OFFQ_DISABLE_MASK) | claim_bits(),
			    false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return 0;
		return -EAGAIN;
	}
	pwq = data_pwq(data);
	if (!pwq) {
		/*
		 * Only the delayed-work calls set TIMER, so @work is
		 * embedded in a struct delayed_work.
		 */
		(void)is_dwork;
		if ((data & WORK_TIMER) &&
		    cmwq_timer_cancel(cmwq_to_delayed_work(work)))
			return 1;
		return -EAGAIN;
	}
	/* No reference yet: see struct pool_workqueue. */
	pool = __atomic_load_n(&pwq->pool, __ATOMIC_RELAXED);
	pool_lock(pool);
	pool_drain_incoming(pool);
	data = work_data_load(work);
	if (data_pwq(data) != pwq || (data & WORK_INCOMING) ||
	    __atomic_load_n(&pwq->pool, __ATOMIC_RELAXED) != pool) {
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		return -EAGAIN;
	}
	/*
	 * An inactive item may have barriers linked behind it; activating
	 * it first moves them to the worklist, where they still run.
	 */
	if (data & WORK_INACTIVE) {
		pwq_activate_work(pwq, work);
		data &= ~WORK_INACTIVE;
	}
	list_del_init(&work->entry);
	worklist_changed(pool);
	pwq_dec_nr_in_flight(pwq, data);
	work_data_store(work, claim_bits());
	cmwq_mutex_unlock(&pool->lock, LC_POOL);
	return 1;
}

/* Grab PENDING, waiting out an item in transit. */
static int grab_pending_wait(struct work_struct *work, bool is_dwork)
{
	int ret;

	while ((ret = try_to_grab_pending(work, is_dwork)) == -EAGAIN)
		sched_yield();
	return ret;
}

/*
 * Release PENDING (owned by the caller) and adjust the disable count by
 * @disable_delta.
 */
static void release_pending(struct work_struct *work, int disable_delta)
{
	unsigned long data = work_data_load(work);
	unsigned long count = offq_disable(data);

	if (disable_delta > 0) {
		if (count == WORK_OFFQ_DISABLE_MAX)
			cmwq_warn("disable_work: %p disabled too many times",
				  (void *)work);
		else
			count++;
	} else if (disable_delta < 0 && count) {
		count--;
	}
	work_data_store(work, count << WORK_OFFQ_DISABLE_SHIFT);
}

bool cmwq_cancel_internal(struct work_struct *work, bool is_dwork, bool disable,
			  bool sync)
{
	int ret;

	if (!work) {
		cmwq_warn("cancel_work: NULL work item");
		return false;
	}
	if (sync && cmwq_current_worker &&
	    cmwq_current_worker->current_work == work) {
		cmwq_warn("cancel_work_sync: work item %p cancels itself from "
			  "its own function: that would deadlock; cancelled "
			  "without waiting",
			  (void *)work);
		sync = false;
	}
	ret = grab_pending_wait(work, is_dwork);
	/*
	 * A synchronous cancel disables the item while it waits, so an
	 * instance that requeues itself is refused (property 8).
	 */
	release_pending(work, (disable || sync) ? 1 : 0);
	if (sync) {
		cmwq_flush_work_internal(work, true);
		if (!disable)
			cmwq_enable_work(work);
	}
	return ret == 1;
}

CMWQ_API bool cmwq_cancel_work(struct work_struct *work)
{
	return cmwq_cancel_internal(work, false, false, false);
}

CMWQ_API bool cmwq_cancel_work_sync(struct work_struct *work)
{
	return cmwq_cancel_internal(work, false, false, true);
}

CMWQ_API bool cmwq_disable_work(struct work_struct *work)
{
	return cmwq_cancel_internal(work, false, true, false);
}

CMWQ_API bool cmwq_disable_work_sync(struct work_struct *work)
{
	return cmwq_cancel_internal(work, false, true, true);
}

CMWQ_API bool cmwq_enable_work(struct work_struct *work)
{
	unsigned long data;

	if (!work) {
		cmwq_warn("enable_work: NULL work item");
		return false;
	}
	for (;;) {
		data = work_data_load(work);
		if (data_pending(data)) {
			/* A canceller owns the word for a moment. */
			sched_yield();
			continue;
		}
		if (!offq_disable(data)) {
			/*
			 * The kernel warns ("work disable count underflowed")
			 * and answers true: the item may be queued, which is
			 * what enable_and_queue_work() then does.
			 */
			cmwq_warn("enable_work: work item %p is not disabled",
				  (void *)work);
			return true;
		}
		if (__atomic_compare_exchange_n(
			    &work->data, &data,
			    data - (1UL << WORK_OFFQ_DISABLE_SHIFT), false,
			    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return offq_disable(data) == 1;
	}
}

CMWQ_API unsigned int cmwq_work_busy(struct work_struct *work)
{
	unsigned int ret = 0;

	if (!work)
		return 0;
	if (data_pending(work_data_load(work)))
		ret |= WORK_BUSY_PENDING;
	if (cmwq_find_worker_executing(work))
		ret |= WORK_BUSY_RUNNING;
	return ret;
}

/*
 * Progress on @wq's flushes: bump flush_event and wake its waiters, if
 * any.  The bump and the load of flush_waiters are seq_cst, as are a
 * waiter's increment of flush_waiters and its load of flush_event after
 * it (wq_flush_wait_begin()): either the waiter reads the bumped value
 * and does not sleep on the old one, or this load sees it counted and
 * wakes it.  Most destroy_workqueue() and flush_workqueue() calls find
 * nothing to wait for and so make no futex call at all.
 */
void wq_flush_event_bump(struct workqueue_struct *wq)
{
	atomic_fetch_add(&wq->flush_event, 1);
	if (atomic_load(&wq->flush_waiters))
		cmwq_futex_wake(&wq->flush_event, 0x7fffffff);
}

/* Count the caller as a waiter; the flush_event value to wait on. */
static unsigned int wq_flush_wait_begin(struct workqueue_struct *wq)
{
	atomic_fetch_add(&wq->flush_waiters, 1);
	return atomic_load(&wq->flush_event);
}

static void wq_flush_wait_end(struct workqueue_struct *wq)
{
	atomic_fetch_sub(&wq->flush_waiters, 1);
}

/* Wait until @cond(@arg) holds, waking on @wq's flush events. */
static void wq_wait_flush_event(struct workqueue_struct *wq,
				bool (*cond)(struct workqueue_struct *,
					     unsigned long long),
				unsigned long long arg)
{
	for (;;) {
		unsigned int seq = wq_flush_wait_begin(wq);

		if (cond(wq, arg)) {
			wq_flush_wait_end(wq);
			return;
		}
		cmwq_wait_seq(&wq->flush_event, seq);
		wq_flush_wait_end(wq);
	}
}

static bool flush_slot_free(struct workqueue_struct *wq,
			    unsigned long long started)
{
	return started - atomic_load(&wq->flush_completed) < WORK_NR_COLORS - 1;
}

static bool color_flushed(struct workqueue_struct *wq, unsigned long long color)
{
	return atomic_load(&wq->nr_pwqs_to_flush[color]) == 0;
}

static bool predecessors_done(struct workqueue_struct *wq,
			      unsigned long long gen)
{
	return atomic_load(&wq->flush_completed) == gen - 1;
}

/*
 * A BH item flushing a BH workqueue: that workqueue's items of the
 * caller's CPU run on the pools the caller holds up.  Refused, with a
 * diagnostic (the kernel forbids sleeping in BH context at all).
 */
static bool bh_flush_deadlocks(struct workqueue_struct *wq, const char *what)
{
	struct worker *self = cmwq_current_worker;
	char buf[128];

	if (!self || !self->pool->bh || !(wq->flags & WQ_BH))
		return false;
	cmwq_warn("%s(\"%s\") from BH work item %s(): the BH items of CPU "
		  "%d cannot run before it returns, that would deadlock; not "
		  "waiting",
		  what, wq->name,
		  cmwq_func_name(self->current_func, buf, sizeof(buf)),
		  self->pool->cpu);
	return true;
}

CMWQ_API void cmwq_flush_workqueue(struct workqueue_struct *wq)
{
	struct pool_workqueue *pwq;
	struct list_head *node;
	unsigned long long gen;
	int color;

	if (!cmwq_wq_is_live(wq)) {
		cmwq_warn("flush_workqueue: %p is not a live workqueue",
			  (void *)wq);
		return;
	}
	if (current_item_of(wq)) {
		cmwq_warn("flush_workqueue(\"%s\") from one of its own items "
			  "would wait for itself; not waiting",
			  wq->name);
		return;
	}
	if (bh_flush_deadlocks(wq, "flush_workqueue"))
		return;

	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	/* Colours are recycled: at most WORK_NR_COLORS - 1 flushes run. */
	while (!flush_slot_free(wq, wq->flush_started)) {
		unsigned int seq = wq_flush_wait_begin(wq);

		cmwq_mutex_unlock(&wq->mutex, LC_WQ);
		if (!flush_slot_free(wq, wq->flush_started))
			cmwq_wait_seq(&wq->flush_event, seq);
		wq_flush_wait_end(wq);
		cmwq_mutex_lock(&wq->mutex, LC_WQ);
	}
	color = atomic_load(&wq->work_color);
	atomic_store(&wq->work_color, (color + 1) % WORK_NR_COLORS);
	gen = ++wq->flush_started;
	/* One bias count held while the pwqs are visited. */
	atomic_store(&wq->nr_pwqs_to_flush[color], 1);
	list_for_each_node(node, &wq->pwqs)
	{
		pwq = list_entry(node, struct pool_workqueue, wq_node);
		struct worker_pool *pool = pwq->pool;

		pool_lock(pool);
		/*
		 * Count what was pushed before this call, then give what
		 * comes later the next colour, under the same lock.
		 */
		pool_drain_incoming(pool);
		pwq->work_color = (unsigned int)(color + 1) % WORK_NR_COLORS;
		if (pwq->nr_in_flight[color]) {
			pwq->flush_mask |= 1u << color;
			atomic_fetch_add(&wq->nr_pwqs_to_flush[color], 1);
		}
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
	}
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	atomic_fetch_sub(&wq->nr_pwqs_to_flush[color], 1);

	wq_wait_flush_event(wq, color_flushed, (unsigned long long)color);
	/* Finish in order: every earlier flush covered older colours. */
	wq_wait_flush_event(wq, predecessors_done, gen);
	atomic_store(&wq->flush_completed, gen);
	wq_flush_event_bump(wq);
}

/* Has @wq nothing queued, inactive or running?  Takes the pool locks. */
static bool wq_is_empty(struct workqueue_struct *wq)
{
	struct pool_workqueue *pwq;
	struct list_head *node;
	bool empty = true;
	int c;

	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	list_for_each_node(node, &wq->pwqs)
	{
		pwq = list_entry(node, struct pool_workqueue, wq_node);
		cmwq_mutex_lock(&pwq->pool->lock, LC_POOL);
		pool_drain_incoming(pwq->pool);
		if (pwq->nr_active || !list_empty(&pwq->inactive_works))
			empty = false;
		for (c = 0; c < WORK_NR_COLORS; c++)
			if (pwq->nr_in_flight[c])
				empty = false;
		cmwq_mutex_unlock(&pwq->pool->lock, LC_POOL);
	}
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	return empty;
}

void cmwq_drain_internal(struct workqueue_struct *wq, bool keep_draining)
{
	unsigned int tries;

	atomic_fetch_add(&wq->nr_drainers, 1);
	for (tries = 1;; tries++) {
		cmwq_flush_workqueue(wq);
		/* rcu_works in their grace period are queued after it. */
		if (atomic_load(&wq->nr_rcu)) {
			if (cmwq_rcu_barrier("drain_workqueue"))
				continue;
		}
		if (wq_is_empty(wq))
			break;
		if (tries == 10 || tries % 100 == 0)
			cmwq_warn("drain_workqueue(\"%s\") isn't complete "
				  "after %u tries: an item keeps requeueing "
				  "itself",
				  wq->name, tries);
	}
	if (!keep_draining)
		atomic_fetch_sub(&wq->nr_drainers, 1);
}

CMWQ_API void cmwq_drain_workqueue(struct workqueue_struct *wq)
{
	if (!cmwq_wq_is_live(wq)) {
		cmwq_warn("drain_workqueue: %p is not a live workqueue",
			  (void *)wq);
		return;
	}
	if (current_item_of(wq)) {
		cmwq_warn("drain_workqueue(\"%s\") from one of its own items "
			  "would wait for itself; not waiting",
			  wq->name);
		return;
	}
	if (bh_flush_deadlocks(wq, "drain_workqueue"))
		return;
	cmwq_drain_internal(wq, false);
}

CMWQ_API bool cmwq_workqueue_congested(int cpu, struct workqueue_struct *wq)
{
	struct pool_workqueue *pwq;
	bool ret;

	if (!cmwq_wq_is_live(wq))
		return false;
	pwq = wq_select_pwq(wq, &cpu);
	cmwq_mutex_lock(&pwq->pool->lock, LC_POOL);
	pool_drain_incoming(pwq->pool);
	ret = !list_empty(&pwq->inactive_works);
	cmwq_mutex_unlock(&pwq->pool->lock, LC_POOL);
	return ret;
}
