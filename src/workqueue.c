// SPDX-License-Identifier: MIT
/*
 * workqueue.c - workqueues: allocation, destruction, the system workqueues,
 * max_active and attributes
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"
#include "objcache.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
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
CMWQ_API struct workqueue_struct *cmwq_system_bh_wq;
CMWQ_API struct workqueue_struct *cmwq_system_bh_highpri_wq;

/* The list of live workqueues, for fork.c.  (wqs_mutex) */
struct list_head *cmwq_workqueue_list(void)
{
	return &workqueues;
}

/*
 * Type-stable memory for workqueues and pwqs (src/objcache.h).  A freed
 * workqueue is reused only after WQ_QUARANTINE later ones: a handle kept
 * past destroy_workqueue() is refused by name for that long, as the
 * kernel's KASAN quarantine catches a use after free.  A pwq is never a
 * user's handle: none needed.
 */
#define WQ_QUARANTINE 64
#define WQ_OBJ_SIZE ((sizeof(struct workqueue_struct) + 63) & ~(size_t)63)
#define OBJ_CHUNK_SIZE (64 * 1024)
static struct cmwq_objcache wq_cache = CMWQ_OBJCACHE_INIT(
	"workqueue", WQ_OBJ_SIZE, OBJ_CHUNK_SIZE,
	offsetof(struct workqueue_struct, free_next), WQ_QUARANTINE);
static struct cmwq_objcache pwq_cache = CMWQ_OBJCACHE_INIT(
	"pool_workqueue", sizeof(struct pool_workqueue), OBJ_CHUNK_SIZE,
	offsetof(struct pool_workqueue, release_next), 0);

void cmwq_wq_caches_lock(void)
{
	cmwq_mutex_lock(&wq_cache.lock, LC_OBJCACHE);
	cmwq_mutex_lock_nested(&pwq_cache.lock, LC_OBJCACHE);
}

void cmwq_wq_caches_unlock(void)
{
	cmwq_mutex_unlock(&pwq_cache.lock, LC_OBJCACHE);
	cmwq_mutex_unlock(&wq_cache.lock, LC_OBJCACHE);
}

/*
 * Is @wq a workqueue between alloc_workqueue() and destroy_workqueue()?
 * O(log chunks): a pointer that was never a workqueue is told apart
 * without being read, a destroyed one by its magic word.
 */
bool cmwq_wq_is_live(struct workqueue_struct *wq)
{
	return wq && cmwq_objcache_owns(&wq_cache, wq) &&
	       atomic_load_explicit(&wq->magic, memory_order_acquire) ==
		       WQ_MAGIC;
}

/* Is @pwq a pwq with references (one items may be queued on)? */
bool cmwq_pwq_is_live(struct pool_workqueue *pwq)
{
	return pwq && cmwq_objcache_owns(&pwq_cache, pwq) &&
	       atomic_load_explicit(&pwq->refcnt, memory_order_acquire) > 0;
}

static void wq_put(struct workqueue_struct *wq);
static int pwq_effective_max(struct pool_workqueue *pwq);

/*
 * An ordered workqueue's oldest pwq may run its items once the pwqs
 * before it are gone: unplug it if it is plugged.  (W)
 */
static void wq_unplug_oldest(struct workqueue_struct *wq)
{
	struct pool_workqueue *oldest;

	if (list_empty(&wq->pwqs))
		return;
	oldest = list_entry(wq->pwqs.next, struct pool_workqueue, wq_node);
	if (!oldest->plugged)
		return;
	cmwq_mutex_lock(&oldest->pool->lock, LC_POOL);
	oldest->plugged = false;
	/* Items pushed lock-free before now are counted in first. */
	pool_drain_incoming(oldest->pool);
	oldest->max_active = pwq_effective_max(oldest);
	pwq_activate_inactive(oldest);
	cmwq_mutex_unlock(&oldest->pool->lock, LC_POOL);
}

/* The last reference is gone: take @pwq off its workqueue.  No locks. */
static void pwq_release(struct pool_workqueue *pwq)
{
	struct workqueue_struct *wq = pwq->wq;

	if (pwq->nna)
		nna_pending_del(pwq->nna, pwq);
	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	list_del_init(&pwq->wq_node);
	/* wq->pwqs is in the order the pwqs were made: oldest first. */
	if (wq->flags & __WQ_ORDERED)
		wq_unplug_oldest(wq);
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	cmwq_objcache_free(&pwq_cache, pwq);
	wq_put(wq);
}

/*
 * pwqs whose last reference was dropped where releasing is not allowed
 * (under pool->lock, in a signal handler), newest first, linked through
 * release_next.  (A) Pushed by compare-and-swap (release), taken whole by
 * the manager (acquire exchange): no ABA.
 */
static _Atomic(struct pool_workqueue *) pwqs_to_release;

