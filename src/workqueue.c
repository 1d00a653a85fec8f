// SPDX-License-Identifier: MIT
/*
 * workqueue.c - workqueues: allocation, destruction, the system workqueues,
 * max_active and attributes
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every live workqueue.  (wqs_mutex) */
pthread_mutex_t wqs_mutex = PTHREAD_MUTEX_INITIALIZER;
struct list_head workqueues = { &workqueues, &workqueues };

CMWQ_API struct workqueue_struct *cmwq_system_wq;
CMWQ_API struct workqueue_struct *cmwq_system_percpu_wq;
CMWQ_API struct workqueue_struct *cmwq_system_highpri_wq;
CMWQ_API struct workqueue_struct *cmwq_system_long_wq;
CMWQ_API struct workqueue_struct *cmwq_system_unbound_wq;
CMWQ_API struct workqueue_struct *cmwq_system_dfl_wq;
CMWQ_API struct workqueue_struct *cmwq_system_freezable_wq;

/* The list of live workqueues, for fork.c.  (wqs_mutex) */
struct list_head *cmwq_workqueue_list(void)
{
	return &workqueues;
}

bool cmwq_wq_is_live(struct workqueue_struct *wq)
{
	struct workqueue_struct *w;
	bool found = false;

	if (!wq)
		return false;
	pthread_mutex_lock(&wqs_mutex);
	list_for_each_entry(w, &workqueues, node) {
		if (w == wq) {
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&wqs_mutex);
	return found;
}

bool cmwq_pwq_is_live(struct pool_workqueue *pwq)
{
	struct workqueue_struct *wq;
	struct pool_workqueue *p;
	struct list_head *node;
	bool found = false;

	pthread_mutex_lock(&wqs_mutex);
	list_for_each_entry(wq, &workqueues, node) {
		list_for_each_node(node, &wq->pwqs)
		{
			p = list_entry(node, struct pool_workqueue, wq_node);
			if (p == pwq) {
				found = true;
				goto out;
			}
		}
	}
out:
	pthread_mutex_unlock(&wqs_mutex);
	return found;
}

/*
 * The pwq @wq queues to for @cpu.  A bound workqueue takes the caller's
 * CPU for WORK_CPU_UNBOUND, and for a CPU it cannot use (with a
 * diagnostic): the item is never dropped.  Async-signal-safe.
 */
struct pool_workqueue *wq_select_pwq(struct workqueue_struct *wq, int *cpu)
{
	if (wq->flags & WQ_UNBOUND)
		return atomic_load_explicit(&wq->dfl_pwq, memory_order_acquire);
	if (*cpu != WORK_CPU_UNBOUND &&
	    (*cpu < 0 || *cpu >= cmwq_nr_cpu_slots)) {
		cmwq_warn_const("queue_work_on: no such CPU; queueing on the "
				"current CPU");
		*cpu = WORK_CPU_UNBOUND;
	}
	if (*cpu == WORK_CPU_UNBOUND)
		*cpu = cmwq_current_cpu();
	if (*cpu >= cmwq_nr_cpu_slots)
		*cpu = 0;
	return wq->cpu_pwqs[*cpu];
}

/* Every flag include/cmwq/workqueue.h defines. */
#define WQ_KNOWN_FLAGS                                                  \
	((unsigned int)(WQ_UNBOUND | WQ_FREEZABLE | WQ_MEM_RECLAIM |    \
			WQ_HIGHPRI | WQ_CPU_INTENSIVE | WQ_SYSFS |      \
			WQ_POWER_EFFICIENT | WQ_PERCPU | __WQ_ORDERED | \
			__WQ_LEGACY))

static int clamp_max_active(int max_active, unsigned int flags,
			    const char *name)
{
	int lim = (flags & WQ_UNBOUND) ? WQ_UNBOUND_MAX_ACTIVE : WQ_MAX_ACTIVE;

	if (max_active == 0)
		return WQ_DFL_ACTIVE;
	if (max_active < 1 || max_active > lim) {
		cmwq_warn("max_active %d requested for %s is out of range, "
			  "clamping between %d and %d",
			  max_active, name, 1, lim);
		return max_active < 1 ? 1 : lim;
	}
	return max_active;
}

/*
 * Set while the freezable workqueues are frozen.  (wqs_mutex for writers;
 * read under wqs_mutex when a pwq is created.)
 */
static bool wqs_frozen;

/* The max_active a pwq of @wq enforces now: 0 while frozen.  (W) */
static int pwq_effective_max(struct workqueue_struct *wq)
{
	return (wq->flags & WQ_FREEZABLE) && wqs_frozen ? 0 : wq->max_active;
}

static struct pool_workqueue *alloc_pwq(struct workqueue_struct *wq,
					struct worker_pool *pool)
{
	struct pool_workqueue *pwq;

	pwq = cmwq_aligned_alloc(1 << WORK_PWQ_SHIFT, sizeof(*pwq));
	if (!pwq)
		return NULL;
	memset(pwq, 0, sizeof(*pwq));
	pwq->pool = pool;
	pwq->wq = wq;
	pwq->max_active = pwq_effective_max(wq);
	INIT_LIST_HEAD(&pwq->inactive_works);
	INIT_LIST_HEAD(&pwq->mayday_node);
	list_add_tail(&pwq->wq_node, &wq->pwqs);
	return pwq;
}

static void free_wq(struct workqueue_struct *wq)
{
	struct list_head *node, *next;

	for (node = wq->pwqs.next; node != &wq->pwqs; node = next) {
		next = node->next;
		free(list_entry(node, struct pool_workqueue, wq_node));
	}
	free(wq->cpu_pwqs);
	pthread_mutex_destroy(&wq->mutex);
	free(wq);
}

/*
 * A destroyed workqueue's struct is kept, marked dead, until
 * WQ_GRAVEYARD_SIZE later destructions: queueing on a queue that was just
 * destroyed then reads the mark and gets a diagnostic, not freed memory.
 * Its pwqs are freed at once.
 */
#define WQ_GRAVEYARD_SIZE 64
static struct workqueue_struct *graveyard[WQ_GRAVEYARD_SIZE]; /* (wqs_mutex) */
static unsigned int graveyard_next; /* (wqs_mutex) */

static void retire_wq(struct workqueue_struct *wq)
{
	struct workqueue_struct *old;

	/*
	 * Its pwqs stay too: a cancel or flush racing with the destruction
	 * may still read an item's pwq pointer (the kernel keeps them under
	 * RCU); it finds the item gone and retries.
	 */
	pthread_mutex_lock(&wqs_mutex);
	old = graveyard[graveyard_next];
	graveyard[graveyard_next] = wq;
	graveyard_next = (graveyard_next + 1) % WQ_GRAVEYARD_SIZE;
	pthread_mutex_unlock(&wqs_mutex);
	if (old)
		free_wq(old);
}

struct workqueue_struct *cmwq_alloc_workqueue_va(const char *fmt,
						 unsigned int flags,
						 int max_active, va_list ap)
{
	struct workqueue_struct *wq;
	int cpu, c, len;

	if (!fmt) {
		cmwq_warn("alloc_workqueue: NULL name");
		errno = EINVAL;
		return NULL;
	}
	wq = cmwq_calloc(1, sizeof(*wq));
	if (!wq) {
		errno = ENOMEM;
		return NULL;
	}
	len = vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	if (len < 0) {
		cmwq_warn("alloc_workqueue: cannot format the name \"%s\"",
			  fmt);
		free(wq);
		errno = EINVAL;
		return NULL;
	}
	if (flags & ~WQ_KNOWN_FLAGS) {
		cmwq_warn("alloc_workqueue(\"%s\"): unknown flag bits %#x "
			  "(flags %#x); not created",
			  wq->name, flags & ~WQ_KNOWN_FLAGS, flags);
		free(wq);
		errno = EINVAL;
		return NULL;
	}
	if ((size_t)len >= sizeof(wq->name))
		/* As the kernel: truncated, with a warning. */
		cmwq_warn("alloc_workqueue: wq name is too long (%d "
			  "characters, at most %zu): truncated to \"%s\"",
			  len, sizeof(wq->name) - 1, wq->name);
	if (flags & __WQ_ORDERED) {
		flags |= WQ_UNBOUND;
		max_active = 1;
	}
	wq->flags = flags;
	wq->max_active = clamp_max_active(max_active, flags, wq->name);
	wq->min_active = wq->max_active < WQ_DFL_MIN_ACTIVE ? wq->max_active :
							      WQ_DFL_MIN_ACTIVE;
	pthread_mutex_init(&wq->mutex, NULL);
	INIT_LIST_HEAD(&wq->pwqs);
	INIT_LIST_HEAD(&wq->node);
	INIT_LIST_HEAD(&wq->maydays);
	atomic_init(&wq->work_color, 0);
	for (c = 0; c < WORK_NR_COLORS; c++)
		atomic_init(&wq->nr_pwqs_to_flush[c], 0);
	atomic_init(&wq->flush_completed, 0);
	atomic_init(&wq->flush_event, 0);
	atomic_init(&wq->nr_drainers, 0);
	atomic_init(&wq->nr_armed, 0);

	if (flags & WQ_UNBOUND) {
		struct worker_pool *pool = cmwq_get_unbound_pool(
			(flags & WQ_HIGHPRI) ? -20 : 0, NULL);
		struct pool_workqueue *pwq = pool ? alloc_pwq(wq, pool) : NULL;

		if (!pwq)
			goto fail;
		atomic_init(&wq->dfl_pwq, pwq);
	} else {
		wq->cpu_pwqs = cmwq_calloc((size_t)cmwq_nr_cpu_slots,
					   sizeof(*wq->cpu_pwqs));
		if (!wq->cpu_pwqs)
			goto fail;
		for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++) {
			wq->cpu_pwqs[cpu] = alloc_pwq(
				wq, cmwq_cpu_pool(cpu, flags & WQ_HIGHPRI));
			if (!wq->cpu_pwqs[cpu])
				goto fail;
		}
		atomic_init(&wq->dfl_pwq, NULL);
	}
	if ((flags & WQ_MEM_RECLAIM) && cmwq_rescuer_create(wq) < 0)
		goto fail;

	atomic_store(&wq->magic, WQ_MAGIC);
	pthread_mutex_lock(&wqs_mutex);
	/* Frozen meanwhile: start frozen. */
	if ((wq->flags & WQ_FREEZABLE) && wqs_frozen) {
		struct list_head *node;

		list_for_each_node(node, &wq->pwqs)
			list_entry(node, struct pool_workqueue, wq_node)
				->max_active = 0;
	}
	list_add_tail(&wq->node, &workqueues);
	pthread_mutex_unlock(&wqs_mutex);
	return wq;
fail:
	free_wq(wq);
	errno = ENOMEM;
	return NULL;
}

