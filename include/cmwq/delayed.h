/* SPDX-License-Identifier: MIT */
/*
 * cmwq/delayed.h - delayed work: an item queued after a delay
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_DELAYED_H
#define CMWQ_DELAYED_H

#include <cmwq/compiler.h>
#include <cmwq/time.h>
#include <cmwq/timer.h>
#include <cmwq/work.h>
#include <cmwq/workqueue.h>

CMWQ_BEGIN_DECLS

/**
 * struct delayed_work - a work item queued after a delay
 * @work: the work item; its function receives &dwork->work
 * @timer: the timer that queues @work when it expires; timer_pending() and
 *	@timer.expires read as in the kernel.  The CPU asked for is kept in
 *	its flags (TIMER_CPUMASK), as the kernel keeps a timer's CPU: struct
 *	delayed_work has no @cpu member here, which keeps it at 0.1's size.
 * @wq: the workqueue @work is queued on when the timer expires
 */
struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
};

static inline struct delayed_work *cmwq_to_delayed_work(struct work_struct *w)
{
	return container_of(w, struct delayed_work, work);
}

/**
 * cmwq_init_delayed_work - initialise a delayed work item
 * @dwork: the item
 * @func: the function it runs
 */
CMWQ_API void cmwq_init_delayed_work(struct delayed_work *dwork,
				     work_func_t func);

/**
 * cmwq_init_delayed_work_flags - initialise a delayed work item whose timer
 * has the kernel's timer flags @tflags
 * @dwork: the item
 * @func: the function it runs
 * @tflags: 0, or TIMER_DEFERRABLE, TIMER_PINNED, TIMER_IRQSAFE; unknown
 *	flags are dropped (diagnostic)
 *
 * The flags are kept in @dwork->timer.flags, with TIMER_IRQSAFE as the
 * kernel gives every delayed item's timer; they change nothing in how the
 * item is armed and fires.  cmwq_init_delayed_work() passes 0.
 */
CMWQ_API void cmwq_init_delayed_work_flags(struct delayed_work *dwork,
					   work_func_t func,
					   unsigned int tflags);

/**
 * cmwq_queue_delayed_work_on - queue an item after a delay
 * @cpu: the CPU for a bound workqueue, or WORK_CPU_UNBOUND
 * @wq: the workqueue
 * @dwork: the item
 * @delay: jiffies to wait; 0 queues at once
 *
 * Async-signal-safe.
 *
 * Return: false if @dwork was already pending (armed or queued; its expiry
 * is left alone) or disabled, true if this call armed or queued it.
 */
CMWQ_API bool cmwq_queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
					 struct delayed_work *dwork,
					 unsigned long delay);

/**
 * cmwq_queue_delayed_work_on_ns - cmwq_queue_delayed_work_on() with a delay
 * in nanoseconds
 */
CMWQ_API bool cmwq_queue_delayed_work_on_ns(int cpu,
					    struct workqueue_struct *wq,
					    struct delayed_work *dwork,
					    unsigned long long delay_ns);

/**
 * cmwq_mod_delayed_work_on - queue an item after a delay, or change its delay
 * @cpu: the CPU, as for cmwq_queue_delayed_work_on()
 * @wq: the workqueue
 * @dwork: the item
 * @delay: jiffies from now
 *
 * Return: true if @dwork was pending and its timer was modified, false if it
 * was idle and is now armed (or disabled: then nothing is armed).
 */
CMWQ_API bool cmwq_mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
				       struct delayed_work *dwork,
				       unsigned long delay);

/** cmwq_mod_delayed_work_on_ns - cmwq_mod_delayed_work_on() in nanoseconds */
CMWQ_API bool cmwq_mod_delayed_work_on_ns(int cpu, struct workqueue_struct *wq,
					  struct delayed_work *dwork,
					  unsigned long long delay_ns);

/**
 * cmwq_flush_delayed_work - queue an armed item now and wait for it
 * @dwork: the item
 *
 * Return: true if it waited, false if @dwork was idle.
 */
CMWQ_API bool cmwq_flush_delayed_work(struct delayed_work *dwork);

/**
 * cmwq_cancel_delayed_work - stop an armed or queued item
 * @dwork: the item
 *
 * Return: true if @dwork was pending and is now not.
 */
CMWQ_API bool cmwq_cancel_delayed_work(struct delayed_work *dwork);

/**
 * cmwq_cancel_delayed_work_sync - stop an item and wait for it to finish
 * @dwork: the item
 *
 * Return: true if @dwork was pending.
 */
CMWQ_API bool cmwq_cancel_delayed_work_sync(struct delayed_work *dwork);

/** cmwq_disable_delayed_work - as cmwq_disable_work() for delayed work */
CMWQ_API bool cmwq_disable_delayed_work(struct delayed_work *dwork);

/** cmwq_disable_delayed_work_sync - as cmwq_disable_work_sync() */
CMWQ_API bool cmwq_disable_delayed_work_sync(struct delayed_work *dwork);