static void pwq_defer_release(struct pool_workqueue *pwq)
{
	struct pool_workqueue *head;

	head = atomic_load_explicit(&pwqs_to_release, memory_order_relaxed);
	do {
		pwq->release_next = head;
	} while (!atomic_compare_exchange_weak_explicit(
		&pwqs_to_release, &head, pwq, memory_order_release,
		memory_order_relaxed));
}

void pwq_put_many(struct pool_workqueue *pwq, int n)
{
	if (atomic_fetch_sub_explicit(&pwq->refcnt, n, memory_order_acq_rel) !=
	    n)
		return;
	pwq_defer_release(pwq);
	cmwq_manager_wake();
}

void pwq_put(struct pool_workqueue *pwq)
{
	pwq_put_many(pwq, 1);
}

/* Is @pwq one @wq queues to now (holding the base reference)?  (W) */
static bool wq_pwq_published(struct workqueue_struct *wq,
			     struct pool_workqueue *pwq)
{
	int cpu;

	if (atomic_load_explicit(&wq->dfl_pwq, memory_order_relaxed) == pwq)
		return true;
	for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++)
		if (atomic_load_explicit(&wq->cpu_pwqs[cpu],
					 memory_order_relaxed) == pwq)
			return true;
	return false;
}

/*
 * In a fork() child (everything locked, one thread): the items, maydays
 * and queuers that held references are gone.  What is left is the base
 * reference of the pwqs @wq queues to; a pwq replaced by
 * apply_workqueue_attrs() and kept only by forgotten items is released
 * by the child's manager.
 */
void cmwq_wq_reset_refs(struct workqueue_struct *wq)
{
	struct list_head *node, *next;

	for (node = wq->pwqs.next; node != &wq->pwqs; node = next) {
		struct pool_workqueue *pwq =
			list_entry(node, struct pool_workqueue, wq_node);
		bool base = wq_pwq_published(wq, pwq);

		next = node->next;
		atomic_store(&pwq->refcnt, base ? 1 : 0);
		if (!base)
			pwq_defer_release(pwq);
	}
}

void pwq_put_unlocked(struct pool_workqueue *pwq)
{
	if (atomic_fetch_sub_explicit(&pwq->refcnt, 1, memory_order_acq_rel) ==
	    1)
		pwq_release(pwq);
}

void cmwq_release_pwqs(void)
{
	struct pool_workqueue *pwq, *next;

	if (!atomic_load_explicit(&pwqs_to_release, memory_order_relaxed))
		return;
	pwq = atomic_exchange_explicit(&pwqs_to_release, NULL,
				       memory_order_acquire);
	for (; pwq; pwq = next) {
		next = pwq->release_next;
		pwq_release(pwq);
	}
}

/*
 * The CPU an item queued for @cpu on @wq goes to: the caller's for
 * WORK_CPU_UNBOUND, and for a CPU it cannot use (with a diagnostic): the
 * item is never dropped.  Async-signal-safe.
 */
static int wq_pick_cpu(int cpu)
{
	if (cpu != WORK_CPU_UNBOUND && (cpu < 0 || cpu >= cmwq_nr_cpu_slots)) {
		cmwq_warn_const("queue_work_on: no such CPU; queueing on the "
				"current CPU");
		cpu = WORK_CPU_UNBOUND;
	}
	if (cpu == WORK_CPU_UNBOUND)
		cpu = cmwq_current_cpu();
	if (cpu < 0 || cpu >= cmwq_nr_cpu_slots)
		cpu = 0;
	return cpu;
}

/*
 * The pwq @wq queues to for @cpu: the CPU's own when bound, the pwq of its
 * pod when unbound (as the kernel, an unbound workqueue serves an item
 * where it was queued).  Sets *@cpu to the CPU chosen.  No reference is
 * taken: an unbound workqueue's pwq may be replaced and released meanwhile
 * (its memory stays a pwq: see wq_get_pwq()).  Async-signal-safe.
 */
struct pool_workqueue *wq_select_pwq(struct workqueue_struct *wq, int *cpu)
{
	*cpu = wq_pick_cpu(*cpu);
	return atomic_load_explicit(&wq->cpu_pwqs[*cpu], memory_order_acquire);
}

/*
 * wq_select_pwq() with a reference for the item about to be tagged with
 * the pwq.  An unbound workqueue's pwq may be replaced meanwhile
 * (apply_workqueue_attrs()): take a reference only on one not released,
 * and only keep it if it is still the CPU's.  The acquire load pairs with
 * the release store in wq_publish_pwqs().  Lock-free and async-signal-safe.
 */
struct pool_workqueue *wq_get_pwq(struct workqueue_struct *wq, int *cpu)
{
	_Atomic(struct pool_workqueue *) *slot;
	struct pool_workqueue *pwq;

	*cpu = wq_pick_cpu(*cpu);
	slot = &wq->cpu_pwqs[*cpu];
	if (!(wq->flags & WQ_UNBOUND)) {
		/* Bound pwqs stay until destroy_workqueue(). */
		pwq = atomic_load_explicit(slot, memory_order_relaxed);
		if (pwq)
			pwq_get(pwq);
		return pwq;
	}
	for (;;) {
		pwq = atomic_load_explicit(slot, memory_order_acquire);
		if (!pwq)
			return NULL; /* destroyed meanwhile */
		if (pwq_tryget(pwq)) {
			if (atomic_load_explicit(slot, memory_order_acquire) ==
			    pwq)
				return pwq;
			pwq_put(pwq);
		}
	}
}