CMWQ_API struct workqueue_struct *
cmwq_alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
{
	struct workqueue_struct *wq;
	va_list ap;

	cmwq_init_once();
	va_start(ap, max_active);
	wq = cmwq_alloc_workqueue_va(fmt, flags, max_active, ap);
	va_end(ap);
	/*
	 * A program that allocates a workqueue will queue on it, possibly
	 * from a signal handler, where starting the first thread would not
	 * be async-signal-safe: start the manager now, in normal context.
	 */
	if (wq)
		cmwq_manager_start_if_needed();
	return wq;
}

static bool is_system_wq(struct workqueue_struct *wq)
{
	return wq == cmwq_system_wq || wq == cmwq_system_highpri_wq ||
	       wq == cmwq_system_long_wq || wq == cmwq_system_unbound_wq ||
	       wq == cmwq_system_freezable_wq;
}

CMWQ_API int cmwq_destroy_workqueue(struct workqueue_struct *wq)
{
	int armed;

	if (!wq) {
		cmwq_warn("destroy_workqueue: NULL workqueue");
		return -EINVAL;
	}
	if (!cmwq_wq_is_live(wq)) {
		cmwq_warn("destroy_workqueue: %p is not a live workqueue "
			  "(destroyed twice?); nothing done",
			  (void *)wq);
		return -EINVAL;
	}
	if (is_system_wq(wq)) {
		cmwq_warn("destroy_workqueue: \"%s\" is a system workqueue; "
			  "not destroyed",
			  wq->name);
		return -EINVAL;
	}
	if (current_item_of(wq)) {
		cmwq_warn("destroy_workqueue(\"%s\") from one of its own "
			  "items would wait for itself; not destroyed",
			  wq->name);
		return -EBUSY;
	}

	/* Drain, and keep refusing outside queueing from here on. */
	cmwq_drain_internal(wq, true);
	/*
	 * A timer that fires now pushes its item, then drops nr_armed: wait
	 * for those in flight (not armed any more), then drain once more to
	 * take their items too.  Items still armed make destroy refuse.
	 */
	while ((armed = atomic_load(&wq->nr_armed)) &&
	       !cmwq_timers_armed_on(wq))
		sched_yield();
	if (!armed) {
		cmwq_drain_internal(wq, true);
		atomic_fetch_sub(&wq->nr_drainers, 1);
		armed = atomic_load(&wq->nr_armed);
	}
	if (armed) {
		cmwq_warn("destroy_workqueue(\"%s\"): %d delayed work item%s "
			  "still armed; cancel them first; not destroyed",
			  wq->name, armed, armed == 1 ? "" : "s");
		atomic_fetch_sub(&wq->nr_drainers, 1);
		return -EBUSY;
	}
	cmwq_rescuer_destroy(wq);

	pthread_mutex_lock(&wqs_mutex);
	list_del_init(&wq->node);
	pthread_mutex_unlock(&wqs_mutex);
	atomic_store(&wq->magic, WQ_MAGIC_DEAD);
	retire_wq(wq);
	return 0;
}

