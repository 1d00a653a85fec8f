/* SPDX-License-Identifier: MIT */
/*
 * cmwq/completion.h - completions: wait for something to be done
 *
 * A waiting cmwq worker tells its pool it sleeps, so the pool starts another
 * worker meanwhile (concurrency management).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_COMPLETION_H
#define CMWQ_COMPLETION_H

#include <cmwq/compiler.h>

CMWQ_BEGIN_DECLS

/**
 * struct completion - a counted event
 * @done: completions not yet consumed, UINT_MAX after complete_all(); the
 *	futex word waiters sleep on
 * @reserved: unused
 *
 * Fields are owned by the library and accessed atomically.  complete()
 * touches the struct last with one atomic increment, so a waiter may free
 * it (or return from the function whose stack holds it) as soon as its
 * wait returns.
 */
struct completion {
	unsigned int done;
	unsigned int reserved;
};

#define CMWQ_COMPLETION_INITIALIZER(x) \
	{                              \
		0, 0                   \
	}

/** cmwq_init_completion - initialise (or reinitialise) a completion */
CMWQ_API void cmwq_init_completion(struct completion *x);

/** cmwq_complete - wake one waiter, or let the next wait pass; signal-safe */
CMWQ_API void cmwq_complete(struct completion *x);

/** cmwq_complete_all - wake every waiter, now and later; signal-safe */
CMWQ_API void cmwq_complete_all(struct completion *x);

/** cmwq_wait_for_completion - wait until completed, consuming one */
CMWQ_API void cmwq_wait_for_completion(struct completion *x);

/**
 * cmwq_wait_for_completion_timeout_ns - wait at most @timeout_ns
 * @x: the completion
 * @timeout_ns: nanoseconds
 *
 * Return: true if completed (one consumed), false on timeout.
 */
CMWQ_API bool
cmwq_wait_for_completion_timeout_ns(struct completion *x,
				    unsigned long long timeout_ns);

/**
 * cmwq_wait_for_completion_timeout - wait at most @timeout jiffies
 *
 * Return: 0 on timeout, else the jiffies left (at least 1), as the kernel.
 */
CMWQ_API unsigned long cmwq_wait_for_completion_timeout(struct completion *x,
							unsigned long timeout);

/** cmwq_try_wait_for_completion - consume one completion if there is one */
CMWQ_API bool cmwq_try_wait_for_completion(struct completion *x);

/** cmwq_completion_done - would a wait pass without blocking? */
CMWQ_API bool cmwq_completion_done(struct completion *x);

#ifndef CMWQ_NO_KERNEL_NAMES
#define COMPLETION_INITIALIZER(x) CMWQ_COMPLETION_INITIALIZER(x)
#define COMPLETION_INITIALIZER_ONSTACK(x) CMWQ_COMPLETION_INITIALIZER(x)
#define DECLARE_COMPLETION(x) \
	struct completion x = CMWQ_COMPLETION_INITIALIZER(x)
#define DECLARE_COMPLETION_ONSTACK(x) DECLARE_COMPLETION(x)
#define init_completion(x) cmwq_init_completion(x)
#define reinit_completion(x) cmwq_init_completion(x)
#define complete(x) cmwq_complete(x)
#define complete_all(x) cmwq_complete_all(x)
#define wait_for_completion(x) cmwq_wait_for_completion(x)
#define wait_for_completion_timeout(x, t) cmwq_wait_for_completion_timeout(x, t)
#define try_wait_for_completion(x) cmwq_try_wait_for_completion(x)
#define completion_done(x) cmwq_completion_done(x)
#endif

CMWQ_END_DECLS

#endif /* CMWQ_COMPLETION_H */