/* Every flag include/cmwq/workqueue.h defines. */
#define WQ_KNOWN_FLAGS                                                  \
	((unsigned int)(WQ_BH | WQ_UNBOUND | WQ_FREEZABLE | WQ_MEM_RECLAIM |    \
			WQ_HIGHPRI | WQ_CPU_INTENSIVE | WQ_SYSFS |      \
			WQ_POWER_EFFICIENT | WQ_PERCPU | __WQ_ORDERED | \
			__WQ_LEGACY))

/* The flags a WQ_BH workqueue may have. */
#define WQ_BH_ALLOWS ((unsigned int)(WQ_BH | WQ_HIGHPRI | WQ_PERCPU))

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

/*
 * The max_active @pwq enforces now: 0 while frozen.  An unbound
 * workqueue's pwqs also count against their node's share
 * (struct wq_node_active, nna_update_max()).  (W)
 */
static int pwq_effective_max(struct pool_workqueue *pwq)
{
	struct workqueue_struct *wq = pwq->wq;

	if ((wq->flags & WQ_FREEZABLE) && wqs_frozen)
		return 0;
	if (pwq->plugged)
		return 0;
	return wq->max_active;
}

/*
 * Each node's share of an unbound workqueue's max_active, by its CPUs of
 * the workqueue's, at least min_active and at most max_active; the count
 * of pools spanning nodes gets max_active (the kernel's
 * wq_update_node_max_active()).  Items that the new shares let in are
 * activated by wq_update_max_active().  (W)
 */
static void nna_update_max(struct workqueue_struct *wq)
{
	int i, max = wq->max_active;

	for (i = 0; i < wq->nr_nna; i++) {
		struct wq_node_active *nna = &wq->nna[i];
		int share = max;

		if (i < wq->nr_nna - 1 && wq->nna_cpus > 0) {
			share = (max * nna->cpus + wq->nna_cpus - 1) /
				wq->nna_cpus;
			if (share < wq->min_active)
				share = wq->min_active;
			if (share > max)
				share = max;
			if (share < 1)
				share = 1;
		}
		cmwq_mutex_lock(&nna->lock, LC_NODE_ACTIVE);
		atomic_store(&nna->max, share);
		cmwq_mutex_unlock(&nna->lock, LC_NODE_ACTIVE);
	}
}

/*
 * The node count of @wq for pwqs of a pool on @pod's CPUs (the CPUs of
 * @wqmask in it; empty: the workqueue's default pwq, spanning).  NULL
 * when @wq has none (bound, ordered).  (W)
 */
static struct wq_node_active *wq_pod_nna(struct workqueue_struct *wq,
					 const unsigned long *pod)
{
	int node, cpu, nr_nodes = wq->nr_nna - 1;
	const unsigned long *cpus;

	if (!wq->nna)
		return NULL;
	cpu = cmwq_mask_empty(pod) ? -1 : cmwq_mask_first(pod);
	node = cpu < 0 ? -1 : cmwq_topo_cpu_pod(WQ_AFFN_NUMA, cpu);
	cpus = node < 0 || node >= nr_nodes ?
		       NULL :
		       cmwq_topo_pod_cpus(WQ_AFFN_NUMA, node);
	if (!cpus)
		return &wq->nna[nr_nodes];
	/* Every CPU of the pod on that node, or the pool spans nodes. */
	for (cpu = 0; cpu < CMWQ_MAX_CPUS; cpu++)
		if (cmwq_mask_test(pod, cpu) && !cmwq_mask_test(cpus, cpu))
			return &wq->nna[nr_nodes];
	return &wq->nna[node];
}

/*
 * A pwq linking @wq to @pool, with its base reference, on wq->pwqs.  It
 * may be the memory of a released pwq that a stale reader still looks at:
 * @pool is stored atomically, and nothing can be tagged with the pwq
 * before it is published (by the caller, under wq->mutex or before the
 * workqueue is).  (W, or @wq not yet published)
 */
