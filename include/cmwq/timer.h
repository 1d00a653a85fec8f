/* SPDX-License-Identifier: MIT */
/*
 * cmwq/timer.h - the kernel's timer API (struct timer_list) on cmwq's
 * tickless timer service
 *
 * A timer's callback runs on the library's timer thread ("cmwq-timer"),
 * one callback at a time, in deadline order: the analogue of the kernel's
 * timer softirq.  A callback must not sleep (it delays every later timer);
 * one that runs longer than 100 ms is reported.  Delayed work items have a
 * struct timer_list too; theirs fire on the manager thread and queue the
 * item, never through a callback.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_TIMER_H
#define CMWQ_TIMER_H

#include <cmwq/compiler.h>
#include <cmwq/time.h>

#ifndef CMWQ_NO_KERNEL_NAMES
/* POSIX's timer_delete(timer_t) first: the kernel's name shares it. */
#include <time.h>
#endif

CMWQ_BEGIN_DECLS

/**
 * struct timer_list - a kernel timer
 * @cmwq_next: link of the timer service's arming list (the service's)
 * @expires: the jiffy at which the timer fires (the kernel's field: set it
 *	before add_timer(), read it any time)
 * @function: the callback; NULL after timer_shutdown()
 * @flags: TIMER_* flags, the CPU in TIMER_CPUMASK, and the service's state
 *	in TIMER_ARRAYMASK (read it with timer_pending())
 * @cmwq_index: the service's (heap slot while armed)
 *
 * 32 bytes on LP64 (the kernel's is 40: a hlist_node instead of a single
 * link), so struct delayed_work keeps its 0.1 size.
 */
struct timer_list {
	struct timer_list *cmwq_next;
	unsigned long expires;
	void (*function)(struct timer_list *);
	unsigned int flags;
	unsigned int cmwq_index;
};

/* The kernel's flag layout. */
#define TIMER_CPUMASK 0x0003FFFFu
#define TIMER_MIGRATING 0x00040000u
#define TIMER_BASEMASK (TIMER_CPUMASK | TIMER_MIGRATING)
#ifndef TIMER_DEFERRABLE
#define TIMER_DEFERRABLE 0x00080000
#endif
#define TIMER_PINNED 0x00100000u
#define TIMER_IRQSAFE 0x00200000u
#define TIMER_INIT_FLAGS (TIMER_DEFERRABLE | TIMER_PINNED | TIMER_IRQSAFE)
/* The kernel keeps its wheel position here; cmwq its state. */
#define TIMER_ARRAYSHIFT 22
#define TIMER_ARRAYMASK 0xFFC00000u

#define CMWQ_TIMER_INITIALIZER(fn, fl)                                   \
	{                                                                \
		.cmwq_next = 0, .expires = 0, .function = (fn),          \
		.flags = (unsigned int)(fl) & TIMER_INIT_FLAGS,          \
		.cmwq_index = 0,                                         \
	}

/**
 * cmwq_timer_setup - initialise a timer
 * @timer: the timer; not armed
 * @func: its callback
 * @flags: 0 or TIMER_DEFERRABLE, TIMER_PINNED, TIMER_IRQSAFE
 *
 * Starts the timer thread if it is not running.  An armed timer is not
 * reinitialised (diagnostic); unknown flags are dropped (diagnostic).
 */
CMWQ_API void cmwq_timer_setup(struct timer_list *timer,
			       void (*func)(struct timer_list *),
			       unsigned int flags);

/**
 * cmwq_mod_timer - arm a timer for @expires, or move its expiry
 * @timer: the timer
 * @expires: the jiffy to fire at; one in the past fires at once
 *
 * Async-signal-safe when @timer is not armed and the timer thread runs.
 * A timer shut down with cmwq_timer_shutdown() is left alone.
 *
 * Return: 1 if @timer was armed (and is now at @expires), 0 if it was not.
 */
CMWQ_API int cmwq_mod_timer(struct timer_list *timer, unsigned long expires);

/** cmwq_mod_timer_pending - cmwq_mod_timer() of an armed timer only */
CMWQ_API int cmwq_mod_timer_pending(struct timer_list *timer,
				    unsigned long expires);

