// SPDX-License-Identifier: MIT
/*
 * timer.c - the timer service and delayed work
 *
 * One service for the process, run by the manager thread.  Armed timers
 * live in a 4-ary min-heap keyed by deadline (timer_lock).  Arming is
 * lock-free and async-signal-safe: the timer is pushed on an ingress stack
 * that the manager (or a canceller) moves into the heap under timer_lock.
 * The manager sleeps exactly until the earliest deadline, or without a
 * deadline when nothing is armed: no periodic tick.
 *
 * Timer states (timer->state, atomic):
 *   IDLE -> INCOMING (armed, on the ingress stack)
 *        -> ARMED (in the heap) -> IDLE (expired: being queued, or
 *           cancelled)
 * The PENDING bit of the delayed item is owned by whoever armed it until
 * the timer is cancelled (the canceller takes it) or expires (the manager
 * queues the item with it).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>

enum { TIMER_IDLE, TIMER_INCOMING, TIMER_ARMED };

static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cmwq_timer **heap; /* (timer_lock) */
static unsigned int heap_len, heap_cap; /* (timer_lock) */
/* (A) ingress stack, linked through timer->next; taken under timer_lock */
static _Atomic(struct cmwq_timer *) timer_incoming;
/*
 * (A) The deadline the manager sleeps until (~0: none).  An armer with an
 * earlier deadline lowers it and wakes the manager; the manager stores it
 * before looking at the ingress stack one last time (seq_cst both sides).
 */
static atomic_ullong sleep_deadline = ~0ull;

static unsigned int timer_state(struct cmwq_timer *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
}

static void set_timer_state(struct cmwq_timer *t, unsigned int s)
{
	__atomic_store_n(&t->state, s, __ATOMIC_RELEASE);
}

static struct delayed_work *timer_dwork(struct cmwq_timer *t)
{
	return container_of(t, struct delayed_work, timer);
}

/* Heap helpers.  (timer_lock) */
static void heap_set(unsigned int i, struct cmwq_timer *t)
{
	heap[i] = t;
	t->index = i;
}

static void sift_up(unsigned int i)
{
	struct cmwq_timer *t = heap[i];

	while (i > 0) {
		unsigned int parent = (i - 1) / 4;

		if (heap[parent]->expires_ns <= t->expires_ns)
			break;
		heap_set(i, heap[parent]);
		i = parent;
	}
	heap_set(i, t);
}

static void sift_down(unsigned int i)
{
	struct cmwq_timer *t = heap[i];

	for (;;) {
		unsigned int c = i * 4 + 1, best = i, k;
		unsigned long long best_exp = t->expires_ns;

		for (k = c; k < c + 4 && k < heap_len; k++) {
			if (heap[k]->expires_ns < best_exp) {
				best = k;
				best_exp = heap[k]->expires_ns;
			}
		}
		if (best == i)
			break;
		heap_set(i, heap[best]);
		i = best;
	}
	heap_set(i, t);
}

static bool heap_reserve(unsigned int n)
{
	struct cmwq_timer **h;
	unsigned int cap;

	if (n <= heap_cap)
		return true;
	cap = heap_cap ? heap_cap : 64;
	while (cap < n)
		cap *= 2;
	h = realloc(heap, sizeof(*h) * cap);
	if (!h)
		return false;
	heap = h;
	heap_cap = cap;
	return true;
}

static void heap_remove(struct cmwq_timer *t)
{
	unsigned int i = t->index;
	struct cmwq_timer *last = heap[--heap_len];

	t->index = ~0u;
	if (i == heap_len)
		return;
	heap_set(i, last);
	if (i > 0 && heap[(i - 1) / 4]->expires_ns > last->expires_ns)
		sift_up(i);
	else
		sift_down(i);
}

/*
 * Move the ingress stack into the heap.  (timer_lock)  The heap grows
 * here, never while arming; if it cannot grow the timers stay on the
 * stack and are retried at the next drain.
 */