static struct pool_workqueue *alloc_pwq(struct workqueue_struct *wq,
					struct worker_pool *pool, int pod_cpus,
					int wq_cpus, struct wq_node_active *nna)
{
	struct pool_workqueue *pwq = cmwq_objcache_alloc(&pwq_cache);
	int c;

	if (!pwq)
		return NULL;
	__atomic_store_n(&pwq->pool, pool, __ATOMIC_RELAXED);
	pwq->wq = wq;
	pwq->release_next = NULL;
	pwq->nr_active = 0;
	pwq->pod_cpus = pod_cpus;
	pwq->wq_cpus = wq_cpus;
	pwq->plugged = false;
	pwq->max_active = pwq_effective_max(pwq);
	pwq->nna = nna;
	INIT_LIST_HEAD(&pwq->nna_node);
	pwq->activate_next = NULL;
	atomic_store_explicit(&pwq->activate_queued, 0, memory_order_relaxed);
	INIT_LIST_HEAD(&pwq->inactive_works);
	for (c = 0; c < WORK_NR_COLORS; c++)
		pwq->nr_in_flight[c] = 0;
	pwq->flush_mask = 0;
	pwq->work_color = (unsigned int)atomic_load(&wq->work_color);
	INIT_LIST_HEAD(&pwq->mayday_node);
	memset(pwq->stats, 0, sizeof(pwq->stats));
	atomic_store_explicit(&pwq->cm_wakeups, 0, memory_order_relaxed);
	pwq->wd_started = 0;
	pwq->wd_since_ns = 0;
	pwq->wd_reported = false;
	atomic_fetch_add_explicit(&wq->refcnt, 1, memory_order_relaxed);
	list_add_tail(&pwq->wq_node, &wq->pwqs);
	/* Last: a stale pwq_tryget() must not see a count before this. */
	atomic_store_explicit(&pwq->refcnt, 1, memory_order_release);
	return pwq;
}

/* The last reference is gone: back to the cache.  No locks. */
static void wq_free(struct workqueue_struct *wq)
{
	free(wq->cpu_pwqs);
	wq->cpu_pwqs = NULL;
	free(wq->unbound_attrs);
	wq->unbound_attrs = NULL;
	for (int i = 0; i < wq->nr_nna; i++)
		pthread_mutex_destroy(&wq->nna[i].lock);
	free(wq->nna);
	wq->nna = NULL;
	wq->nr_nna = 0;
	pthread_mutex_destroy(&wq->mutex);
	cmwq_objcache_free(&wq_cache, wq);
}

static void wq_put(struct workqueue_struct *wq)
{
	if (atomic_fetch_sub_explicit(&wq->refcnt, 1, memory_order_acq_rel) ==
	    1)
		wq_free(wq);
}

/*
 * Drop the base reference of each distinct pwq of @old[0..@n) that is not
 * in @keep[0..@n) (NULL: none kept).  A pwq serves several CPUs, so it
 * appears more than once.  (no locks: the last put takes wq->mutex)
 */
static void wq_put_replaced(struct pool_workqueue **old,
			    struct pool_workqueue **keep, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		bool seen = !old[i];

		for (j = 0; j < i && !seen; j++)
			seen = old[j] == old[i];
		for (j = 0; keep && j < n && !seen; j++)
			seen = keep[j] == old[i];
		if (!seen)
			pwq_put_unlocked(old[i]);
	}
}

#define MASK_WORDS (CMWQ_MAX_CPUS / (8 * sizeof(unsigned long)))

/* @out = @a & @b.  Return: whether any CPU is left. */
static bool mask_and(unsigned long *out, const unsigned long *a,
		     const unsigned long *b)
{
	bool any = false;
	size_t i;

	for (i = 0; i < MASK_WORDS; i++) {
		out[i] = a[i] & b[i];
		any |= out[i] != 0;
	}
	return any;
}

/*
 * The pwq of @wq for a pool with these masks: one @wq queues to already
 * (published, or chosen earlier into @next[0..@n)) when it fits, else a
 * new one.  A mask that is every CPU of the process is stored as all
 * zero, the pools' "any CPU".  (W)
 */
static struct pool_workqueue *
wq_find_or_make_pwq(struct workqueue_struct *wq, int nice,
		    const unsigned long *mask, const unsigned long *pod,
		    bool strict, int wq_cpus, struct pool_workqueue **next,
		    int n)
{
	static const unsigned long none[MASK_WORDS];
	unsigned long all[MASK_WORDS];
	int pod_cpus = cmwq_mask_weight(pod), i;
	struct wq_node_active *nna = wq_pod_nna(wq, pod);
	struct worker_pool *pool;

	cmwq_possible_mask(all);
	if (!memcmp(mask, all, sizeof(all)))
		mask = none;
	if (!memcmp(pod, all, sizeof(all)))
		pod = none;
	pool = cmwq_get_unbound_pool(nice, mask, pod, strict);
	if (!pool)
		return NULL;
	for (i = 0; i < n; i++) {
		struct pool_workqueue *cand =
			next[i] ? next[i] :
			i < n - 1 ?
				  atomic_load_explicit(&wq->cpu_pwqs[i],
						       memory_order_relaxed) :
				  atomic_load_explicit(&wq->dfl_pwq,
						       memory_order_relaxed);

		if (cand && cand->pool == pool && cand->wq_cpus == wq_cpus &&
		    cand->pod_cpus == pod_cpus && cand->nna == nna)
			return cand;
	}
	return alloc_pwq(wq, pool, pod_cpus, wq_cpus, nna);
}

