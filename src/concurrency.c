// SPDX-License-Identifier: MIT
/*
 * concurrency.c - concurrency management: a worker that sleeps stops
 * counting as running, so its pool starts the next item on another worker
 *
 * The user-space form of the kernel's wq_worker_sleeping() and
 * wq_worker_running().  The library's own waits call these; so may code
 * that blocks in a work function.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

/*
 * @worker is about to sleep.  Runs on the worker itself (T fields).  The
 * decrement is the worker's half of the wake-up protocol (pool.c): after
 * it, a queuer that finds the pool short kicks it, and here we kick it for
 * what is already queued.
 */
void worker_cm_sleep(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;

	if (!worker->counted)
		return;
	worker->counted = false;
	worker->sleep_uncounted = true;
	atomic_fetch_sub(&pool->nr_running, 1);
	if (need_more_worker(pool)) {
		atomic_fetch_add_explicit(&pool->cm_wakeups, 1,
					  memory_order_relaxed);
		pool_kick(pool);
	}
}

/* @worker runs again: count it, possibly one over the pool's target. */
void worker_cm_wake(struct worker *worker)
{
	if (!worker->sleep_uncounted)
		return;
	worker->sleep_uncounted = false;
	worker->counted = true;
	atomic_fetch_add(&worker->pool->nr_running, 1);
}

CMWQ_API void cmwq_worker_sleeping(void)
{
	struct worker *worker = cmwq_current_worker;

	if (worker && worker->sleep_depth++ == 0)
		worker_cm_sleep(worker);
}

CMWQ_API void cmwq_worker_running(void)
{
	struct worker *worker = cmwq_current_worker;

	if (!worker || worker->sleep_depth == 0)
		return;
	if (--worker->sleep_depth == 0)
		worker_cm_wake(worker);
}