/** cmwq_enable_delayed_work - as cmwq_enable_work() */
CMWQ_API bool cmwq_enable_delayed_work(struct delayed_work *dwork);

/*
 * The initialiser of a delayed item whose timer has @tflags, with
 * TIMER_IRQSAFE as the kernel's; unknown flags are dropped.
 */
#define CMWQ_DELAYED_WORK_INITIALIZER_FLAGS(n, f, tflags)                    \
	{                                                                    \
		.work = CMWQ_WORK_INITIALIZER((n).work, (f)),                \
		.timer = CMWQ_TIMER_INITIALIZER(cmwq_delayed_work_timer_fn,  \
						(tflags) | TIMER_IRQSAFE),   \
		.wq = 0,                                                     \
	}

#define CMWQ_DELAYED_WORK_INITIALIZER(n, f) \
	CMWQ_DELAYED_WORK_INITIALIZER_FLAGS(n, f, 0)

#ifndef CMWQ_NO_KERNEL_NAMES
/*
 * The kernel's names: its functions are static inline functions here (a
 * function pointer to one works, a struct member of that name is not
 * rewritten), its macros are macros.
 */
#define DECLARE_DELAYED_WORK(n, f) \
	struct delayed_work n = CMWQ_DELAYED_WORK_INITIALIZER(n, f)
#define INIT_DELAYED_WORK(d, f) cmwq_init_delayed_work((d), (f))
#define INIT_DELAYED_WORK_ONSTACK(d, f) cmwq_init_delayed_work((d), (f))
#define delayed_work_pending(d) cmwq_work_pending(&(d)->work)

/*
 * Deferrable work: the kernel's deferrable timer does not wake an idle CPU
 * and may fire late, never early.  cmwq's timer service is tickless and
 * wakes only for a deadline anyway, so a deferrable item fires at its
 * deadline, as a plain one does: within the kernel's contract.  The timer's
 * flags read as the kernel's: TIMER_DEFERRABLE (and TIMER_IRQSAFE) set.
 */
#define __DELAYED_WORK_INITIALIZER(n, f, tflags) \
	CMWQ_DELAYED_WORK_INITIALIZER_FLAGS(n, f, tflags)
#define DECLARE_DEFERRABLE_WORK(n, f) \
	struct delayed_work n =       \
		CMWQ_DELAYED_WORK_INITIALIZER_FLAGS(n, f, TIMER_DEFERRABLE)
#define INIT_DEFERRABLE_WORK(d, f) \
	cmwq_init_delayed_work_flags((d), (f), TIMER_DEFERRABLE)
#define INIT_DEFERRABLE_WORK_ONSTACK(d, f) \
	cmwq_init_delayed_work_flags((d), (f), TIMER_DEFERRABLE)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return cmwq_to_delayed_work(work);
}

static inline void destroy_delayed_work_on_stack(struct delayed_work *dwork)
{
	cmwq_destroy_work_on_stack(&dwork->work);
}

static inline bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
					 struct delayed_work *dwork,
					 unsigned long delay)
{
	return cmwq_queue_delayed_work_on(cpu, wq, dwork, delay);
}

static inline bool queue_delayed_work(struct workqueue_struct *wq,
				      struct delayed_work *dwork,
				      unsigned long delay)
{
	return cmwq_queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool schedule_delayed_work(struct delayed_work *dwork,
					 unsigned long delay)
{
	return cmwq_queue_delayed_work_on(WORK_CPU_UNBOUND, cmwq_system_wq,
					  dwork, delay);
}

static inline bool schedule_delayed_work_on(int cpu, struct delayed_work *dwork,
					    unsigned long delay)
{
	return cmwq_queue_delayed_work_on(cpu, cmwq_system_wq, dwork, delay);
}

static inline bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
				       struct delayed_work *dwork,
				       unsigned long delay)
{
	return cmwq_mod_delayed_work_on(cpu, wq, dwork, delay);
}

static inline bool mod_delayed_work(struct workqueue_struct *wq,
				    struct delayed_work *dwork,
				    unsigned long delay)
{
	return cmwq_mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool flush_delayed_work(struct delayed_work *dwork)
{
	return cmwq_flush_delayed_work(dwork);
}

static inline bool cancel_delayed_work(struct delayed_work *dwork)
{
	return cmwq_cancel_delayed_work(dwork);
}

static inline bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return cmwq_cancel_delayed_work_sync(dwork);
}

static inline bool disable_delayed_work(struct delayed_work *dwork)
{
	return cmwq_disable_delayed_work(dwork);
}

static inline bool disable_delayed_work_sync(struct delayed_work *dwork)
{
	return cmwq_disable_delayed_work_sync(dwork);
}

static inline bool enable_delayed_work(struct delayed_work *dwork)
{
	return cmwq_enable_delayed_work(dwork);
}
#endif

CMWQ_END_DECLS

#endif /* CMWQ_DELAYED_H */
