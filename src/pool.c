// SPDX-License-Identifier: MIT
/*
 * pool.c - worker pools: the per-CPU pools, the shared unbound pools, the
 * lock-free ingress and the kick that wakes a worker
 *
 * The wake-up protocol (no lost wake-up, property 3):
 * Modelled in docs/model/wakeup.pml.
 *
 *   queuer                              worker going idle
 *   push item on pool->incoming (sc)    nr_running-- (sc)
 *   load nr_running (sc)                seq = load wake_seq (sc)
 *   if below target: pool_kick()        look at incoming/worklist (sc)
 *     wake_seq++ (sc), futex_wake         empty: futex_wait(wake_seq, seq)
 *
 * All four accesses are sequentially consistent, so at least one side sees
 * the other: either the queuer sees the decrement and kicks (and the
 * worker's futex_wait returns because wake_seq moved), or the worker sees
 * the item and does not sleep.  (sc) marks the seq_cst operations; on x86
 * the read-modify-writes are locked instructions and the loads plain moves.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"
#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Bumped by fork.c in each child of fork(): the claims of an earlier epoch
 * were made by threads the child does not have.  (A)
 */
atomic_uint cmwq_fork_epoch;

/* Every pool, by id.  Pools are never freed.  (pools_mutex) */
static pthread_mutex_t pools_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct worker_pool **pools;
static int nr_pools_alloc;
static atomic_int nr_pools; /* (A) written under pools_mutex */

/* Bound pools: [cpu * 2 + highpri].  (I) after init. */
static struct worker_pool **cpu_pools;
/* BH pools (WQ_BH), the same way; created after every bound pool.  (I) */
static struct worker_pool **bh_pools;

static const unsigned long *all_zero_mask(void)
{
	static const unsigned long zero[CMWQ_MAX_CPUS / (8 * sizeof(long))];

	return zero;
}

/*
 * Give @pool the state of a pool that has never run anything: no item,
 * no worker, no request, no watch, the estimate at its prior.  Its
 * identity (CPU, masks, nice, target) and its counters are left alone.
 * The one list of a pool's run-time state: pool_create() starts a pool
 * with it, and fork.c's child resets every pool with it after forgetting
 * the parent's items and workers (the lists must be empty by then).
 * (L, or the pool not yet published, or the fork child)
 */
void pool_reset_state(struct worker_pool *pool)
{
	INIT_LIST_HEAD(&pool->worklist);
	INIT_LIST_HEAD(&pool->workers);
	atomic_store(&pool->incoming, NULL);
	atomic_store(&pool->nr_worklist, 0);
	atomic_store(&pool->nr_running, 0);
	atomic_store(&pool->nr_hogs, 0);
	atomic_store(&pool->nr_long, 0);
	atomic_store(&pool->nr_idle, 0);
	atomic_store(&pool->nr_inflight, 0);
	atomic_store(&pool->inflight_target, pool->target_running);
	atomic_store(&pool->starved, 0);
	atomic_store(&pool->brief_sleeps, 0);
	atomic_store(&pool->stalled, 0);
	pool->none_running_since_ns = 0;
	pool->progress_at_ns = 0;
	pool->mon_items_done = 0;
	/* The estimate starts at a ratio of 1: the kernel's policy. */
	pool->est_blocked = 0;
	pool->est_cpu = EST_PRIOR_WEIGHT_NS;
	pool->est_blocked_acc = 0;
	pool->est_ended = 0;
	pool->est_ended_acc = 0;
	pool->est_cpu_acc = 0;
	pool->est_warm = false;
	pool->est_at_ns = 0;
	pool->est_cpu_at_ns = 0;
	pool->est_last_blocked = 0;
	pool->mon_watching = false;
	pool->episode_fresh = false;
	pool->records_until_ns = 0;
	atomic_store(&pool->wake_seq, 0);
	atomic_store(&pool->kicked, 0);
	atomic_store(&pool->create_pending, 0);
	atomic_store(&pool->watched, 0);
	pool->nr_workers = 0;
	atomic_store(&pool->nr_starting, 0);
	pool->nr_dying = 0;
	pool->reap_deadline_ns = 0;
	pool->create_wait_since_ns = 0;
	pool->next_mayday_ns = 0;
	pool->create_ramp = 1;
	pool->create_ramp_at_ns = 0;
}