static void timers_drain_incoming(void)
{
	struct cmwq_timer *t, *next;
	unsigned int n = 0;

	if (!atomic_load_explicit(&timer_incoming, memory_order_relaxed))
		return;
	for (t = atomic_load(&timer_incoming); t; t = t->next)
		n++;
	if (!heap_reserve(heap_len + n + 8)) {
		cmwq_warn("timer service: out of memory; timers are late");
		return;
	}
	/* Acquire: pairs with the release push in timer_arm(). */
	t = atomic_exchange_explicit(&timer_incoming, NULL,
				     memory_order_acquire);
	for (; t; t = next) {
		next = t->next;
		if (heap_len >= heap_cap && !heap_reserve(heap_len + 1)) {
			/* Cannot happen after the reserve above. */
			abort();
		}
		heap_set(heap_len++, t);
		sift_up(heap_len - 1);
		set_timer_state(t, TIMER_ARMED);
	}
}

/* Arm @t for @expires_ns.  Lock-free, allocation-free, signal-safe. */
static void timer_arm(struct cmwq_timer *t, unsigned long long expires_ns)
{
	struct cmwq_timer *head;
	unsigned long long cur;

	t->expires_ns = expires_ns;
	set_timer_state(t, TIMER_INCOMING);
	head = atomic_load_explicit(&timer_incoming, memory_order_relaxed);
	do {
		t->next = head;
	} while (!atomic_compare_exchange_weak_explicit(&timer_incoming, &head,
							t, memory_order_seq_cst,
							memory_order_relaxed));

	/* Wake the manager only if it would sleep past this deadline. */
	cur = atomic_load(&sleep_deadline);
	while (expires_ns < cur) {
		if (atomic_compare_exchange_weak(&sleep_deadline, &cur,
						 expires_ns)) {
			cmwq_manager_start_if_needed();
			cmwq_manager_wake();
			break;
		}
	}
}

/*
 * Stop the timer of @dwork if it is armed.  Returns true if it was: the
 * caller then owns the item's PENDING bit.
 */
bool cmwq_timer_cancel(struct delayed_work *dwork)
{
	struct cmwq_timer *t = &dwork->timer;
	bool ret = false;

	pthread_mutex_lock(&timer_lock);
	if (timer_state(t) == TIMER_INCOMING)
		timers_drain_incoming();
	if (timer_state(t) == TIMER_ARMED) {
		heap_remove(t);
		set_timer_state(t, TIMER_IDLE);
		atomic_fetch_sub(&dwork->wq->nr_armed, 1);
		/* PENDING stays set: the caller owns it now. */
		work_data_store(&dwork->work, claim_bits());
		ret = true;
	}
	pthread_mutex_unlock(&timer_lock);
	return ret;
}

/*
 * Queue every item whose timer expired by @now; lower *@next_ns to the
 * next deadline.  Runs on the manager thread.
 */
void cmwq_timer_run_expired(unsigned long long now, unsigned long long *next_ns)
{
	for (;;) {
		struct cmwq_timer *t = NULL;
		struct delayed_work *dwork;
		struct workqueue_struct *wq;

		pthread_mutex_lock(&timer_lock);
		timers_drain_incoming();
		if (heap_len && heap[0]->expires_ns <= now) {
			t = heap[0];
			heap_remove(t);
			/*
			 * In transit from here until queued: flush and
			 * cancel see PENDING without a pwq and wait.  The
			 * state goes IDLE before the item is queued, so a
			 * later arm is never overwritten.
			 */
			work_data_store(&timer_dwork(t)->work, claim_bits());
			set_timer_state(t, TIMER_IDLE);
		} else {
			unsigned long long d = heap_len ? heap[0]->expires_ns :
							  ~0ull;

			/*
			 * Publish the deadline, then look at the ingress
			 * one last time (the armer's half is in
			 * timer_arm()).
			 */
			atomic_store(&sleep_deadline, d);
			if (atomic_load(&timer_incoming)) {
				pthread_mutex_unlock(&timer_lock);
				continue;
			}
			if (d < *next_ns)
				*next_ns = d;
		}
		pthread_mutex_unlock(&timer_lock);
		if (!t)
			return;
		dwork = timer_dwork(t);
		wq = dwork->wq;
		cmwq_queue_claimed(dwork->cpu, wq, &dwork->work);
		atomic_fetch_sub(&wq->nr_armed, 1);
	}
}

