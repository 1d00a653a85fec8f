// SPDX-License-Identifier: MIT
/*
 * policy.c - when a worker starts, keeps working, or sleeps
 *
 * The whole concurrency policy of a pool is these predicates.  A bound pool
 * aims at one running worker (target_running == 1), as the kernel's per-CPU
 * pools do; an unbound pool aims at one per CPU it may use, which keeps
 * thread counts bounded where the kernel would start a worker per item.
 *
 * Beyond the kernel, for unbound pools (the kernel's own unbound pools
 * manage no concurrency at all and start a worker per item): a worker that
 * finishes an item while the pool runs over its target may still take the
 * next one while the pool has no more items in flight (running or asleep)
 * than inflight_target.  That equals target_running until the monitor has
 * seen the pool's items sleep; for items that sleep most of their time it
 * grows to target_running times (their time in flight / their CPU time).
 * Bound pools keep exactly the kernel's rules.  With the kernel's rule alone a pool of such
 * items runs in waves: the workers woken together oversubscribe the CPUs,
 * none takes a new item, and once they are done the CPUs idle until the
 * items started meanwhile wake.
 *
 * They read lock-free counters, so a caller without pool->lock gets an
 * answer that may be stale at once; every caller that acts on a stale
 * answer is covered by the wake-up protocol described in pool.c.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

/* Is anything queued on the pool, in its worklist or its ingress? */
static bool pool_has_work(struct worker_pool *pool)
{
	return atomic_load(&pool->nr_worklist) > 0 ||
	       atomic_load(&pool->incoming) != NULL;
}

/*
 * Fewer workers run than the pool aims at, and the pool has room in flight
 * -- up to target_running more than its items need, so a pool that learned
 * its items sleep does not start a burst of them each time its CPUs idle
 * for a moment (they would all wake together 5 ms later) -- or none runs.
 */
bool pool_short_of_workers(struct worker_pool *pool)
{
	int running = atomic_load(&pool->nr_running);
	int target = atomic_load_explicit(&pool->inflight_target,
					  memory_order_relaxed);

	if (running >= pool->target_running)
		return false;
	if (atomic_load(&pool->nr_inflight) < target + pool->target_running)
		return true;
	if (running > 0)
		return false;
	/*
	 * None runs and the pool is full in flight.  With the kernel's
	 * target, start one now; a pool that learned its items sleep waits
	 * until the monitor has seen none run for STARVED_NS (they usually
	 * wake by themselves; a start per block would add one thread per
	 * 40 us meanwhile), then starts one: forward progress.
	 */
	return target == pool->target_running ||
	       atomic_load_explicit(&pool->starved, memory_order_relaxed);
}

/* Work is waiting and the pool is short of workers. */
bool need_more_worker(struct worker_pool *pool)
{
	return pool_has_work(pool) && pool_short_of_workers(pool);
}

/*
 * A worker that finished an item takes the next one only while the pool is
 * not over its target: a worker woken from a blocking call while its
 * replacement runs makes the pool one over, and the first of the two to
 * finish then goes idle -- unless the pool's items mostly sleep and it has
 * no more in flight than they need (then the next item most likely sleeps
 * too, and going idle would leave the CPUs idle later).
 */
bool keep_working(struct worker_pool *pool)
{
	return pool_has_work(pool) &&
	       (atomic_load(&pool->nr_running) <= pool->target_running ||
		atomic_load(&pool->nr_inflight) <=
			atomic_load_explicit(&pool->inflight_target,
					     memory_order_relaxed));
}

/* There is an idle worker to take over if this one blocks. */
bool may_start_working(struct worker_pool *pool)
{
	return atomic_load(&pool->nr_idle) > 0;
}

/*
 * Keep two idle workers per pool, and more only while they are few next to
 * the busy ones (one idle per four busy), as the kernel does.
 */
bool too_many_workers(struct worker_pool *pool)
{
	int nr_idle = atomic_load(&pool->nr_idle);
	int nr_busy = pool->nr_workers - nr_idle;

	return nr_idle > 2 && (nr_idle - 2) * 4 >= nr_busy;
}