static struct worker_pool *pool_create(int cpu, bool highpri, bool bh,
				       int nice, const unsigned long *mask,
				       const unsigned long *pod_mask,
				       bool strict)
{
	struct worker_pool *pool;
	int id;

	pool = cmwq_aligned_alloc(CMWQ_CACHELINE, sizeof(*pool));
	if (!pool)
		return NULL;
	memset(pool, 0, sizeof(*pool));
	cmwq_mutex_init_short(&pool->lock);
	pool->cpu = cpu;
	pool->highpri = highpri;
	pool->bh = bh;
	pool->nice = nice;
	memcpy(pool->cpumask, mask, sizeof(pool->cpumask));
	memcpy(pool->pod_cpumask, pod_mask, sizeof(pool->pod_cpumask));
	pool->affn_strict = strict;
	atomic_init(&pool->cm_wakeups, 0);

	if (cpu >= 0) {
		pool->target_running = 1;
	} else {
		int n = 0, c;

		for (c = 0; c < cmwq_nr_cpu_slots; c++) {
			bool in = cmwq_mask_empty(pod_mask) ||
				  cmwq_mask_test(pod_mask, c);
			if (in && cmwq_cpu_possible(c))
				n++;
		}
		pool->target_running = n > 0 ? n : 1;
	}
	pool_reset_state(pool);

	cmwq_mutex_lock(&pools_mutex, LC_POOLS);
	if (atomic_load(&nr_pools) == nr_pools_alloc) {
		int n = nr_pools_alloc ? nr_pools_alloc * 2 : 16;
		struct worker_pool **p = realloc(pools, sizeof(*p) * (size_t)n);

		if (!p) {
			cmwq_mutex_unlock(&pools_mutex, LC_POOLS);
			pthread_mutex_destroy(&pool->lock);
			free(pool);
			return NULL;
		}
		pools = p;
		nr_pools_alloc = n;
	}
	id = atomic_load(&nr_pools);
	pool->id = id;
	if (bh)
		/* The kernel's dumps call these pools "bh" and "bh-hi". */
		snprintf(pool->name, sizeof(pool->name), "kworker/%hu-bh%s",
			 (unsigned short)cpu, highpri ? "-hi" : "");
	else if (cpu >= 0)
		snprintf(pool->name, sizeof(pool->name), "kworker/%d%s", cpu,
			 highpri ? "H" : "");
	else
		snprintf(pool->name, sizeof(pool->name), "kworker/u%d", id);
	pools[id] = pool;
	atomic_store(&nr_pools, id + 1);
	cmwq_mutex_unlock(&pools_mutex, LC_POOLS);
	return pool;
}

/*
 * Create the bound pools: two per CPU slot, then the two BH pools per CPU
 * slot (so the bound pools keep ids 0 to 2 * CPUs - 1).  Called once at
 * start-up; no pool has a thread until work is queued on it.
 */
static int pools_init(void)
{
	int cpu;

	cpu_pools =
		cmwq_calloc((size_t)cmwq_nr_cpu_slots * 2, sizeof(*cpu_pools));
	bh_pools =
		cmwq_calloc((size_t)cmwq_nr_cpu_slots * 2, sizeof(*bh_pools));
	if (!cpu_pools || !bh_pools)
		return -ENOMEM;
	for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++) {
		cpu_pools[cpu * 2] =
			pool_create(cpu, false, false, 0, all_zero_mask(),
				    all_zero_mask(), false);
		cpu_pools[cpu * 2 + 1] =
			pool_create(cpu, true, false, -20, all_zero_mask(),
				    all_zero_mask(), false);
		if (!cpu_pools[cpu * 2] || !cpu_pools[cpu * 2 + 1])
			return -ENOMEM;
	}
	for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++) {
		bh_pools[cpu * 2] =
			pool_create(cpu, false, true, 0, all_zero_mask(),
				    all_zero_mask(), false);
		bh_pools[cpu * 2 + 1] =
			pool_create(cpu, true, true, -20, all_zero_mask(),
				    all_zero_mask(), false);
		if (!bh_pools[cpu * 2] || !bh_pools[cpu * 2 + 1])
			return -ENOMEM;
	}
	return cmwq_bh_init();
}
cmwq_initcall(INIT_POOLS, pools_init);

struct worker_pool *cmwq_cpu_pool(int cpu, bool highpri)
{
	return cpu_pools[cpu * 2 + (highpri ? 1 : 0)];
}

struct worker_pool *cmwq_cpu_bh_pool(int cpu, bool highpri)
{
	return bh_pools[cpu * 2 + (highpri ? 1 : 0)];
}