/**
 * cmwq_timer_reduce - arm @timer for @expires, or move its expiry earlier
 * (never later)
 *
 * Return: 1 if @timer was armed, 0 if not.
 */
CMWQ_API int cmwq_timer_reduce(struct timer_list *timer, unsigned long expires);

/**
 * cmwq_add_timer - arm an idle timer for its @expires field
 * @timer: the timer; armed already is misuse (diagnostic, left alone)
 */
CMWQ_API void cmwq_add_timer(struct timer_list *timer);

/**
 * cmwq_add_timer_on - cmwq_add_timer(), with the callback run on @cpu
 * @timer: the timer
 * @cpu: a CPU the process may run on (else diagnostic, not armed)
 *
 * The timer thread moves to @cpu to run the callback; the timer keeps
 * that CPU across cmwq_mod_timer() until cmwq_add_timer_global().
 */
CMWQ_API void cmwq_add_timer_on(struct timer_list *timer, int cpu);

/** cmwq_add_timer_local - cmwq_add_timer_on() the calling thread's CPU */
CMWQ_API void cmwq_add_timer_local(struct timer_list *timer);

/** cmwq_add_timer_global - cmwq_add_timer() on any CPU, unpinned */
CMWQ_API void cmwq_add_timer_global(struct timer_list *timer);

/**
 * cmwq_timer_delete - disarm a timer
 * @timer: the timer
 *
 * Does not wait for a callback that is running.
 *
 * Return: 1 if @timer was armed, 0 if not.
 */
CMWQ_API int cmwq_timer_delete(struct timer_list *timer);

/**
 * cmwq_timer_delete_sync - disarm a timer and wait for its callback
 * @timer: the timer
 *
 * On return @timer is not armed and its callback does not run (unless
 * something arms it again).  Called from @timer's own callback it cannot
 * wait: a diagnostic, and it disarms only.
 *
 * Return: 1 if @timer was armed, 0 if not.
 */
CMWQ_API int cmwq_timer_delete_sync(struct timer_list *timer);

/**
 * cmwq_timer_delete_sync_try - disarm a timer unless its callback runs
 *
 * Return: -1 if the callback is running (nothing done), else as
 * cmwq_timer_delete().
 */
CMWQ_API int cmwq_timer_delete_sync_try(struct timer_list *timer);

/**
 * cmwq_timer_shutdown - disarm a timer for good
 *
 * Later arming is ignored until cmwq_timer_setup() again.
 *
 * Return: 1 if @timer was armed, 0 if not.
 */
CMWQ_API int cmwq_timer_shutdown(struct timer_list *timer);

/** cmwq_timer_shutdown_sync - cmwq_timer_shutdown() and wait for the callback */
CMWQ_API int cmwq_timer_shutdown_sync(struct timer_list *timer);

/**
 * cmwq_timer_pending - is the timer armed?
 *
 * False inside the timer's callback unless the callback armed it again.
 */
CMWQ_API int cmwq_timer_pending(const struct timer_list *timer);

/**
 * cmwq_round_jiffies - round an absolute time in jiffies to a whole second
 * @j: the time
 *
 * Rounds to the nearest second, down only when that is less than a quarter
 * second earlier; never to a time already past (then @j is returned).
 */
CMWQ_API unsigned long cmwq_round_jiffies(unsigned long j);
/** cmwq_round_jiffies_relative - cmwq_round_jiffies() of a delay */
CMWQ_API unsigned long cmwq_round_jiffies_relative(unsigned long j);
/** cmwq_round_jiffies_up - round up to a whole second */
CMWQ_API unsigned long cmwq_round_jiffies_up(unsigned long j);
/** cmwq_round_jiffies_up_relative - cmwq_round_jiffies_up() of a delay */
CMWQ_API unsigned long cmwq_round_jiffies_up_relative(unsigned long j);

/**
 * cmwq_delayed_work_timer_fn - the callback of a delayed work item's timer
 * @timer: &dwork->timer
 *
 * Queues the item now if its timer is armed (as flush_delayed_work()
 * does, without waiting).  The timer service calls it for no one: a
 * delayed item's timer queues the item on the manager thread.
 */
CMWQ_API void cmwq_delayed_work_timer_fn(struct timer_list *timer);

