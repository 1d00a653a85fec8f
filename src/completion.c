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

#include <errno.h>
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

/* How a wait ended. */
enum wait_end {
	WAIT_COMPLETED,
	WAIT_TIMED_OUT,
	WAIT_INTERRUPTED,
};

/*
 * Wait until @x is completed (consuming one completion), @deadline_ns
 * passes (0: never) or, when @interruptible, a signal handler runs on this
 * thread while it sleeps.  A completion that is there when the wait ends
 * wins over the timeout and the signal, as in the kernel.
 */
static enum wait_end wait_until(struct completion *x,
				unsigned long long deadline_ns,
				bool interruptible)
{
	enum wait_end end = WAIT_COMPLETED;
	bool slept = false;

	while (!cmwq_try_wait_for_completion(x)) {
		if (deadline_ns && cmwq_clock_ns() >= deadline_ns) {
			end = WAIT_TIMED_OUT;
			break;
		}
		if (!slept) {
			/* Let the pool run other work while we wait. */
			cmwq_worker_sleeping();
			slept = true;
		}
		/* Sleeps only while done is still 0. */
		if (!interruptible) {
			cmwq_futex_wait(&x->done, 0, deadline_ns);
			continue;
		}
		if (cmwq_futex_wait_interruptible(&x->done, 0, deadline_ns) ==
		    -EINTR) {
			/* A completion that came with the signal wins. */
			if (!cmwq_try_wait_for_completion(x))
				end = WAIT_INTERRUPTED;
			break;
		}
	}
	if (slept)
		cmwq_worker_running();
	return end;
}

CMWQ_API void cmwq_wait_for_completion(struct completion *x)
{
	wait_until(x, 0, false);
}

CMWQ_API bool cmwq_wait_for_completion_timeout_ns(struct completion *x,
						  unsigned long long timeout_ns)
{
	return wait_until(x, cmwq_clock_ns() + timeout_ns, false) ==
	       WAIT_COMPLETED;
}

/*
 * A wait of at most @timeout jiffies (milliseconds, HZ = 1000).  Return:
 * 0 on timeout, -ERESTARTSYS when interrupted, else the jiffies left, at
 * least 1, as the kernel's waits with a timeout.
 */
static long wait_jiffies(struct completion *x, unsigned long timeout,
			 bool interruptible)
{
	unsigned long long start = cmwq_clock_ns();
	unsigned long long tmo = (unsigned long long)timeout * 1000000ull;
	unsigned long long used;
	enum wait_end end;

	/*
	 * A timeout of 0 only looks, as the kernel's (schedule_timeout(0)
	 * returns at once): 1 and the completion consumed if it is done, 0
	 * if not.  (tmo == 0 below means no deadline.)
	 */
	if (!timeout)
		return cmwq_try_wait_for_completion(x) ? 1 : 0;
	/* MAX_SCHEDULE_TIMEOUT and anything past ~584 years: no deadline. */
	if (timeout >= (unsigned long)LONG_MAX || tmo / 1000000ull != timeout ||
	    start + tmo < start)
		tmo = 0;
	end = wait_until(x, tmo ? start + tmo : 0, interruptible);
	if (end == WAIT_TIMED_OUT)
		return 0;
	if (end == WAIT_INTERRUPTED)
		return -CMWQ_ERESTARTSYS;
	used = (cmwq_clock_ns() - start) / 1000000ull;
	if (timeout > (unsigned long)LONG_MAX)
		timeout = (unsigned long)LONG_MAX;
	return used >= timeout ? 1 : (long)(timeout - (unsigned long)used);
}

CMWQ_API unsigned long cmwq_wait_for_completion_timeout(struct completion *x,
							unsigned long timeout)
{
	return (unsigned long)wait_jiffies(x, timeout, false);
}

CMWQ_API int cmwq_wait_for_completion_interruptible(struct completion *x)
{
	if (wait_until(x, 0, true) == WAIT_INTERRUPTED)
		return -CMWQ_ERESTARTSYS;
	return 0;
}

CMWQ_API long
cmwq_wait_for_completion_interruptible_timeout(struct completion *x,
					       unsigned long timeout)
{
	return wait_jiffies(x, timeout, true);
}