/*
 * The unbound pool for @nice, @mask (where workers may run), @pod_mask
 * (the pod they serve and start on) and @strict, created on first use.
 * Workqueues with equal attributes share it.  All-zero masks mean every
 * CPU.
 */
struct worker_pool *cmwq_get_unbound_pool(int nice, const unsigned long *mask,
					  const unsigned long *pod_mask,
					  bool strict)
{
	struct worker_pool *pool;
	int i, n;

	if (!mask)
		mask = all_zero_mask();
	if (!pod_mask)
		pod_mask = mask;
	/* A pod that is the whole mask: strictness changes nothing. */
	if (!memcmp(mask, pod_mask, sizeof(pool->cpumask)))
		strict = false;
	cmwq_mutex_lock(&pools_mutex, LC_POOLS);
	n = atomic_load(&nr_pools);
	for (i = 0; i < n; i++) {
		pool = pools[i];
		if (pool->cpu < 0 && pool->nice == nice &&
		    pool->affn_strict == strict &&
		    !memcmp(pool->cpumask, mask, sizeof(pool->cpumask)) &&
		    !memcmp(pool->pod_cpumask, pod_mask,
			    sizeof(pool->pod_cpumask))) {
			cmwq_mutex_unlock(&pools_mutex, LC_POOLS);
			return pool;
		}
	}
	cmwq_mutex_unlock(&pools_mutex, LC_POOLS);
	/*
	 * Two callers may race to create the same attributes; the loser's
	 * pool is a harmless duplicate (pools are cheap until used).
	 */
	return pool_create(-1, nice < 0, false, nice, mask, pod_mask, strict);
}

int cmwq_pool_count(void)
{
	return atomic_load(&nr_pools);
}

struct worker_pool *cmwq_pool_by_id(int id)
{
	struct worker_pool *pool = NULL;

	cmwq_mutex_lock(&pools_mutex, LC_POOLS);
	if (id >= 0 && id < atomic_load(&nr_pools))
		pool = pools[id];
	cmwq_mutex_unlock(&pools_mutex, LC_POOLS);
	return pool;
}

/* For fork.c: hold pools_mutex across fork(). */
void cmwq_pools_lock(void)
{
	cmwq_mutex_lock(&pools_mutex, LC_POOLS);
}

void cmwq_pools_unlock(void)
{
	cmwq_mutex_unlock(&pools_mutex, LC_POOLS);
}

/* The pool with @id; the caller holds pools_mutex. */
struct worker_pool *cmwq_pool_by_id_locked(int id)
{
	return pools[id];
}

/* The items on the worklist, counted up to @max.  (L) */
int pool_worklist_count(struct worker_pool *pool, int max)
{
	struct list_head *node;
	int n = 0;

	list_for_each_node(node, &pool->worklist)
	{
		if (++n >= max)
			break;
	}
	return n;
}

/* Record whether the worklist is empty for lock-free readers.  (L) */
void worklist_changed(struct worker_pool *pool)
{
	int nonempty = !list_empty(&pool->worklist);

	/* Only transitions are published (seq_cst, see need_more_worker). */
	if (atomic_load_explicit(&pool->nr_worklist, memory_order_relaxed) !=
	    nonempty)
		atomic_store(&pool->nr_worklist, nonempty);
}

/* Take @pwq off its node's pending list.  (nna->lock) */
void nna_pending_del_locked(struct wq_node_active *nna,
			    struct pool_workqueue *pwq)
{
	list_del_init(&pwq->nna_node);
	if (list_empty(&nna->pending))
		atomic_store(&nna->has_pending, 0);
}

void nna_pending_del(struct wq_node_active *nna, struct pool_workqueue *pwq)
{
	cmwq_mutex_lock(&nna->lock, LC_NODE_ACTIVE);
	nna_pending_del_locked(nna, pwq);
	cmwq_mutex_unlock(&nna->lock, LC_NODE_ACTIVE);
}

/* One more item on the node, if it has room.  (A) */
static bool nna_tryinc(struct wq_node_active *nna)
{
	int nr = atomic_load(&nna->nr);

	do {
		if (nr >= atomic_load_explicit(&nna->max, memory_order_relaxed))
			return false;
	} while (!atomic_compare_exchange_weak(&nna->nr, &nr, nr + 1));
	return true;
}