/*
 * Point every CPU of unbound @wq at the pwq of its pod under @attrs, and
 * the default pwq at the whole cpumask; the replaced pwqs go to @old[0..n)
 * (n = CPU slots + 1, the last the default) for the caller to put after
 * dropping the locks (wq_put_replaced()).  Items already queued stay
 * where they are.  On failure nothing changes.  (wqs_mutex when @wq is
 * published, W)
 *
 * Return: 0, -EINVAL for a cpumask without a CPU of the process, -ENOMEM.
 */
static int wq_apply_unbound(struct workqueue_struct *wq,
			    const struct workqueue_attrs *attrs,
			    struct pool_workqueue **old)
{
	int n = cmwq_nr_cpu_slots + 1, scope = attrs->affn_scope, cpu;
	struct pool_workqueue **next, **pod_pwq, *dfl;
	unsigned long all[MASK_WORDS], wqmask[MASK_WORDS], pod[MASK_WORDS];
	int nr_pods, wq_cpus, ret = -ENOMEM;

	cmwq_possible_mask(all);
	if (cmwq_mask_empty(attrs->cpumask))
		memcpy(wqmask, all, sizeof(all));
	else if (!mask_and(wqmask, attrs->cpumask, all))
		return -EINVAL;
	wq_cpus = cmwq_mask_weight(wqmask);
	if (wq->nna) {
		/* Each node's share of max_active, by the CPUs it has. */
		for (cpu = 0; cpu < wq->nr_nna - 1; cpu++) {
			const unsigned long *ncpus =
				cmwq_topo_pod_cpus(WQ_AFFN_NUMA, cpu);

			wq->nna[cpu].cpus =
				ncpus && mask_and(pod, ncpus, wqmask) ?
					cmwq_mask_weight(pod) :
					0;
		}
		wq->nna[wq->nr_nna - 1].cpus = wq_cpus;
		wq->nna_cpus = wq_cpus;
		nna_update_max(wq);
	}
	if (scope == WQ_AFFN_DFL)
		scope = cmwq_topo_default_scope();
	/* One pwq keeps the order. */
	if (wq->flags & __WQ_ORDERED)
		scope = WQ_AFFN_SYSTEM;
	nr_pods = cmwq_topo_nr_pods(scope);
	next = cmwq_calloc((size_t)n, sizeof(*next));
	pod_pwq = cmwq_calloc((size_t)(nr_pods > 0 ? nr_pods : 1),
			      sizeof(*pod_pwq));
	if (!next || !pod_pwq)
		goto out;
	dfl = wq_find_or_make_pwq(wq, attrs->nice, wqmask, wqmask, false,
				  wq_cpus, next, n);
	if (!dfl)
		goto fail;
	next[n - 1] = dfl;
	/*
	 * A new pwq of a live ordered workqueue waits for the items of the
	 * old one: plugged until that is released (wq_unplug_oldest()).
	 * Not published yet, so no pool lock is needed.
	 */
	if ((wq->flags & __WQ_ORDERED) &&
	    atomic_load_explicit(&wq->dfl_pwq, memory_order_relaxed) &&
	    atomic_load_explicit(&wq->dfl_pwq, memory_order_relaxed) != dfl) {
		dfl->plugged = true;
		dfl->max_active = 0;
	}
	for (cpu = 0; cpu < n - 1; cpu++) {
		int p = cmwq_topo_cpu_pod(scope, cpu);

		/* One pwq keeps the order, strict or not. */
		if (p < 0 || p >= nr_pods || (wq->flags & __WQ_ORDERED)) {
			next[cpu] = dfl;
			continue;
		}
		if (!pod_pwq[p]) {
			/* A pod without a CPU of the workqueue's: the dfl. */
			if (!mask_and(pod, cmwq_topo_pod_cpus(scope, p),
				      wqmask))
				pod_pwq[p] = dfl;
			else
				pod_pwq[p] = wq_find_or_make_pwq(
					wq, attrs->nice,
					attrs->affn_strict ? pod : wqmask,
					pod, attrs->affn_strict, wq_cpus,
					next, n);
			if (!pod_pwq[p])
				goto fail;
		}
		next[cpu] = pod_pwq[p];
	}
	/*
	 * Publish.  Release: a queuer that loads the new pwq (acquire in
	 * wq_get_pwq()) sees it initialised.
	 */
	for (cpu = 0; cpu < n - 1; cpu++)
		old[cpu] = atomic_exchange_explicit(&wq->cpu_pwqs[cpu],
						    next[cpu],
						    memory_order_acq_rel);
	old[n - 1] = atomic_exchange_explicit(&wq->dfl_pwq, next[n - 1],
					      memory_order_acq_rel);
	/* What the new set kept is not to be put. */
	for (cpu = 0; cpu < n; cpu++) {
		int j;

		for (j = 0; old[cpu] && j < n; j++)
			if (next[j] == old[cpu])
				old[cpu] = NULL;
	}
	ret = 0;
	goto out;
fail:
	/* The new pwqs, unpublished: released by the manager. */
	for (cpu = 0; cpu < n; cpu++) {
		struct pool_workqueue *pwq = next[cpu];
		int j;

		if (!pwq || wq_pwq_published(wq, pwq))
			continue;
		for (j = cpu + 1; j < n; j++)
			if (next[j] == pwq)
				next[j] = NULL;
		pwq_put(pwq);
	}
out:
	free(next);
	free(pod_pwq);
	return ret;
}

