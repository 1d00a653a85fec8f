// SPDX-License-Identifier: MIT
/*
 * completion.c - completions on a futex
 *
 * x->done counts completions not yet consumed (UINT_MAX: complete_all) and
 * is the futex word itself.  A completer's increment is its last access to
 * the struct (the wake-up that follows is a system call on the address
 * only), so a waiter that saw it may free the completion at once: flush
 * barriers live on the flusher's stack.  A waiter sleeps only while done
 * is 0, so no completion between its check and its sleep is missed.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <limits.h>

CMWQ_API void cmwq_init_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0u, __ATOMIC_RELEASE);
	x->reserved = 0;
}

CMWQ_API void cmwq_complete(struct completion *x)
{
	unsigned int done = __atomic_load_n(&x->done, __ATOMIC_RELAXED);

	/* Release: the completer's stores are visible to the waiter. */
	do {
		if (done == UINT_MAX)
			break;
	} while (!__atomic_compare_exchange_n(&x->done, &done, done + 1, true,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	/* @x may be gone now: the wake uses its address only. */
	cmwq_futex_wake(&x->done, 1);
}

CMWQ_API void cmwq_complete_all(struct completion *x)
{
	__atomic_store_n(&x->done, UINT_MAX, __ATOMIC_RELEASE);
	cmwq_futex_wake(&x->done, INT_MAX);
}

CMWQ_API bool cmwq_try_wait_for_completion(struct completion *x)
{
	unsigned int done = __atomic_load_n(&x->done, __ATOMIC_ACQUIRE);

	do {
		if (!done)
			return false;
		if (done == UINT_MAX)
			return true;
	} while (!__atomic_compare_exchange_n(&x->done, &done, done - 1, true,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_ACQUIRE));
	return true;
}

CMWQ_API bool cmwq_completion_done(struct completion *x)
{
	return __atomic_load_n(&x->done, __ATOMIC_ACQUIRE) != 0;
}

static bool wait_until(struct completion *x, unsigned long long deadline_ns)
{
	bool slept = false, ret = true;

	while (!cmwq_try_wait_for_completion(x)) {
		if (deadline_ns && cmwq_clock_ns() >= deadline_ns) {
			ret = false;
			break;
		}
		if (!slept) {
			/* Let the pool run other work while we wait. */
			cmwq_worker_sleeping();
			slept = true;
		}
		/* Sleeps only while done is still 0. */
		cmwq_futex_wait(&x->done, 0, deadline_ns);
	}
	if (slept)
		cmwq_worker_running();
	return ret;
}

CMWQ_API void cmwq_wait_for_completion(struct completion *x)
{
	wait_until(x, 0);
}

CMWQ_API bool cmwq_wait_for_completion_timeout_ns(struct completion *x,
						  unsigned long long timeout_ns)
{
	return wait_until(x, cmwq_clock_ns() + timeout_ns);
}

CMWQ_API unsigned long cmwq_wait_for_completion_timeout(struct completion *x,
							unsigned long timeout)
{
	unsigned long long start = cmwq_clock_ns();
	unsigned long long tmo = (unsigned long long)timeout * 1000000ull;
	unsigned long long used;

	if (!wait_until(x, start + tmo))
		return 0;
	used = (cmwq_clock_ns() - start) / 1000000ull;
	return used >= timeout ? 1 : timeout - (unsigned long)used;
}
