// SPDX-License-Identifier: MIT
/*
 * concurrency.c - concurrency management: a worker that sleeps stops
 * counting as running, so its pool starts the next item on another worker
 *
 * Three sources tell a pool that a worker sleeps: the worker itself through
 * cmwq_worker_sleeping()/cmwq_worker_running() (the user-space form of the
 * kernel's wq_worker_sleeping() and wq_worker_running(); the library's own
 * waits call them), and the monitor (detect.c), which finds workers blocked
 * in any system call, or running an item past the CPU-intensive threshold.
 * All go through worker->cm_state transitions (see internal.h), so
 * pool->nr_running moves exactly once per transition.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

/* Count a wake-up of @worker's pwq by concurrency management (cmwq-top). */
void cmwq_count_cm_wakeup(struct worker *worker)
{
	struct pool_workqueue *pwq = worker->current_pwq;

	if (pwq)
		atomic_fetch_add_explicit(&pwq->cm_wakeups, 1,
					  memory_order_relaxed);
}

/*
 * Move @worker from state @from to @to; the winner adjusts nr_running.
 * Returns false if the state was not @from.
 */
bool worker_cm_transition(struct worker *worker, int from, int to)
{
	struct worker_pool *pool = worker->pool;

	if (!atomic_compare_exchange_strong(&worker->cm_state, &from, to))
		return false;
	if (from == CM_COUNTED && to != CM_COUNTED)
		atomic_fetch_sub(&pool->nr_running, 1);
	else if (from != CM_COUNTED && to == CM_COUNTED)
		atomic_fetch_add(&pool->nr_running, 1);
	if (to == CM_HOG)
		atomic_fetch_add_explicit(&pool->nr_hogs, 1,
					  memory_order_relaxed);
	else if (from == CM_HOG)
		atomic_fetch_sub_explicit(&pool->nr_hogs, 1,
					  memory_order_relaxed);
	return true;
}

/* The worker starts taking work: count it.  (Worker, state 0.) */
void worker_set_running(struct worker *worker)
{
	worker_cm_transition(worker, CM_UNCOUNTED, CM_COUNTED);
}

/* The worker stops taking work: uncount it, whoever uncounted it before. */
void worker_clr_running(struct worker *worker)
{
	int s = atomic_load(&worker->cm_state);

	while (s != CM_UNCOUNTED &&
	       !worker_cm_transition(worker, s, CM_UNCOUNTED))
		s = atomic_load(&worker->cm_state);
}

/*
 * The worker is certainly running (an item just returned): take back a
 * count the monitor removed.
 */
void worker_recount(struct worker *worker)
{
	int s = atomic_load(&worker->cm_state);

	if (s == CM_DETECTED || s == CM_HOG)
		worker_cm_transition(worker, s, CM_COUNTED);
}

/*
 * Work is queued behind the running workers: make sure the monitor looks
 * at the pool.  Lock-free; the flag makes it one wake-up per episode.
 */
void pool_watch(struct worker_pool *pool)
{
	if (atomic_load_explicit(&pool->watched, memory_order_relaxed))
		return;
	if (!atomic_exchange(&pool->watched, 1)) {
		cmwq_monitor_new_episode();
		cmwq_manager_wake();
	}
}

/*
 * @worker is about to sleep.  Runs on the worker itself.  The decrement is
 * the worker's half of the wake-up protocol (pool.c): after it, a queuer
 * that finds the pool short kicks it, and here we kick it for what is
 * already queued.
 */
void worker_cm_sleep(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;
	int s = atomic_load(&worker->cm_state);

	if (pool->bh) {
		/*
		 * A BH item must not sleep: say so, and keep counting the
		 * worker, so that nothing starts in its place (one execution
		 * context per CPU, as the kernel's softirq).
		 */
		if (worker->current_func)
			cmwq_bh_report(worker,
				       atomic_load_explicit(&worker->item_seq,
							    memory_order_relaxed),
				       worker->current_func, BH_WAITED, 0);
		return;
	}
	for (;;) {
		if (s == CM_UNCOUNTED)
			return; /* idle, or a CPU-intensive item */
		if (worker_cm_transition(worker, s, CM_UNCOUNTED))
			break;
		s = atomic_load(&worker->cm_state);
	}
	worker->sleep_uncounted = true;
	if (s == CM_COUNTED && need_more_worker(pool)) {
		atomic_fetch_add_explicit(&pool->cm_wakeups, 1,
					  memory_order_relaxed);
		cmwq_count_cm_wakeup(worker);
		pool_kick(pool);
	}
}

/* @worker runs again: count it, possibly one over the pool's target. */
void worker_cm_wake(struct worker *worker)
{
	if (!worker->sleep_uncounted)
		return;
	worker->sleep_uncounted = false;
	worker_cm_transition(worker, CM_UNCOUNTED, CM_COUNTED);
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