/*
 * Drop the workqueue's base references on its pwqs, then the handle's on
 * the workqueue.  pwqs that items still hold (a barrier queued by a late
 * flush_work(), say) are released when those finish.  (no locks)
 */
static void wq_release_base(struct workqueue_struct *wq)
{
	int cpu, n = cmwq_nr_cpu_slots + 1;
	struct pool_workqueue **old = cmwq_calloc((size_t)n, sizeof(*old));

	if (wq->cpu_pwqs) {
		for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++) {
			struct pool_workqueue *pwq =
				atomic_exchange(&wq->cpu_pwqs[cpu], NULL);

			if (old)
				old[cpu] = pwq;
			else if (pwq && !(wq->flags & WQ_UNBOUND))
				pwq_put_unlocked(pwq);
		}
	}
	if (old) {
		old[n - 1] = atomic_exchange(&wq->dfl_pwq, NULL);
		wq_put_replaced(old, NULL, n);
		free(old);
	} else if (wq->flags & WQ_UNBOUND) {
		/*
		 * Out of memory for the list: the unbound pwqs' base
		 * references stay, and with them the workqueue's memory (a
		 * leak, reported, never a use after free).
		 */
		cmwq_warn("destroy_workqueue: out of memory; \"%s\"'s "
			  "unbound pwqs are not freed",
			  wq->name);
	}
	wq_put(wq);
}

struct workqueue_struct *cmwq_alloc_workqueue_va(const char *fmt,
						 unsigned int flags,
						 int max_active, va_list ap)
{
	struct workqueue_struct *wq;
	char name[sizeof(wq->name)];
	int cpu, c, len;

	if (!fmt) {
		cmwq_warn("alloc_workqueue: NULL name");
		errno = EINVAL;
		return NULL;
	}
	len = vsnprintf(name, sizeof(name), fmt, ap);
	if (len < 0) {
		cmwq_warn("alloc_workqueue: cannot format the name \"%s\"",
			  fmt);
		errno = EINVAL;
		return NULL;
	}
	if (flags & ~WQ_KNOWN_FLAGS) {
		cmwq_warn("alloc_workqueue(\"%s\"): unknown flag bits %#x "
			  "(flags %#x); not created",
			  name, flags & ~WQ_KNOWN_FLAGS, flags);
		errno = EINVAL;
		return NULL;
	}
	/* As the kernel: BH takes WQ_HIGHPRI and WQ_PERCPU only, and 0. */
	if ((flags & WQ_BH) && (flags & ~WQ_BH_ALLOWS)) {
		cmwq_warn("alloc_workqueue(\"%s\"): WQ_BH goes with no flag "
			  "but WQ_HIGHPRI and WQ_PERCPU (flags %#x, others "
			  "%#x); not created",
			  name, flags, flags & ~WQ_BH_ALLOWS);
		errno = EINVAL;
		return NULL;
	}
	if ((flags & WQ_BH) && max_active) {
		cmwq_warn("alloc_workqueue(\"%s\"): a WQ_BH workqueue takes "
			  "max_active 0, not %d; not created",
			  name, max_active);
		errno = EINVAL;
		return NULL;
	}
	wq = cmwq_objcache_alloc(&wq_cache);
	if (!wq) {
		errno = ENOMEM;
		return NULL;
	}
	/*
	 * Maybe a destroyed workqueue's memory: its magic word stays dead
	 * (a stale handle is refused) until the new one is ready.
	 */
	memset((char *)wq + offsetof(struct workqueue_struct, flags), 0,
	       sizeof(*wq) - offsetof(struct workqueue_struct, flags));
	atomic_store_explicit(&wq->refcnt, 1, memory_order_relaxed);
	memcpy(wq->name, name, sizeof(wq->name));
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
	atomic_init(&wq->flush_waiters, 0);
	atomic_init(&wq->nr_drainers, 0);
	atomic_init(&wq->nr_armed, 0);
	atomic_init(&wq->nr_rcu, 0);

	wq->cpu_pwqs = cmwq_calloc((size_t)cmwq_nr_cpu_slots,
				   sizeof(*wq->cpu_pwqs));
	if (!wq->cpu_pwqs)
		goto fail;
	atomic_init(&wq->dfl_pwq, NULL);
	if ((flags & (WQ_UNBOUND | __WQ_ORDERED)) == WQ_UNBOUND) {
		int nodes = cmwq_topo_nr_pods(WQ_AFFN_NUMA);

		wq->nna = cmwq_calloc((size_t)(nodes > 0 ? nodes : 0) + 1,
				      sizeof(*wq->nna));
		if (!wq->nna)
			goto fail;
		wq->nr_nna = (nodes > 0 ? nodes : 0) + 1;
		for (c = 0; c < wq->nr_nna; c++)
			nna_reset_state(&wq->nna[c]);
	}
	if (flags & WQ_UNBOUND) {
		struct pool_workqueue **old = cmwq_calloc(
			(size_t)cmwq_nr_cpu_slots + 1, sizeof(*old));

		wq->unbound_attrs = cmwq_alloc_workqueue_attrs();
		if (!old || !wq->unbound_attrs) {
			free(old);
			goto fail;
		}
		wq->unbound_attrs->nice = (flags & WQ_HIGHPRI) ? -20 : 0;
		wq->unbound_attrs->ordered = flags & __WQ_ORDERED;
		cmwq_mutex_lock(&wq->mutex, LC_WQ);
		c = wq_apply_unbound(wq, wq->unbound_attrs, old);
		cmwq_mutex_unlock(&wq->mutex, LC_WQ);
		free(old); /* all NULL: nothing was published before */
		if (c < 0)
			goto fail;
	} else {
		for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++) {
			bool hi = flags & WQ_HIGHPRI;
			struct pool_workqueue *pwq = alloc_pwq(
				wq,
				(flags & WQ_BH) ? cmwq_cpu_bh_pool(cpu, hi) :
						  cmwq_cpu_pool(cpu, hi),
				1, 1, NULL);

			if (!pwq)
				goto fail;
			atomic_init(&wq->cpu_pwqs[cpu], pwq);
		}
	}
	if ((flags & WQ_MEM_RECLAIM) && cmwq_rescuer_create(wq) < 0)
		goto fail;

	atomic_store(&wq->magic, WQ_MAGIC);
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	/* Frozen meanwhile: start frozen. */
	if ((wq->flags & WQ_FREEZABLE) && wqs_frozen) {
		struct list_head *node;

		list_for_each_node(node, &wq->pwqs)
			list_entry(node, struct pool_workqueue, wq_node)
				->max_active = 0;
	}
	list_add_tail(&wq->node, &workqueues);
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	return wq;
fail:
	/* Never published: nobody else holds a reference. */
	wq_release_base(wq);
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
	       wq == cmwq_system_freezable_wq || wq == cmwq_system_bh_wq ||
	       wq == cmwq_system_bh_highpri_wq;
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
	/*
	 * The drain waited for the grace periods of the workqueue's
	 * rcu_works, unless it was called inside a read-side critical
	 * section: then they would be queued on a freed workqueue.
	 */
	armed = atomic_load(&wq->nr_rcu);
	if (armed) {
		cmwq_warn("destroy_workqueue(\"%s\"): %d rcu_work item%s "
			  "still in a grace period; not destroyed",
			  wq->name, armed, armed == 1 ? "" : "s");
		atomic_fetch_sub(&wq->nr_drainers, 1);
		return -EBUSY;
	}
	cmwq_rescuer_destroy(wq);

	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	list_del_init(&wq->node);
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	atomic_store(&wq->magic, WQ_MAGIC_DEAD);
	wq_release_base(wq);
	return 0;
}

