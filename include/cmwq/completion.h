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

/*
 * The kernel's errno value for "interrupted, restart the system call", which
 * the interruptible waits return negated, as in the kernel.
 */
#define CMWQ_ERESTARTSYS 512

/**
 * cmwq_wait_for_completion_interruptible - wait, unless a signal comes
 * @x: the completion
 *
 * The wait also ends when a signal handler runs on the waiting thread
 * while it sleeps (the user-space meaning of a signal pending for a task
 * in TASK_INTERRUPTIBLE), with or without SA_RESTART.  Worker threads block
 * asynchronous signals, so there it waits as wait_for_completion() does.
 *
 * Return: 0 when completed (one consumed), -CMWQ_ERESTARTSYS when
 * interrupted.
 */
CMWQ_API int cmwq_wait_for_completion_interruptible(struct completion *x);

/**
 * cmwq_wait_for_completion_interruptible_timeout - the same, at most
 * @timeout jiffies
 * @x: the completion
 * @timeout: jiffies (HZ is 1000); MAX_SCHEDULE_TIMEOUT waits for ever
 *
 * Return: -CMWQ_ERESTARTSYS when interrupted, 0 on timeout, else the
 * jiffies left (at least 1).
 */
CMWQ_API long
cmwq_wait_for_completion_interruptible_timeout(struct completion *x,
					       unsigned long timeout);

/** cmwq_try_wait_for_completion - consume one completion if there is one */
CMWQ_API bool cmwq_try_wait_for_completion(struct completion *x);

/** cmwq_completion_done - would a wait pass without blocking? */
CMWQ_API bool cmwq_completion_done(struct completion *x);

#ifndef CMWQ_NO_KERNEL_NAMES
/*
 * The kernel's names.  Functions are static inline, as the kernel declares
 * them, so that each can be taken as a function pointer and a struct member
 * called complete is not rewritten; the initialisers are macros, as there.
 */
#define COMPLETION_INITIALIZER(x) CMWQ_COMPLETION_INITIALIZER(x)
#define COMPLETION_INITIALIZER_ONSTACK(x) CMWQ_COMPLETION_INITIALIZER(x)
#define DECLARE_COMPLETION(x) \
	struct completion x = CMWQ_COMPLETION_INITIALIZER(x)
#define DECLARE_COMPLETION_ONSTACK(x) DECLARE_COMPLETION(x)
#ifndef ERESTARTSYS
#define ERESTARTSYS CMWQ_ERESTARTSYS
#endif
#ifndef MAX_SCHEDULE_TIMEOUT
#define MAX_SCHEDULE_TIMEOUT __LONG_MAX__
#endif

/*
 * The task states wait_for_completion_state() takes, with the kernel's
 * values.  What matters is the kernel's rule: a signal ends the wait in a
 * state with TASK_INTERRUPTIBLE; in TASK_KILLABLE only a fatal one does,
 * which in user space ends the process instead; TASK_IDLE is
 * uninterruptible (and not counted as load, which means nothing here).
 */
#ifndef TASK_INTERRUPTIBLE
#define TASK_INTERRUPTIBLE 0x00000001
#endif
#ifndef TASK_UNINTERRUPTIBLE
#define TASK_UNINTERRUPTIBLE 0x00000002
#endif
#ifndef TASK_KILLABLE
#define TASK_KILLABLE 0x00000102
#endif
#ifndef TASK_IDLE
#define TASK_IDLE 0x00000402
#endif

static inline void init_completion(struct completion *x)
{
	cmwq_init_completion(x);
}

/* Makes @x not done again; like the kernel's, only between uses. */
static inline void reinit_completion(struct completion *x)
{
	cmwq_init_completion(x);
}

static inline void complete(struct completion *x)
{
	cmwq_complete(x);
}

static inline void complete_all(struct completion *x)
{
	cmwq_complete_all(x);
}

/*
 * The kernel's hint that the woken task should run on the completer's CPU
 * (6.6+); user space cannot place a woken thread, so it is complete().
 */
static inline void complete_on_current_cpu(struct completion *x)
{
	cmwq_complete(x);
}

static inline void wait_for_completion(struct completion *x)
{
	cmwq_wait_for_completion(x);
}

static inline unsigned long wait_for_completion_timeout(struct completion *x,
							unsigned long timeout)
{
	return cmwq_wait_for_completion_timeout(x, timeout);
}

static inline int wait_for_completion_interruptible(struct completion *x)
{
	return cmwq_wait_for_completion_interruptible(x);
}

static inline long
wait_for_completion_interruptible_timeout(struct completion *x,
					  unsigned long timeout)
{
	return cmwq_wait_for_completion_interruptible_timeout(x, timeout);
}

/*
 * Killable: only a fatal signal ends the kernel's wait, and in user space a
 * fatal signal ends the process, so these never return -ERESTARTSYS.
 */
static inline int wait_for_completion_killable(struct completion *x)
{
	cmwq_wait_for_completion(x);
	return 0;
}

static inline long wait_for_completion_killable_timeout(struct completion *x,
							unsigned long timeout)
{
	unsigned long left = cmwq_wait_for_completion_timeout(x, timeout);

	return left > (unsigned long)__LONG_MAX__ ? __LONG_MAX__ : (long)left;
}

/**
 * wait_for_completion_state - wait for @x in task state @state
 * @x: the completion
 * @state: TASK_UNINTERRUPTIBLE, TASK_INTERRUPTIBLE, TASK_KILLABLE,
 *	TASK_IDLE, or a combination of the kernel's state bits
 *
 * With TASK_INTERRUPTIBLE in @state it waits as
 * wait_for_completion_interruptible(); otherwise (TASK_KILLABLE included:
 * a fatal signal ends the process here) as wait_for_completion().
 *
 * Return: 0 when completed (one consumed), -ERESTARTSYS when a signal
 * ended the wait (nothing consumed).
 */
static inline int wait_for_completion_state(struct completion *x,
					    unsigned int state)
{
	if (state & TASK_INTERRUPTIBLE)
		return cmwq_wait_for_completion_interruptible(x);
	cmwq_wait_for_completion(x);
	return 0;
}

/* The _io waits are accounted as I/O wait in the kernel; here the same. */
static inline void wait_for_completion_io(struct completion *x)
{
	cmwq_wait_for_completion(x);
}

static inline unsigned long
wait_for_completion_io_timeout(struct completion *x, unsigned long timeout)
{
	return cmwq_wait_for_completion_timeout(x, timeout);
}

static inline bool try_wait_for_completion(struct completion *x)
{
	return cmwq_try_wait_for_completion(x);
}

static inline bool completion_done(struct completion *x)
{
	return cmwq_completion_done(x);
}
#endif

CMWQ_END_DECLS

#endif /* CMWQ_COMPLETION_H */