/* For fork.c: held across fork(); in the child nothing is armed. */
void cmwq_timer_lock_all(void)
{
	pthread_mutex_lock(&timer_lock);
}

void cmwq_timer_unlock_all(void)
{
	pthread_mutex_unlock(&timer_lock);
}

void cmwq_timer_forget_all(void)
{
	struct cmwq_timer *t, *next;
	unsigned int i;

	for (i = 0; i < heap_len; i++) {
		t = heap[i];
		t->index = ~0u;
		set_timer_state(t, TIMER_IDLE);
		work_data_store(&timer_dwork(t)->work, 0);
	}
	heap_len = 0;
	t = atomic_exchange(&timer_incoming, NULL);
	for (; t; t = next) {
		next = t->next;
		set_timer_state(t, TIMER_IDLE);
		work_data_store(&timer_dwork(t)->work, 0);
	}
	atomic_store(&sleep_deadline, ~0ull);
}

/* Are timers of delayed items of @wq armed (not merely firing)? */
bool cmwq_timers_armed_on(struct workqueue_struct *wq)
{
	unsigned int i;
	bool ret = false;

	pthread_mutex_lock(&timer_lock);
	timers_drain_incoming();
	for (i = 0; i < heap_len && !ret; i++)
		ret = timer_dwork(heap[i])->wq == wq;
	/* Not drained (out of memory): count them as armed. */
	if (atomic_load(&timer_incoming))
		ret = true;
	pthread_mutex_unlock(&timer_lock);
	return ret;
}

bool cmwq_timers_armed(void)
{
	bool ret;

	pthread_mutex_lock(&timer_lock);
	ret = heap_len || atomic_load(&timer_incoming);
	pthread_mutex_unlock(&timer_lock);
	return ret;
}

static bool timer_is_armed(struct cmwq_timer *t)
{
	return timer_state(t) != TIMER_IDLE;
}

CMWQ_API void cmwq_init_delayed_work(struct delayed_work *dwork,
				     work_func_t func)
{
	if (!dwork) {
		cmwq_warn("INIT_DELAYED_WORK: NULL work item");
		return;
	}
	if ((__atomic_load_n(&dwork->work.data, __ATOMIC_RELAXED) &
	     WORK_PENDING) &&
	    !(__atomic_load_n(&dwork->work.data, __ATOMIC_RELAXED) &
	      WORK_PWQ)) {
		bool armed;

		pthread_mutex_lock(&timer_lock);
		armed = timer_is_armed(&dwork->timer) &&
			((dwork->timer.index < heap_len &&
			  heap[dwork->timer.index] == &dwork->timer) ||
			 timer_state(&dwork->timer) == TIMER_INCOMING);
		pthread_mutex_unlock(&timer_lock);
		if (armed) {
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
	dwork->timer.expires_ns = 0;
	dwork->timer.next = NULL;
	dwork->timer.index = ~0u;
	__atomic_store_n(&dwork->timer.state, TIMER_IDLE, __ATOMIC_RELAXED);
	dwork->wq = NULL;
	dwork->cpu = WORK_CPU_UNBOUND;
}

/* Arm or queue @dwork, whose PENDING bit the caller owns. */
static void queue_delayed_claimed(int cpu, struct workqueue_struct *wq,
				  struct delayed_work *dwork,
				  unsigned long long delay_ns)
{
	dwork->wq = wq;
	dwork->cpu = cpu;
	if (!delay_ns) {
		cmwq_queue_claimed(cpu, wq, &dwork->work);
		return;
	}
	atomic_fetch_add(&wq->nr_armed, 1);
	work_data_store(&dwork->work, claim_bits() | WORK_TIMER);
	timer_arm(&dwork->timer, cmwq_clock_ns() + delay_ns);
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
		cmwq_queue_claimed(dwork->cpu, dwork->wq, &dwork->work);
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