CMWQ_API void cmwq_workqueue_set_max_active(struct workqueue_struct *wq,
					    int max_active)
{
	struct pool_workqueue *pwq;
	struct list_head *node;

	if (!cmwq_wq_is_live(wq)) {
		cmwq_warn("workqueue_set_max_active: %p is not a live "
			  "workqueue",
			  (void *)wq);
		return;
	}
	if (wq->flags & __WQ_ORDERED) {
		cmwq_warn("workqueue_set_max_active: \"%s\" is ordered; "
			  "max_active stays 1",
			  wq->name);
		return;
	}
	max_active = clamp_max_active(max_active, wq->flags, wq->name);
	pthread_mutex_lock(&wqs_mutex);
	pthread_mutex_lock(&wq->mutex);
	wq->max_active = max_active;
	if (wq->min_active > max_active)
		wq->min_active = max_active;
	list_for_each_node(node, &wq->pwqs)
	{
		pwq = list_entry(node, struct pool_workqueue, wq_node);
		pthread_mutex_lock(&pwq->pool->lock);
		pwq->max_active = pwq_effective_max(wq);
		pwq_activate_inactive(pwq);
		pthread_mutex_unlock(&pwq->pool->lock);
	}
	pthread_mutex_unlock(&wq->mutex);
	pthread_mutex_unlock(&wqs_mutex);
}