/* Give every pwq of @wq its max_active again and let waiting items in.  (W) */
static void wq_update_max_active(struct workqueue_struct *wq)
{
	struct list_head *node;

	if (wq->nna)
		nna_update_max(wq);
	list_for_each_node(node, &wq->pwqs)
	{
		struct pool_workqueue *pwq =
			list_entry(node, struct pool_workqueue, wq_node);

		cmwq_mutex_lock(&pwq->pool->lock, LC_POOL);
		pwq->max_active = pwq_effective_max(pwq);
		pwq_activate_inactive(pwq);
		cmwq_mutex_unlock(&pwq->pool->lock, LC_POOL);
	}
}

CMWQ_API void cmwq_workqueue_set_max_active(struct workqueue_struct *wq,
					    int max_active)
{
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
	if (wq->flags & WQ_BH) {
		cmwq_warn("workqueue_set_max_active: \"%s\" is a BH "
			  "workqueue; its items run one at a time per CPU "
			  "whatever max_active says; unchanged",
			  wq->name);
		return;
	}
	max_active = clamp_max_active(max_active, wq->flags, wq->name);
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	wq->max_active = max_active;
	if (wq->min_active > max_active)
		wq->min_active = max_active;
	wq_update_max_active(wq);
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
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
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	if (min_active < 0)
		min_active = 0;
	wq->min_active = min_active > wq->max_active ? wq->max_active :
						       min_active;
	/* Each pod's share of max_active is at least min_active. */
	wq_update_max_active(wq);
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
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
		cmwq_mutex_lock(&wq->mutex, LC_WQ);
		list_for_each_node(node, &wq->pwqs)
		{
			struct pool_workqueue *pwq = list_entry(
				node, struct pool_workqueue, wq_node);

			cmwq_mutex_lock(&pwq->pool->lock, LC_POOL);
			fn(pwq, arg);
			cmwq_mutex_unlock(&pwq->pool->lock, LC_POOL);
		}
		cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	}
}

