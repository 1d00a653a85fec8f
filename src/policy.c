// SPDX-License-Identifier: MIT
/*
 * policy.c - when a worker starts, keeps working, or sleeps
 *
 * The whole concurrency policy of a pool is these predicates.  A bound pool
 * aims at one running worker (target_running == 1), as the kernel's per-CPU
 * pools do; an unbound pool aims at one per CPU it may use, which keeps
 * thread counts bounded where the kernel would start a worker per item.
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

/* Work is waiting and fewer workers run than the pool aims at. */
bool need_more_worker(struct worker_pool *pool)
{
	return pool_has_work(pool) &&
	       atomic_load(&pool->nr_running) < pool->target_running;
}

/*
 * A worker that finished an item takes the next one only while the pool is
 * not over its target: a worker woken from a blocking call while its
 * replacement runs makes the pool one over, and the first of the two to
 * finish then goes idle.
 */
bool keep_working(struct worker_pool *pool)
{
	return pool_has_work(pool) &&
	       atomic_load(&pool->nr_running) <= pool->target_running;
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