CMWQ_API void cmwq_workqueue_set_min_active(struct workqueue_struct *wq,
					    int min_active)
{
	if (!cmwq_wq_is_live(wq)) {
		cmwq_warn("workqueue_set_min_active: %p is not a live "
			  "workqueue",
			  (void *)wq);
		return;
	}
	/* As the kernel: only meaningful for unbound, not ordered. */
	if ((wq->flags & (WQ_UNBOUND | __WQ_ORDERED)) != WQ_UNBOUND) {
		cmwq_warn("workqueue_set_min_active: \"%s\" is %s; "
			  "min_active is for unbound workqueues only",
			  wq->name,
			  (wq->flags & __WQ_ORDERED) ? "ordered" : "per-CPU");
		return;
	}
	pthread_mutex_lock(&wq->mutex);
	if (min_active < 0)
		min_active = 0;
	wq->min_active = min_active > wq->max_active ? wq->max_active :
						       min_active;
	pthread_mutex_unlock(&wq->mutex);
}

/*
 * Call @fn on every pwq of every freezable workqueue, with its pool's lock
 * held.  (wqs_mutex)
 */
static void for_each_freezable_pwq(void (*fn)(struct pool_workqueue *, void *),
				   void *arg)
{
	struct workqueue_struct *wq;
	struct list_head *node;

	list_for_each_entry(wq, &workqueues, node) {
		if (!(wq->flags & WQ_FREEZABLE))
			continue;
		pthread_mutex_lock(&wq->mutex);
		list_for_each_node(node, &wq->pwqs)
		{
			struct pool_workqueue *pwq = list_entry(
				node, struct pool_workqueue, wq_node);

			pthread_mutex_lock(&pwq->pool->lock);
			fn(pwq, arg);
			pthread_mutex_unlock(&pwq->pool->lock);
		}
		pthread_mutex_unlock(&wq->mutex);
	}
}

/* Apply the freezer state to @pwq.  (L, W) */
static void freeze_apply_pwq(struct pool_workqueue *pwq, void *arg)
{
	(void)arg;
	/* Items pushed before the call are let in first. */
	pool_drain_incoming(pwq->pool);
	pwq->max_active = pwq_effective_max(pwq->wq);
	pwq_activate_inactive(pwq);
}

static void freeze_apply(void)
{
	for_each_freezable_pwq(freeze_apply_pwq, NULL);
}

static void pwq_note_active(struct pool_workqueue *pwq, void *busy)
{
	if (pwq->nr_active)
		*(bool *)busy = true;
}

CMWQ_API void cmwq_freeze_workqueues_begin(void)
{
	cmwq_init_once();
	pthread_mutex_lock(&wqs_mutex);
	if (wqs_frozen)
		cmwq_warn("freeze_workqueues_begin: already frozen");
	wqs_frozen = true;
	freeze_apply();
	pthread_mutex_unlock(&wqs_mutex);
}

