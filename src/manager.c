// SPDX-License-Identifier: MIT
/*
 * manager.c - the manager thread: starts workers, reaps idle ones, fires
 * timers
 *
 * One thread per process, started when the first work item needs a worker
 * (or by cmwq_init()) through wake.c, the doorbell every lower file rings.  It sleeps on a futex with no deadline unless a
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

/*
 * Choose the surplus idle workers of @pool that were idle long enough and
 * ask them to exit.  Each chosen one leaves nr_idle here, at the choice,
 * as the kernel's set_worker_dying() takes it off the idle list: from now
 * on nobody counts on it to take work (a queuer that finds no other idle
 * worker asks for a new one), so a choice racing with a kick cannot
 * leave an item to a worker on its way out.  The sleepers share one
 * futex word, so all are woken; the others go back to sleep.  (L)
 */
static void pool_reap(struct worker_pool *pool, unsigned long long now,
		      unsigned long long *next)
{
	unsigned long long timeout = atomic_load_explicit(&cmwq_idle_timeout_ns,
							  memory_order_relaxed);
	unsigned long long oldest = ~0ull;
	struct worker *worker;
	int chosen = 0, surplus;

	if (!too_many_workers(pool)) {
		pool->reap_deadline_ns = 0;
		return;
	}
	if (now < pool->reap_deadline_ns) {
		if (pool->reap_deadline_ns < *next)
			*next = pool->reap_deadline_ns;
		return;
	}
	surplus = atomic_load(&pool->nr_idle) - 2;
	list_for_each_entry(worker, &pool->workers, node) {
		if ((worker->flags & (WORKER_IDLE | WORKER_DIE)) != WORKER_IDLE)
			continue;
		if (chosen < surplus && worker->last_active_ns + timeout <= now) {
			worker->flags |= WORKER_DIE;
			atomic_fetch_sub(&pool->nr_idle, 1);
			pool->nr_dying++;
			chosen++;
		} else if (worker->last_active_ns < oldest) {
			oldest = worker->last_active_ns;
		}
	}
	if (chosen > 0) {
		atomic_fetch_add(&pool->wake_seq, 1);
		cmwq_futex_wake(&pool->wake_seq, INT_MAX);
	}
	pool->reap_deadline_ns = 0;
	if (chosen < surplus && oldest != ~0ull) {
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

static void release_pwqs_pass(unsigned long long now, unsigned long long *next)
{
	(void)now;
	(void)next;
	cmwq_release_pwqs();
}

/*
 * The manager's duties besides the pools' workers, in the order of each
 * pass: each does what is due at @now and lowers *next to its next
 * deadline.  Each is a service of its own file; none calls back here.
 */
static const struct manager_service {
	const char *name;
	void (*pass)(unsigned long long now, unsigned long long *next);
} manager_services[] = {
	{ "release replaced pwqs", release_pwqs_pass },
	{ "let held-back items into their node's room",
	  cmwq_activate_pending_pass },
	{ "fire timers", cmwq_timer_run_expired },
	{ "monitor blocked workers", cmwq_monitor_pass },
	{ "watchdog", cmwq_watchdog_pass },
	{ "answer monitors (cmwq-top)", cmwq_observe_pass },
};

static void *manager_thread(void *arg)
{
	unsigned long long retry_at = 0;
	unsigned int obs_val = 0;
	void *obs_word;

	(void)arg;
	cmwq_thread_set_name("cmwq-manager");
	/* Timers and monitor polls fire when due, not up to 50 us later. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (;;) {
		unsigned int seq = cmwq_manager_seq();
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
		for (i = 0; i < (int)ARRAY_SIZE(manager_services); i++)
			manager_services[i].pass(now, &next);
		if (cmwq_manager_seq() != seq)
			continue;
		/* Where it serves the monitors, their word wakes it too. */
		if (!cmwq_observe_wait_word(&obs_word, &obs_val))
			obs_word = NULL;
		cmwq_manager_sleep(seq, obs_word, obs_val,
				   next == ~0ull ? 0 : next);
	}
	return NULL;
}

/**
 * cmwq_init - start the library now
 *
 * Starts the manager thread (the pools and system workqueues exist from
 * start-up).  Optional: everything starts on first use.  A program whose
 * first queue_work may come from a signal handler calls it first, because
 * starting a thread is not async-signal-safe.
 *
 * Return: 0, or -errno when the manager thread cannot start.
 */
CMWQ_API int cmwq_init(void)
{
	cmwq_init_once();
	return cmwq_manager_start();
}

static int manager_init(void)
{
	cmwq_manager_set_loop(manager_thread);
	return 0;
}
cmwq_initcall(INIT_SERVICES, manager_init);