#ifndef CMWQ_NO_KERNEL_NAMES
/*
 * The kernel's names: its functions are static inline functions here, its
 * macros are macros.  del_timer(), del_timer_sync(), try_to_del_timer_sync()
 * and from_timer() are the names before 6.15/6.16, kept for older code.
 */
#define __TIMER_INITIALIZER(fn, fl) CMWQ_TIMER_INITIALIZER(fn, fl)
#define DEFINE_TIMER(n, fn) \
	struct timer_list n = CMWQ_TIMER_INITIALIZER(fn, 0)
#define timer_setup(t, fn, fl) cmwq_timer_setup((t), (fn), (fl))
#define timer_setup_on_stack(t, fn, fl) cmwq_timer_setup((t), (fn), (fl))
#define timer_container_of(var, timer, field) \
	container_of(timer, __typeof__(*var), field)
#define from_timer(var, timer, field) timer_container_of(var, timer, field)

static inline void destroy_timer_on_stack(struct timer_list *timer)
{
	(void)timer;
}

static inline int timer_pending(const struct timer_list *timer)
{
	return cmwq_timer_pending(timer);
}

static inline int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return cmwq_mod_timer(timer, expires);
}

static inline int mod_timer_pending(struct timer_list *timer,
				    unsigned long expires)
{
	return cmwq_mod_timer_pending(timer, expires);
}

static inline int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	return cmwq_timer_reduce(timer, expires);
}

static inline void add_timer(struct timer_list *timer)
{
	cmwq_add_timer(timer);
}

static inline void add_timer_on(struct timer_list *timer, int cpu)
{
	cmwq_add_timer_on(timer, cpu);
}

static inline void add_timer_local(struct timer_list *timer)
{
	cmwq_add_timer_local(timer);
}

static inline void add_timer_global(struct timer_list *timer)
{
	cmwq_add_timer_global(timer);
}

static inline int timer_delete_sync(struct timer_list *timer)
{
	return cmwq_timer_delete_sync(timer);
}

static inline int timer_delete_sync_try(struct timer_list *timer)
{
	return cmwq_timer_delete_sync_try(timer);
}

static inline int timer_shutdown(struct timer_list *timer)
{
	return cmwq_timer_shutdown(timer);
}

static inline int timer_shutdown_sync(struct timer_list *timer)
{
	return cmwq_timer_shutdown_sync(timer);
}

static inline int del_timer(struct timer_list *timer)
{
	return cmwq_timer_delete(timer);
}

static inline int del_timer_sync(struct timer_list *timer)
{
	return cmwq_timer_delete_sync(timer);
}

static inline int try_to_del_timer_sync(struct timer_list *timer)
{
	return cmwq_timer_delete_sync_try(timer);
}

static inline unsigned long round_jiffies(unsigned long j)
{
	return cmwq_round_jiffies(j);
}

static inline unsigned long round_jiffies_relative(unsigned long j)
{
	return cmwq_round_jiffies_relative(j);
}

static inline unsigned long round_jiffies_up(unsigned long j)
{
	return cmwq_round_jiffies_up(j);
}

static inline unsigned long round_jiffies_up_relative(unsigned long j)
{
	return cmwq_round_jiffies_up_relative(j);
}

/*
 * A macro, not a wrapper: code compares a timer's function with it, and a
 * static inline wrapper would have another address in every file.
 */
#define delayed_work_timer_fn cmwq_delayed_work_timer_fn
#endif

CMWQ_END_DECLS

#ifndef CMWQ_NO_KERNEL_NAMES
/*
 * timer_delete() is POSIX's name too (timer_delete(timer_t), <time.h>):
 * the kernel's is chosen by the argument's type, so a program can use
 * both.  &timer_delete is POSIX's; take &cmwq_timer_delete instead.
 */
#ifdef __cplusplus
static inline int timer_delete(struct timer_list *timer)
{
	return cmwq_timer_delete(timer);
}
#else
#define timer_delete(t)                                                \
	_Generic((t), struct timer_list *: cmwq_timer_delete,          \
		 default: timer_delete)(t)
#endif
#endif

#endif /* CMWQ_TIMER_H */