CMWQ_API bool cmwq_freeze_workqueues_busy(void)
{
	bool busy = false;

	pthread_mutex_lock(&wqs_mutex);
	if (!wqs_frozen)
		cmwq_warn("freeze_workqueues_busy: not frozen");
	for_each_freezable_pwq(pwq_note_active, &busy);
	pthread_mutex_unlock(&wqs_mutex);
	return busy;
}

CMWQ_API void cmwq_thaw_workqueues(void)
{
	pthread_mutex_lock(&wqs_mutex);
	if (!wqs_frozen)
		cmwq_warn("thaw_workqueues: not frozen");
	wqs_frozen = false;
	freeze_apply();
	pthread_mutex_unlock(&wqs_mutex);
}

CMWQ_API const char *cmwq_workqueue_name(const struct workqueue_struct *wq)
{
	return wq ? wq->name : NULL;
}

CMWQ_API struct workqueue_attrs *cmwq_alloc_workqueue_attrs(void)
{
	return cmwq_calloc(1, sizeof(struct workqueue_attrs));
}

CMWQ_API void cmwq_free_workqueue_attrs(struct workqueue_attrs *attrs)
{
	free(attrs);
}

CMWQ_API int cmwq_apply_workqueue_attrs(struct workqueue_struct *wq,
					const struct workqueue_attrs *attrs)
{
	struct pool_workqueue *old, *pwq;
	struct worker_pool *pool;
	int c;

	if (!attrs || !cmwq_wq_is_live(wq) || !(wq->flags & WQ_UNBOUND) ||
	    (wq->flags & __WQ_ORDERED) || attrs->nice < -20 ||
	    attrs->nice > 19) {
		cmwq_warn("apply_workqueue_attrs: needs a live, unbound, "
			  "unordered workqueue and nice in -20..19");
		return -EINVAL;
	}
	pool = cmwq_get_unbound_pool(attrs->nice, attrs->cpumask);
	if (!pool)
		return -ENOMEM;
	pthread_mutex_lock(&wq->mutex);
	old = atomic_load(&wq->dfl_pwq);
	if (old->pool == pool) {
		pthread_mutex_unlock(&wq->mutex);
		return 0;
	}
	pthread_mutex_lock(&old->pool->lock);
	pool_drain_incoming(old->pool);
	for (c = 0; c < WORK_NR_COLORS; c++) {
		if (old->nr_in_flight[c]) {
			pthread_mutex_unlock(&old->pool->lock);
			pthread_mutex_unlock(&wq->mutex);
			return -EBUSY;
		}
	}
	pthread_mutex_unlock(&old->pool->lock);
	/*
	 * The old pwq stays on wq->pwqs until the workqueue is destroyed:
	 * a queuer that read it before the switch may still push to it.
	 */
	pwq = alloc_pwq(wq, pool);
	if (!pwq) {
		pthread_mutex_unlock(&wq->mutex);
		return -ENOMEM;
	}
	atomic_store_explicit(&wq->dfl_pwq, pwq, memory_order_release);
	pthread_mutex_unlock(&wq->mutex);
	return 0;
}

/* Allocate without cmwq_init_once(): used while initialising. */
static struct workqueue_struct *
alloc_system(const char *fmt, unsigned int flags, int max_active, ...)
{
	struct workqueue_struct *wq;
	va_list ap;

	va_start(ap, max_active);
	wq = cmwq_alloc_workqueue_va(fmt, flags, max_active, ap);
	va_end(ap);
	return wq;
}

/* Create the system workqueues.  Called once at start-up. */
int cmwq_system_wqs_init(void)
{
#define SYSWQ(var, name, flags, max)                  \
	do {                                          \
		var = alloc_system(name, flags, max); \
		if (!var)                             \
			return -ENOMEM;               \
	} while (0)
	SYSWQ(cmwq_system_wq, "events", WQ_PERCPU, 0);
	SYSWQ(cmwq_system_highpri_wq, "events_highpri", WQ_PERCPU | WQ_HIGHPRI,
	      0);
	SYSWQ(cmwq_system_long_wq, "events_long", WQ_PERCPU, 0);
	SYSWQ(cmwq_system_unbound_wq, "events_unbound", WQ_UNBOUND,
	      WQ_MAX_ACTIVE);
	SYSWQ(cmwq_system_freezable_wq, "events_freezable",
	      WQ_PERCPU | WQ_FREEZABLE, 0);
#undef SYSWQ
	cmwq_system_percpu_wq = cmwq_system_wq;
	cmwq_system_dfl_wq = cmwq_system_unbound_wq;
	return 0;
}
