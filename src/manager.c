// SPDX-License-Identifier: MIT
/*
 * manager.c - the manager thread: starts workers, reaps idle ones, fires
 * timers
 *
 * One thread per process, started when the first work item needs a worker
 * (or by cmwq_init()).  It sleeps on a futex with no deadline unless a
 * timer is armed, a pool has surplus idle workers, or a worker could not
 * be created and is retried: an idle process wakes it never.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/prctl.h>

/* A failed thread creation is retried after this long. */
#define CREATE_COOLDOWN_NS (10ull * 1000000ull)

static atomic_uint mgr_seq; /* (A) futex word: bumped to wake the manager */
static atomic_int mgr_state; /* (A) 0 not started, 1 starting, 2 running */

void cmwq_manager_wake(void)
{
	atomic_fetch_add(&mgr_seq, 1);
	if (atomic_load(&mgr_state) == 2)
		cmwq_futex_wake(&mgr_seq, 1);
}

void cmwq_manager_note_deadline(unsigned long long deadline_ns)
{
	(void)deadline_ns;
	cmwq_manager_wake();
}

void cmwq_manager_start_if_needed(void)
{
	if (atomic_load(&mgr_state) != 2)
		cmwq_manager_start();
}

void cmwq_request_worker(struct worker_pool *pool)
{
	if (atomic_exchange(&pool->create_pending, 1))
		return;
	if (atomic_load(&mgr_state) != 2)
		cmwq_manager_start();
	cmwq_manager_wake();
}

/* Ask surplus idle workers of @pool to exit once idle long enough.  (L) */
static void pool_reap(struct worker_pool *pool, unsigned long long now,
		      unsigned long long *next)
{
	unsigned long long timeout = atomic_load_explicit(&cmwq_idle_timeout_ns,
							  memory_order_relaxed);
	unsigned long long oldest = ~0ull;
	struct worker *worker;
	int expired = 0, surplus;

	if (!too_many_workers(pool)) {
		pool->reap_deadline_ns = 0;
		return;
	}
	if (now < pool->reap_deadline_ns) {
		if (pool->reap_deadline_ns < *next)
			*next = pool->reap_deadline_ns;
		return;
	}
	surplus = atomic_load(&pool->nr_idle) - 2 - pool->nr_to_reap;
	list_for_each_entry(worker, &pool->workers, node) {
		if (!(worker->flags & WORKER_IDLE))
			continue;
		if (worker->last_active_ns + timeout <= now)
			expired++;
		else if (worker->last_active_ns < oldest)
			oldest = worker->last_active_ns;
	}
	if (expired > surplus)
		expired = surplus;
	if (expired > 0) {
		pool->nr_to_reap += expired;
		atomic_fetch_add(&pool->wake_seq, 1);
		cmwq_futex_wake(&pool->wake_seq, INT_MAX);
	}
	pool->reap_deadline_ns = 0;
	if (expired < surplus && oldest != ~0ull) {
		pool->reap_deadline_ns = oldest + timeout;
		if (pool->reap_deadline_ns < *next)
			*next = pool->reap_deadline_ns;
	}
}

/*
 * A pool that has waited MAYDAY_INITIAL_NS for a worker the manager cannot
 * create calls the rescuers of its WQ_MEM_RECLAIM workqueues, and again
 * every MAYDAY_INTERVAL_NS while it still waits (the kernel's timings).
 */
#define MAYDAY_INITIAL_NS (10ull * 1000000ull)
#define MAYDAY_INTERVAL_NS (100ull * 1000000ull)

static void pool_mayday_if_due(struct worker_pool *pool, unsigned long long now,
			       unsigned long long *next)
{
	unsigned long long due = pool->create_wait_since_ns + MAYDAY_INITIAL_NS;

	if (pool->next_mayday_ns > due)
		due = pool->next_mayday_ns;
	if (now >= due) {
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		cmwq_send_mayday(pool);
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		pool->next_mayday_ns = now + MAYDAY_INTERVAL_NS;
		due = pool->next_mayday_ns;
	}
	if (due < *next)
		*next = due;
}

static void *manager_thread(void *arg)
{
	unsigned long long retry_at = 0;

	(void)arg;
	cmwq_thread_set_name("cmwq-manager");
	/* Timers and monitor polls fire when due, not up to 50 us later. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (;;) {
		unsigned int seq = atomic_load(&mgr_seq);
		unsigned long long now = cmwq_clock_ns();
		unsigned long long next = ~0ull;
		int i, n = cmwq_pool_count();

		for (i = 0; i < n; i++) {
			struct worker_pool *pool = cmwq_pool_by_id(i);

			if (atomic_load(&pool->create_pending) &&
			    (!retry_at || now >= retry_at)) {
				if (!pool->create_wait_since_ns)
					pool->create_wait_since_ns = now;
				int k, want, waiting, ret = 0;

				/* What waits, the ingress's items too. */
				cmwq_mutex_lock(&pool->lock, LC_POOL);
				pool_drain_incoming(pool);
				waiting = pool_worklist_count(pool,
							      CREATE_RAMP_MAX);
				cmwq_mutex_unlock(&pool->lock, LC_POOL);
				want = workers_to_start(pool, waiting, now);

				atomic_store(&pool->create_pending, 0);
				for (k = 0; k < want && ret >= 0; k++)
					ret = cmwq_create_worker(pool);
				if (ret < 0 && k == 1) {
					atomic_store(&pool->create_pending, 1);
					retry_at = now + CREATE_COOLDOWN_NS;
				} else {
					retry_at = 0;
					pool->create_wait_since_ns = 0;
				}
			}
			if (atomic_load(&pool->create_pending)) {
				if (retry_at && retry_at < next)
					next = retry_at;
				pool_mayday_if_due(pool, now, &next);
			}
			cmwq_mutex_lock(&pool->lock, LC_POOL);
			if (pool->reap_deadline_ns || too_many_workers(pool))
				pool_reap(pool, now, &next);
			cmwq_mutex_unlock(&pool->lock, LC_POOL);
		}
		cmwq_release_pwqs();
		cmwq_timer_run_expired(now, &next);
		cmwq_monitor_pass(now, &next);
		cmwq_watchdog_pass(now, &next);
		cmwq_observe_pass(now, &next);
		if (atomic_load(&mgr_seq) != seq)
			continue;
		cmwq_futex_wait(&mgr_seq, seq, next == ~0ull ? 0 : next);
	}
	return NULL;
}

/* For fork.c: the child has no manager; the next request starts one. */
void cmwq_manager_forget(void)
{
	atomic_store(&mgr_state, 0);
	atomic_store(&mgr_seq, 0);
}

int cmwq_manager_start(void)
{
	int expected = 0, ret;

	if (!atomic_compare_exchange_strong(&mgr_state, &expected, 1)) {
		/* Started, or being started by another thread. */
		return 0;
	}
	ret = cmwq_thread_start(manager_thread, NULL);
	if (ret < 0) {
		atomic_store(&mgr_state, 0);
		cmwq_warn_const("cannot start the manager thread; will retry "
				"at the next request");
		return ret;
	}
	atomic_store(&mgr_state, 2);
	cmwq_futex_wake(&mgr_seq, 1);
	return 0;
}
