// SPDX-License-Identifier: MIT
/*
 * wake.c - the manager's doorbell: how the rest of the library asks the
 * manager thread for work, and starts it
 *
 * Every file below the manager asks through these few calls (a worker for
 * a pool, a new deadline, "look again"); none of them knows what the
 * manager does with the request.  The manager's loop (manager.c, a
 * service above the engine) hands its thread function over once at
 * start-up (cmwq_manager_set_loop()), as a caller of the kernel's
 * kthread_create() hands its function to the thread it asks for.
 *
 * Protocol: mgr_seq is the futex word.  A request first records what it
 * wants (pool->create_pending, a deadline, a flag of its own), then bumps
 * mgr_seq and wakes the manager when it runs; the manager reads mgr_seq
 * before its pass and sleeps only while mgr_seq still has that value, so
 * a request made during a pass is seen by the next one.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>

static atomic_uint mgr_seq; /* (A) futex word: bumped to wake the manager */
static atomic_int mgr_state; /* (A) 0 not started, 1 starting, 2 running */
/* The manager's thread function.  (I) set at start-up, before any start */
static void *(*mgr_loop)(void *arg);

void cmwq_manager_set_loop(void *(*loop)(void *arg))
{
	mgr_loop = loop;
}

unsigned int cmwq_manager_seq(void)
{
	return atomic_load(&mgr_seq);
}

void cmwq_manager_sleep(unsigned int seq, void *shared_word,
			unsigned int shared_val, unsigned long long deadline_ns)
{
	if (shared_word && cmwq_futex_wait2(&mgr_seq, seq, shared_word,
					    shared_val, deadline_ns) == 0)
		return;
	cmwq_futex_wait(&mgr_seq, seq, deadline_ns);
}

/*
 * The watchdog's "items held back" flag (watchdog.c says the protocol):
 * a drain that holds an item back behind max_active rings here.  It rings
 * while the watchdog is off too; the pass then leaves the flag set, so
 * that costs one wake-up in all.
 */
atomic_int cmwq_wd_held_back;

void cmwq_watchdog_note_held_back(void)
{
	if (atomic_load_explicit(&cmwq_wd_held_back, memory_order_relaxed))
		return;
	if (atomic_exchange(&cmwq_wd_held_back, WD_HELD_LOOK) == WD_HELD_NONE)
		cmwq_manager_wake();
}

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

/* For fork.c: the child has no manager; the next request starts one. */
void cmwq_manager_forget(void)
{
	atomic_store(&mgr_state, 0);
	atomic_store(&mgr_seq, 0);
}

int cmwq_manager_start(void)
{
	int expected = 0, ret;

	if (!mgr_loop)
		return -EAGAIN; /* before start-up: cannot happen after it */
	if (!atomic_compare_exchange_strong(&mgr_state, &expected, 1)) {
		/* Started, or being started by another thread. */
		return 0;
	}
	ret = cmwq_thread_start(mgr_loop, NULL);
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
