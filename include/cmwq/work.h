/* SPDX-License-Identifier: MIT */
/*
 * cmwq/work.h - work items
 *
 * A work item is a struct the caller embeds in its own data.  Queueing it
 * allocates nothing: the item itself is linked into the queue.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_WORK_H
#define CMWQ_WORK_H

#include <cmwq/compiler.h>

CMWQ_BEGIN_DECLS

struct work_struct;

/**
 * typedef work_func_t - the function a work item runs
 * @work: the work item; container_of() recovers the enclosing struct
 */
typedef void (*work_func_t)(struct work_struct *work);

/**
 * struct work_struct - a work item (32 bytes on 64-bit)
 * @data: state word, owned by the library (pending bit, queue link or last
 *	pool, disable count); read and written only with atomics
 * @entry: link in the library's lists while queued
 * @func: the function to run
 *
 * Initialise with INIT_WORK() or DECLARE_WORK() before first use and never
 * touch the fields directly.
 */
struct work_struct {
	unsigned long data;
	struct list_head entry;
	work_func_t func;
};

/* The value of @data of an idle, never queued item. */
#define CMWQ_WORK_DATA_INIT 0UL
/*
 * The value DECLARE_WORK() leaves: idle, marked as statically initialised
 * for the debug mode (CMWQ_DEBUG_OBJECTS=1).
 */
#define CMWQ_WORK_DATA_STATIC (0x5aUL << 40)

/**
 * cmwq_init_work - initialise a work item
 * @work: the item
 * @func: the function it runs
 *
 * Re-initialising an item that is still pending would corrupt the queue it
 * is on: that is refused with a diagnostic on stderr and the item is left as
 * it was.
 */
CMWQ_API void cmwq_init_work(struct work_struct *work, work_func_t func);

/**
 * cmwq_work_pending - is the item queued and not yet started?
 * @work: the item
 *
 * Return: true while the item is pending (queued, or armed if delayed).
 */
CMWQ_API bool cmwq_work_pending(const struct work_struct *work);

/**
 * cmwq_destroy_work_on_stack - an on-stack item goes out of scope
 * @work: the item
 *
 * In the debug mode (CMWQ_DEBUG_OBJECTS=1) reports an item still pending
 * or running and stops tracking it; otherwise does nothing.
 */
CMWQ_API void cmwq_destroy_work_on_stack(struct work_struct *work);

#define CMWQ_WORK_INITIALIZER(n, f)                               \
	{                                                         \
		.data = CMWQ_WORK_DATA_STATIC,                    \
		.entry = { &(n).entry, &(n).entry }, .func = (f), \
	}

#ifndef CMWQ_NO_KERNEL_NAMES
#define __WORK_INITIALIZER(n, f) CMWQ_WORK_INITIALIZER(n, f)
#define DECLARE_WORK(n, f) struct work_struct n = CMWQ_WORK_INITIALIZER(n, f)
#define INIT_WORK(_work, _func) cmwq_init_work((_work), (_func))
#define INIT_WORK_ONSTACK(_work, _func) cmwq_init_work((_work), (_func))
static inline void destroy_work_on_stack(struct work_struct *work)
{
	cmwq_destroy_work_on_stack(work);
}
#define work_pending(_work) cmwq_work_pending(_work)
/* The struct around @callback_work, typed as *@var (the kernel's 6.9 name). */
#define from_work(var, callback_work, work_fieldname) \
	container_of(callback_work, __typeof__(*(var)), work_fieldname)
#endif

CMWQ_END_DECLS

#endif /* CMWQ_WORK_H */