/* Apply the freezer state to @pwq.  (L, W) */
static void freeze_apply_pwq(struct pool_workqueue *pwq, void *arg)
{
	(void)arg;
	/* Items pushed before the call are let in first. */
	pool_drain_incoming(pwq->pool);
	pwq->max_active = pwq_effective_max(pwq);
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
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	if (wqs_frozen)
		cmwq_warn("freeze_workqueues_begin: already frozen");
	wqs_frozen = true;
	freeze_apply();
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
}

CMWQ_API bool cmwq_freeze_workqueues_busy(void)
{
	bool busy = false;

	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	if (!wqs_frozen)
		cmwq_warn("freeze_workqueues_busy: not frozen");
	for_each_freezable_pwq(pwq_note_active, &busy);
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	return busy;
}

CMWQ_API void cmwq_thaw_workqueues(void)
{
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	if (!wqs_frozen)
		cmwq_warn("thaw_workqueues: not frozen");
	wqs_frozen = false;
	freeze_apply();
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
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

/*
 * Apply @attrs to unbound @wq and remember them; put what was replaced
 * after the locks are dropped.  (wqs_mutex held by the caller)
 */
static int wq_apply_attrs_remember(struct workqueue_struct *wq,
				   const struct workqueue_attrs *attrs)
{
	int n = cmwq_nr_cpu_slots + 1, ret;
	struct pool_workqueue **old = cmwq_calloc((size_t)n, sizeof(*old));

	if (!old)
		return -ENOMEM;
	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	ret = wq_apply_unbound(wq, attrs, old);
	if (!ret && attrs != wq->unbound_attrs) {
		*wq->unbound_attrs = *attrs;
		wq->unbound_attrs->ordered = wq->flags & __WQ_ORDERED;
		wq->unbound_attrs->__reserved = 0;
	}
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	/* Releasing a pwq takes wq->mutex: after it is dropped. */
	wq_put_replaced(old, NULL, n);
	free(old);
	return ret;
}

CMWQ_API int cmwq_apply_workqueue_attrs(struct workqueue_struct *wq,
					const struct workqueue_attrs *attrs)
{
	int ret;

	if (!attrs || !cmwq_wq_is_live(wq) || !(wq->flags & WQ_UNBOUND) ||
	    attrs->nice < -20 || attrs->nice > 19 ||
	    (unsigned int)attrs->affn_scope >=
		    (unsigned int)WQ_AFFN_NR_TYPES) {
		cmwq_warn("apply_workqueue_attrs: needs a live, unbound "
			  "workqueue, nice in -20..19 and a known affinity "
			  "scope");
		return -EINVAL;
	}
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	ret = wq_apply_attrs_remember(wq, attrs);
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	if (ret == -EINVAL)
		cmwq_warn("apply_workqueue_attrs: the cpumask for \"%s\" has "
			  "no CPU this process may run on",
			  wq->name);
	return ret;
}

CMWQ_API int cmwq_set_default_affinity_scope(enum wq_affn_scope scope)
{
	struct workqueue_struct *wq;
	int ret = 0;

	if ((unsigned int)scope >= (unsigned int)WQ_AFFN_NR_TYPES ||
	    scope == WQ_AFFN_DFL) {
		cmwq_warn("set_default_affinity_scope: %d is not a scope "
			  "(WQ_AFFN_CPU to WQ_AFFN_SYSTEM)",
			  (int)scope);
		return -EINVAL;
	}
	cmwq_init_once();
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	cmwq_topo_set_default_scope(scope);
	list_for_each_entry(wq, &workqueues, node) {
		int r;

		if (!(wq->flags & WQ_UNBOUND) || !wq->unbound_attrs ||
		    wq->unbound_attrs->affn_scope != WQ_AFFN_DFL)
			continue;
		r = wq_apply_attrs_remember(wq, wq->unbound_attrs);
		if (r < 0 && !ret)
			ret = r;
	}
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	return ret;
}

CMWQ_API enum wq_affn_scope cmwq_default_affinity_scope(void)
{
	cmwq_init_once();
	return (enum wq_affn_scope)cmwq_topo_default_scope();
}

CMWQ_API const char *cmwq_affinity_scope_name(enum wq_affn_scope scope)
{
	return cmwq_topo_scope_name((int)scope);
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
static int system_wqs_init(void)
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
	SYSWQ(cmwq_system_bh_wq, "events_bh", WQ_BH | WQ_PERCPU, 0);
	SYSWQ(cmwq_system_bh_highpri_wq, "events_bh_highpri",
	      WQ_BH | WQ_PERCPU | WQ_HIGHPRI, 0);
#undef SYSWQ
	cmwq_system_percpu_wq = cmwq_system_wq;
	cmwq_system_dfl_wq = cmwq_system_unbound_wq;
	return 0;
}
cmwq_initcall(INIT_WORKQUEUES, system_wqs_init);