/*
 * Count one more active item of @pwq if its max_active and, unbound, its
 * node's share allow (the kernel's pwq_tryinc_nr_active()).  A pwq the
 * node has no room for goes on the node's pending list, so that the next
 * item to leave the node lets it in (pwq_dec_nr_in_flight()).  (L)
 *
 * The node's count is lock-free while it has room.  No pwq is forgotten
 * on a full node: a decrement of nna->nr is followed by a load of
 * has_pending, and here the store of has_pending by a second try at the
 * count (all seq_cst).  Either the decrement sees the flag and kicks the
 * pending list under nna->lock, or the second try sees the room the
 * decrement made.
 */
bool pwq_tryinc_active(struct pool_workqueue *pwq)
{
	struct wq_node_active *nna = pwq->nna;
	bool added = false;

	if (pwq->nr_active >= pwq->max_active)
		return false;
	if (nna && !nna_tryinc(nna)) {
		cmwq_mutex_lock(&nna->lock, LC_NODE_ACTIVE);
		if (list_empty(&pwq->nna_node)) {
			list_add_tail(&pwq->nna_node, &nna->pending);
			added = true;
		}
		atomic_store(&nna->has_pending, 1);
		cmwq_mutex_unlock(&nna->lock, LC_NODE_ACTIVE);
		if (!nna_tryinc(nna))
			return false;
		/* Room after all: off the list again if this put it there. */
		if (added)
			nna_pending_del(nna, pwq);
	}
	pwq->nr_active++;
	return true;
}

/*
 * Move what queue_work pushed onto the lock-free ingress into the pool's
 * lists, oldest first: active items to the worklist, items over their
 * workqueue's max_active to the pwq's inactive list.  (L)
 */
void pool_drain_incoming(struct worker_pool *pool)
{
	struct work_struct *work, *next, *fifo = NULL;

	if (!atomic_load_explicit(&pool->incoming, memory_order_relaxed))
		return;
	/* Acquire: pairs with the release of the push in queue.c. */
	work = atomic_exchange_explicit(&pool->incoming, NULL,
					memory_order_acquire);
	/* The stack is newest first: reverse it. */
	while (work) {
		next = (struct work_struct *)work->entry.next;
		work->entry.next = (struct list_head *)fifo;
		fifo = work;
		work = next;
	}
	for (work = fifo; work; work = next) {
		unsigned long data = work_data_load(work);
		struct pool_workqueue *pwq = data_pwq(data);
		unsigned int color = pwq->work_color;

		next = (struct work_struct *)work->entry.next;
		data &= ~(WORK_INCOMING | WORK_INCOMING_EPOCH_MASK |
			  WORK_COLOR_MASK);
		data |= (unsigned long)color << WORK_COLOR_SHIFT;
		pwq->nr_in_flight[color]++;
		/* Behind the pwq's held-back items, never before them. */
		if (list_empty(&pwq->inactive_works) &&
		    pwq_tryinc_active(pwq)) {
			trace_workqueue_activate_work(work, work->func);
			list_add_tail(&work->entry, &pool->worklist);
		} else {
			list_add_tail(&work->entry, &pwq->inactive_works);
			data |= WORK_INACTIVE;
			cmwq_watchdog_note_held_back();
		}
		work_data_store(work, data);
	}
	worklist_changed(pool);
}

/* Move wake_seq and wake up to @n workers asleep on it. */
static void pool_wake_idle(struct worker_pool *pool, int n)
{
	atomic_fetch_add(&pool->wake_seq, 1);
	cmwq_futex_wake(&pool->wake_seq, n);
}

/*
 * Wake an idle worker, or ask the manager for a new one when none is idle.
 * One kick at a time: the flag is cleared by the worker the kick reaches.
 * Lock-free and async-signal-safe.
 */
void pool_kick(struct worker_pool *pool)
{
	if (atomic_exchange(&pool->kicked, 1))
		return;
	if (atomic_load(&pool->nr_idle) > 0)
		pool_wake_idle(pool, 1);
	else
		cmwq_request_worker(pool);
}

void pool_kick_if_needed(struct worker_pool *pool)
{
	if (need_more_worker(pool))
		pool_kick(pool);
}

/*
 * Wake up to @n idle workers at once (workers_to_wake()), whether or not a
 * kick is in flight: more wake-ups than pool_kick() gives, never fewer, so
 * the protocol above holds.  Each woken worker drops the kick's flag and
 * looks for work; one with none sleeps again.  With none idle, asks the
 * manager, as pool_kick() does.
 */
void pool_kick_many(struct worker_pool *pool, int n)
{
	if (n <= 1 || atomic_load(&pool->nr_idle) <= 1) {
		pool_kick(pool);
		return;
	}
	atomic_store(&pool->kicked, 1);
	pool_wake_idle(pool, n);
}
