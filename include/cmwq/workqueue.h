/* SPDX-License-Identifier: MIT */
/*
 * cmwq/workqueue.h - workqueues: allocation, queueing, flushing, cancelling
 *
 * The API of the Linux kernel's include/linux/workqueue.h.  Every function is
 * exported with a cmwq_ prefix; the kernel's names are macros over them
 * unless CMWQ_NO_KERNEL_NAMES is defined.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_WORKQUEUE_H
#define CMWQ_WORKQUEUE_H

#include <cmwq/compiler.h>
#include <cmwq/work.h>

#include <stdarg.h>
#include <stdio.h>

CMWQ_BEGIN_DECLS

/* Opaque handle of a workqueue. */
struct workqueue_struct;

/* Flags of alloc_workqueue(). */
enum {
	/*
	 * Bottom-half workqueue (the kernel's replacement for tasklets):
	 * items run on the CPU they were queued on, in queueing order, one
	 * at a time per CPU, on that CPU's single BH worker (SCHED_FIFO
	 * where the process may use it).  They must not sleep.  Only
	 * WQ_HIGHPRI and WQ_PERCPU may go with it, and max_active must be 0.
	 */
	WQ_BH = 1 << 0,
	/* Not bound to a CPU: served by a shared unbound pool. */
	WQ_UNBOUND = 1 << 1,
	/* Frozen by freeze_workqueues_begin(), released by thaw. */
	WQ_FREEZABLE = 1 << 2,
	/* Guaranteed forward progress: has a rescuer thread. */
	WQ_MEM_RECLAIM = 1 << 3,
	/* Served by the high-priority pools. */
	WQ_HIGHPRI = 1 << 4,
	/* Items do not take part in concurrency management. */
	WQ_CPU_INTENSIVE = 1 << 5,
	/* Accepted for source compatibility; no effect. */
	WQ_SYSFS = 1 << 6,
	/* Accepted for source compatibility; no effect. */
	WQ_POWER_EFFICIENT = 1 << 7,
	/* Explicitly per-CPU (the default when WQ_UNBOUND is absent). */
	WQ_PERCPU = 1 << 8,

	/* Internal: one item at a time in queueing order. */
	__WQ_ORDERED = 1 << 17,
	/* Internal: created through a legacy create_*workqueue() call. */
	__WQ_LEGACY = 1 << 18,

	/* The kernel's limits. */
	WQ_MAX_ACTIVE = 2048,
	WQ_UNBOUND_MAX_ACTIVE = WQ_MAX_ACTIVE,
	WQ_DFL_ACTIVE = WQ_MAX_ACTIVE / 2,
	/* Interdependent items an unbound workqueue can always run at once. */
	WQ_DFL_MIN_ACTIVE = 8,
};

/* Bits of the value work_busy() returns. */
enum {
	WORK_BUSY_PENDING = 1 << 0,
	WORK_BUSY_RUNNING = 1 << 1,
};

/* The "any CPU" value for queue_work_on() and workqueue_congested(). */
#define WORK_CPU_UNBOUND (-1)

/*
 * The system workqueues, created when the library loads (no thread is
 * started until work is queued).
 */
CMWQ_API extern struct workqueue_struct *cmwq_system_wq;
CMWQ_API extern struct workqueue_struct *cmwq_system_percpu_wq;
CMWQ_API extern struct workqueue_struct *cmwq_system_highpri_wq;
CMWQ_API extern struct workqueue_struct *cmwq_system_long_wq;
CMWQ_API extern struct workqueue_struct *cmwq_system_unbound_wq;
CMWQ_API extern struct workqueue_struct *cmwq_system_dfl_wq;
CMWQ_API extern struct workqueue_struct *cmwq_system_freezable_wq;
/* WQ_BH: the kernel's system_bh_wq and system_bh_highpri_wq. */
CMWQ_API extern struct workqueue_struct *cmwq_system_bh_wq;
CMWQ_API extern struct workqueue_struct *cmwq_system_bh_highpri_wq;

/**
 * cmwq_init - start the library now
 *
 * Optional: the library starts itself when loaded, and starts its manager
 * thread at the first alloc_workqueue() or, failing that, when the first
 * work item needs a worker.  Starting a thread is not async-signal-safe, so
 * a program whose first use of the library may be a queue_work() on a
 * system workqueue from a signal handler calls this first.
 *
 * Return: 0, or -errno when the manager thread cannot be started.
 */
CMWQ_API int cmwq_init(void);

/**
 * cmwq_alloc_workqueue - allocate a workqueue
 * @fmt: printf format for the name of the workqueue
 * @flags: WQ_* flags
 * @max_active: most items of this workqueue active at once, per CPU for a
 *	bound workqueue and in total for an unbound one; 0 selects
 *	WQ_DFL_ACTIVE; values outside 1..WQ_MAX_ACTIVE are clamped with a
 *	warning, as the kernel does
 *
 * No thread is started: workers are created when work is queued.
 *
 * A WQ_BH workqueue takes no other flag than WQ_HIGHPRI and WQ_PERCPU,
 * and @max_active 0, as in the kernel; anything else is refused.
 *
 * Return: the workqueue, or NULL (errno set): ENOMEM when memory is short,
 * EINVAL when @fmt is NULL, @flags has unknown bits, or a WQ_BH workqueue
 * is asked for with other flags or a @max_active other than 0 (named in a
 * diagnostic).  A name longer than 63 characters is cut, with a warning.
 */
CMWQ_API struct workqueue_struct *
cmwq_alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
	CMWQ_PRINTF(1, 4);

/**
 * cmwq_destroy_workqueue - drain and free a workqueue
 * @wq: the workqueue
 *
 * Drains @wq (see cmwq_drain_workqueue()) and frees it.  If work remains
 * that draining cannot finish (a delayed item still armed on @wq, or @wq is
 * not a live workqueue) the call refuses: it prints a diagnostic, frees
 * nothing and returns an error.
 *
 * Return: 0, -EBUSY when armed delayed work remains, -EINVAL when @wq is
 * NULL or not a live workqueue (destroyed twice).
 */
CMWQ_API int cmwq_destroy_workqueue(struct workqueue_struct *wq);

/**
 * cmwq_workqueue_set_max_active - change max_active of a workqueue
 * @wq: the workqueue (not an ordered one)
 * @max_active: the new limit, clamped as by cmwq_alloc_workqueue()
 */
/**
 * cmwq_workqueue_set_min_active - set min_active of an unbound workqueue
 * @wq: an unbound workqueue, not an ordered one
 * @min_active: the number of interdependent items it must be able to run
 *	at once; clamped to 0..max_active
 *
 * An unbound workqueue's max_active is shared between its pods (see enum
 * wq_affn_scope) in proportion to their CPUs, each getting at least
 * min_active (WQ_DFL_MIN_ACTIVE, or max_active if lower), as the kernel
 * shares it between NUMA nodes.  The value is clamped as the kernel does
 * and shown in the stats.
 * Another kind of workqueue gets a diagnostic and no change, as the
 * kernel's WARN_ON.
 */
CMWQ_API void cmwq_workqueue_set_min_active(struct workqueue_struct *wq,
					    int min_active);

CMWQ_API void cmwq_workqueue_set_max_active(struct workqueue_struct *wq,
					    int max_active);

/**
 * cmwq_queue_work_on - queue a work item on a CPU
 * @cpu: the CPU for a bound workqueue, or WORK_CPU_UNBOUND for the calling
 *	thread's CPU; ignored by unbound workqueues
 * @wq: the workqueue
 * @work: the item
 *
 * Async-signal-safe: may be called from a signal handler.  Allocates
 * nothing and takes no lock.  Stores made before the call are visible to
 * the work function.
 *
 * Return: false if @work was already pending (it will still run once) or is
 * disabled, true if this call queued it.
 */
CMWQ_API bool cmwq_queue_work_on(int cpu, struct workqueue_struct *wq,
				 struct work_struct *work);

/**
 * cmwq_flush_work - wait for a work item to finish its last queued instance
 * @work: the item
 *
 * Return: true if it waited, false if @work was idle.
 */
CMWQ_API bool cmwq_flush_work(struct work_struct *work);

/**
 * cmwq_flush_workqueue - wait for every item queued on @wq before the call
 * @wq: the workqueue
 *
 * Items queued after the call starts are not waited for.
 */
CMWQ_API void cmwq_flush_workqueue(struct workqueue_struct *wq);

/**
 * cmwq_drain_workqueue - flush @wq until it is empty
 * @wq: the workqueue
 *
 * While draining, only work items of @wq itself may queue on @wq (chained
 * work); other queueing is refused with a diagnostic.
 */
CMWQ_API void cmwq_drain_workqueue(struct workqueue_struct *wq);

/**
 * cmwq_cancel_work - take a pending item off its queue
 * @work: the item
 *
 * Does not wait for a running instance.
 *
 * Return: true if @work was pending and is now not.
 */
CMWQ_API bool cmwq_cancel_work(struct work_struct *work);

/**
 * cmwq_cancel_work_sync - cancel an item and wait for it to finish
 * @work: the item
 *
 * On return @work is neither pending nor running, even if it requeues
 * itself.  Must not be called from @work itself.
 *
 * Return: true if @work was pending.
 */
CMWQ_API bool cmwq_cancel_work_sync(struct work_struct *work);

/**
 * cmwq_disable_work - cancel an item and refuse further queueing
 * @work: the item
 *
 * Disabling nests: each call must be matched by cmwq_enable_work().  While
 * disabled, queueing returns false.
 *
 * Return: true if @work was pending.
 */
CMWQ_API bool cmwq_disable_work(struct work_struct *work);

/**
 * cmwq_disable_work_sync - disable an item and wait for it to finish
 * @work: the item
 *
 * Return: true if @work was pending.
 */
CMWQ_API bool cmwq_disable_work_sync(struct work_struct *work);

/**
 * cmwq_enable_work - undo one cmwq_disable_work()
 * @work: the item
 *
 * Return: true when the disable count dropped to zero.  Enabling an item
 * that is not disabled prints a diagnostic and returns false.
 */
CMWQ_API bool cmwq_enable_work(struct work_struct *work);

/**
 * cmwq_work_busy - is a work item pending or running?
 * @work: the item
 *
 * The answer may be stale when it is returned: for diagnostics only.
 *
 * Return: an OR of WORK_BUSY_PENDING and WORK_BUSY_RUNNING.
 */
CMWQ_API unsigned int cmwq_work_busy(struct work_struct *work);

/**
 * cmwq_current_work - the work item the calling worker is running
 *
 * Return: the item, or NULL when the caller is not a cmwq worker.
 */
CMWQ_API struct work_struct *cmwq_current_work(void);

/**
 * cmwq_current_is_workqueue_rescuer - is the caller a rescuer thread?
 *
 * Return: true in a work item that a WQ_MEM_RECLAIM workqueue's rescuer
 * runs (because no worker could be started for it), false elsewhere.
 */
CMWQ_API bool cmwq_current_is_workqueue_rescuer(void);

/**
 * cmwq_wq_watchdog_touch - tell the watchdog that a long stall is expected
 * @cpu: the CPU whose per-CPU pools restart their stall clocks, or -1
 *
 * Every unbound pool and workqueue restarts its stall clock too, as in the
 * kernel.  Lock-free and async-signal-safe.
 */
CMWQ_API void cmwq_wq_watchdog_touch(int cpu);

/**
 * cmwq_work_on_cpu - run @fn(@arg) in a work item on @cpu and wait for it
 * @cpu: the CPU, one this process may run on
 * @fn: the function
 * @arg: its argument
 *
 * The item runs on system_percpu_wq, whose workers are pinned to @cpu.
 * The caller must not hold what @fn needs.
 *
 * Return: what @fn returned; -EINVAL (with a diagnostic) when @fn is NULL
 * or @cpu is not a CPU this process may run on.
 */
CMWQ_API long cmwq_work_on_cpu(int cpu, long (*fn)(void *arg), void *arg);

/**
 * cmwq_schedule_on_each_cpu - run @func in a work item on every CPU, wait
 * @func: the work function; each call gets its own item
 *
 * Return: 0, -ENOMEM when the items cannot be allocated (nothing runs then),
 * -EINVAL when @func is NULL.
 */
CMWQ_API int cmwq_schedule_on_each_cpu(work_func_t func);

/**
 * cmwq_workqueue_congested - does @wq have items waiting for max_active?
 * @cpu: the CPU, or WORK_CPU_UNBOUND for the caller's; ignored for unbound
 *	workqueues
 * @wq: the workqueue
 *
 * Return: true if items of @wq wait on @cpu because max_active is reached.
 */
CMWQ_API bool cmwq_workqueue_congested(int cpu, struct workqueue_struct *wq);

/**
 * cmwq_set_worker_desc - describe what the current worker is doing
 * @fmt: printf format
 *
 * The text is shown with the worker in dumps and appended to the thread's
 * name ("kworker/0:1+desc", cut to the 15 characters Linux keeps) until the
 * current item returns.  No effect outside a worker.
 */
CMWQ_API void cmwq_set_worker_desc(const char *fmt, ...) CMWQ_PRINTF(1, 2);

/**
 * cmwq_workqueue_name - the name a workqueue was allocated with
 * @wq: the workqueue
 */
CMWQ_API const char *cmwq_workqueue_name(const struct workqueue_struct *wq);

/**
 * cmwq_set_idle_timeout_ms - how long surplus idle workers live
 * @ms: milliseconds (default 300000); workers beyond two idle per pool exit
 *	after being idle this long
 *
 * Also settable with the environment variable CMWQ_IDLE_TIMEOUT_MS.
 */
CMWQ_API void cmwq_set_idle_timeout_ms(unsigned int ms);

/**
 * enum wq_affn_scope - how an unbound workqueue splits its CPUs into pods
 * @WQ_AFFN_DFL: the default scope (cmwq_set_default_affinity_scope(), the
 *	environment variable CMWQ_AFFINITY_SCOPE; cache_shard, as Linux 7.1)
 * @WQ_AFFN_CPU: one pod per CPU
 * @WQ_AFFN_SMT: one pod per core (its SMT siblings)
 * @WQ_AFFN_CACHE: one pod per last-level cache
 * @WQ_AFFN_CACHE_SHARD: a last-level cache split into shards of at most
 *	CMWQ_CACHE_SHARD_SIZE cores (default 8) and their siblings
 * @WQ_AFFN_NUMA: one pod per NUMA node
 * @WQ_AFFN_SYSTEM: one pod for the whole system
 * @WQ_AFFN_NR_TYPES: the number of scopes
 *
 * An unbound workqueue has one pool_workqueue per pod; an item queued from
 * a CPU (or with queue_work_on() for it) runs in the pool of that CPU's
 * pod.  The pods come from the CPU topology in sysfs, or from the tree
 * that CMWQ_SYSFS_ROOT names (a directory laid out as /sys/devices/system).
 */
enum wq_affn_scope {
	WQ_AFFN_DFL,
	WQ_AFFN_CPU,
	WQ_AFFN_SMT,
	WQ_AFFN_CACHE,
	WQ_AFFN_CACHE_SHARD,
	WQ_AFFN_NUMA,
	WQ_AFFN_SYSTEM,
	WQ_AFFN_NR_TYPES,
};

/* Attributes of unbound workqueues: pools are shared by equal attributes. */
#define CMWQ_MAX_CPUS 1024
struct workqueue_attrs {
	/* nice value of the workers, -20..19 */
	int nice;
	/*
	 * Workers stay on their pod's CPUs (true), or start there and may
	 * be moved by the scheduler within @cpumask (false, the default).
	 */
	bool affn_strict;
	/* Ordered workqueue: one pod for all CPUs (set by the library). */
	bool ordered;
	/*
	 * How the CPUs are split into pods: an enum wq_affn_scope
	 * (WQ_AFFN_DFL: the default).  A byte, not the enum, so that these
	 * three fit where 0.1 had padding (docs/abi.md); the kernel's
	 * __pod_cpumask is internal and not here.
	 */
	unsigned char affn_scope;
	unsigned char __reserved;
	/* CPUs the workers may run on (bit i = CPU i); all zero = all CPUs */
	unsigned long cpumask[CMWQ_MAX_CPUS / (8 * sizeof(unsigned long))];
};

/**
 * cmwq_alloc_workqueue_attrs - allocate default attributes (nice 0, all CPUs)
 *
 * Return: the attributes, or NULL when memory is short.
 */
CMWQ_API struct workqueue_attrs *cmwq_alloc_workqueue_attrs(void);

/**
 * cmwq_free_workqueue_attrs - free attributes
 * @attrs: from cmwq_alloc_workqueue_attrs(), or NULL
 */
CMWQ_API void cmwq_free_workqueue_attrs(struct workqueue_attrs *attrs);

/**
 * cmwq_apply_workqueue_attrs - move an unbound workqueue to other workers
 * @wq: an unbound workqueue that is not ordered
 * @attrs: the attributes: nice, cpumask, affn_scope, affn_strict
 *
 * Items queued after the call run in the pools of @attrs, one per pod of
 * @attrs->affn_scope within @attrs->cpumask.  Items queued before it, and
 * those running, finish in the pools they were queued to; flushes wait
 * for both.  The replaced pool_workqueues are freed when their last item
 * is done.
 *
 * Return: 0, -EINVAL for a bound or ordered workqueue or bad attributes
 * (nice outside -20..19, an unknown scope, a cpumask with no CPU of this
 * process), -ENOMEM.
 */
CMWQ_API int cmwq_apply_workqueue_attrs(struct workqueue_struct *wq,
					const struct workqueue_attrs *attrs);

/**
 * cmwq_set_default_affinity_scope - the scope of WQ_AFFN_DFL workqueues
 * @scope: any scope but WQ_AFFN_DFL
 *
 * The kernel's workqueue.default_affinity_scope.  Unbound workqueues whose
 * attributes say WQ_AFFN_DFL move to the pods of @scope, with work in
 * flight as cmwq_apply_workqueue_attrs() does.
 *
 * Return: 0, -EINVAL for WQ_AFFN_DFL or an unknown scope, -ENOMEM.
 */
CMWQ_API int cmwq_set_default_affinity_scope(enum wq_affn_scope scope);

/**
 * cmwq_default_affinity_scope - the scope WQ_AFFN_DFL stands for now
 */
CMWQ_API enum wq_affn_scope cmwq_default_affinity_scope(void);

/**
 * cmwq_affinity_scope_name - a scope's name as the kernel spells it
 * @scope: the scope
 *
 * Return: "default", "cpu", "smt", "cache", "cache_shard", "numa",
 * "system", or "?" for a value that is not a scope.
 */
CMWQ_API const char *cmwq_affinity_scope_name(enum wq_affn_scope scope);

/**
 * cmwq_freeze_workqueues_begin - start freezing the freezable workqueues
 *
 * New items on WQ_FREEZABLE workqueues wait; items already started or
 * queued to a pool run to completion.  Use cmwq_freeze_workqueues_busy()
 * to learn when they have, and cmwq_thaw_workqueues() to release the
 * waiting items in queueing order.  Useful to quiesce background work for a
 * checkpoint or a configuration reload.
 */
CMWQ_API void cmwq_freeze_workqueues_begin(void);

/**
 * cmwq_freeze_workqueues_busy - are freezable items still running?
 *
 * Return: true while a WQ_FREEZABLE workqueue has an item active (queued
 * to a pool or running) after cmwq_freeze_workqueues_begin().
 */
CMWQ_API bool cmwq_freeze_workqueues_busy(void);

/** cmwq_thaw_workqueues - end freezing; waiting items run in order */
CMWQ_API void cmwq_thaw_workqueues(void);

/**
 * typedef cmwq_watchdog_fn - receives a stall report
 * @report: the text, one or more lines
 * @arg: as given to cmwq_set_watchdog()
 */
typedef void (*cmwq_watchdog_fn)(const char *report, void *arg);

/**
 * cmwq_set_watchdog - configure the stall watchdog
 * @thresh_ms: a pool whose queued work has not moved for this long is
 *	reported, once per stall (default 30000; 0 disables; also
 *	CMWQ_WATCHDOG_THRESH_MS)
 * @fn: receives the report; NULL prints it on stderr
 * @arg: passed to @fn
 *
 * The report names the pool, its CPU, the queued count, and each busy
 * worker with the function it runs.
 */
CMWQ_API void cmwq_set_watchdog(unsigned int thresh_ms, cmwq_watchdog_fn fn,
				void *arg);

static inline bool cmwq_queue_work(struct workqueue_struct *wq,
				   struct work_struct *work)
{
	return cmwq_queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

#ifndef CMWQ_NO_KERNEL_NAMES
/*
 * The kernel's names: its functions are static inline functions here (a
 * function pointer to one works, a struct member of that name is not
 * rewritten), its macros are macros.
 */
#define system_wq cmwq_system_wq
#define system_percpu_wq cmwq_system_percpu_wq
#define system_highpri_wq cmwq_system_highpri_wq
#define system_long_wq cmwq_system_long_wq
#define system_unbound_wq cmwq_system_unbound_wq
#define system_dfl_wq cmwq_system_dfl_wq
#define system_freezable_wq cmwq_system_freezable_wq
#define system_bh_wq cmwq_system_bh_wq
#define system_bh_highpri_wq cmwq_system_bh_highpri_wq
/*
 * WQ_POWER_EFFICIENT has no effect here (the kernel's
 * workqueue.power_efficient is off by default too), so the power-efficient
 * queues are the ones they stand for.  system_dfl_long_wq, the kernel's
 * unbound queue for long items, is system_unbound_wq: one item that runs
 * long never holds up the others there either.
 */
#define system_power_efficient_wq cmwq_system_wq
#define system_freezable_power_efficient_wq cmwq_system_freezable_wq
#define system_dfl_long_wq cmwq_system_unbound_wq

#define alloc_workqueue(fmt, flags, max_active, ...) \
	cmwq_alloc_workqueue(fmt, flags, max_active, ##__VA_ARGS__)
#define alloc_ordered_workqueue(fmt, flags, ...)                          \
	cmwq_alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED | (flags), 1, \
			     ##__VA_ARGS__)
static inline void destroy_workqueue(struct workqueue_struct *wq)
{
	(void)cmwq_destroy_workqueue(wq);
}

static inline void workqueue_set_min_active(struct workqueue_struct *wq,
					    int min_active)
{
	cmwq_workqueue_set_min_active(wq, min_active);
}

static inline void workqueue_set_max_active(struct workqueue_struct *wq,
					    int max_active)
{
	cmwq_workqueue_set_max_active(wq, max_active);
}

/* The legacy calls, mapped as the CMWQ conversion table maps them. */
#define create_workqueue(name) \
	cmwq_alloc_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, 1, (name))
#define create_singlethread_workqueue(name)                            \
	cmwq_alloc_workqueue("%s",                                     \
			     WQ_UNBOUND | __WQ_ORDERED | __WQ_LEGACY | \
				     WQ_MEM_RECLAIM,                   \
			     1, (name))
#define create_freezable_workqueue(name)                               \
	cmwq_alloc_workqueue("%s",                                     \
			     __WQ_LEGACY | WQ_FREEZABLE | WQ_UNBOUND | \
				     WQ_MEM_RECLAIM,                   \
			     1, (name))

static inline bool queue_work(struct workqueue_struct *wq,
			      struct work_struct *work)
{
	return cmwq_queue_work(wq, work);
}

static inline bool queue_work_on(int cpu, struct workqueue_struct *wq,
				 struct work_struct *work)
{
	return cmwq_queue_work_on(cpu, wq, work);
}

static inline bool schedule_work(struct work_struct *work)
{
	return cmwq_queue_work(cmwq_system_wq, work);
}

static inline bool schedule_work_on(int cpu, struct work_struct *work)
{
	return cmwq_queue_work_on(cpu, cmwq_system_wq, work);
}

static inline bool flush_work(struct work_struct *work)
{
	return cmwq_flush_work(work);
}

static inline void flush_workqueue(struct workqueue_struct *wq)
{
	cmwq_flush_workqueue(wq);
}

static inline void drain_workqueue(struct workqueue_struct *wq)
{
	cmwq_drain_workqueue(wq);
}

static inline bool cancel_work(struct work_struct *work)
{
	return cmwq_cancel_work(work);
}

static inline bool cancel_work_sync(struct work_struct *work)
{
	return cmwq_cancel_work_sync(work);
}

static inline bool disable_work(struct work_struct *work)
{
	return cmwq_disable_work(work);
}

static inline bool disable_work_sync(struct work_struct *work)
{
	return cmwq_disable_work_sync(work);
}

static inline bool enable_work(struct work_struct *work)
{
	return cmwq_enable_work(work);
}

static inline unsigned int work_busy(struct work_struct *work)
{
	return cmwq_work_busy(work);
}

static inline struct work_struct *current_work(void)
{
	return cmwq_current_work();
}

static inline bool workqueue_congested(int cpu, struct workqueue_struct *wq)
{
	return cmwq_workqueue_congested(cpu, wq);
}

static inline struct workqueue_attrs *alloc_workqueue_attrs(void)
{
	return cmwq_alloc_workqueue_attrs();
}

static inline void free_workqueue_attrs(struct workqueue_attrs *attrs)
{
	cmwq_free_workqueue_attrs(attrs);
}

static inline int apply_workqueue_attrs(struct workqueue_struct *wq,
					const struct workqueue_attrs *attrs)
{
	return cmwq_apply_workqueue_attrs(wq, attrs);
}

static inline void freeze_workqueues_begin(void)
{
	cmwq_freeze_workqueues_begin();
}

static inline bool freeze_workqueues_busy(void)
{
	return cmwq_freeze_workqueues_busy();
}

static inline void thaw_workqueues(void)
{
	cmwq_thaw_workqueues();
}

/* The kernel's length of a worker description, the NUL included. */
#define WORKER_DESC_LEN 32

static inline void set_worker_desc(const char *fmt, ...) CMWQ_PRINTF(1, 2);
static inline void set_worker_desc(const char *fmt, ...)
{
	char desc[WORKER_DESC_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	cmwq_set_worker_desc("%s", desc);
}

/* No NUMA node: any. */
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

/*
 * Queue on a CPU of NUMA node @node.  cmwq's unbound pools are not split
 * by node, so @node is a hint it does not use: the item is queued as by
 * queue_work().
 */
static inline bool queue_work_node(int node, struct workqueue_struct *wq,
				   struct work_struct *work)
{
	(void)node;
	return cmwq_queue_work(wq, work);
}

/* Enable @work and, if that made it usable again, queue it: as the kernel. */
static inline bool enable_and_queue_work(struct workqueue_struct *wq,
					 struct work_struct *work)
{
	if (cmwq_enable_work(work)) {
		cmwq_queue_work(wq, work);
		return true;
	}
	return false;
}

static inline bool current_is_workqueue_rescuer(void)
{
	return cmwq_current_is_workqueue_rescuer();
}

static inline void wq_watchdog_touch(int cpu)
{
	cmwq_wq_watchdog_touch(cpu);
}

static inline void __flush_workqueue(struct workqueue_struct *wq)
{
	cmwq_flush_workqueue(wq);
}

/*
 * lockdep's class key: work_on_cpu_key() takes one, which kernel code
 * defines (static struct lock_class_key key;); unused here.  The kernel's
 * is an empty struct without lockdep; this one has a byte, so C and C++
 * agree on its size.
 */
struct lock_class_key {
	char cmwq_unused;
};

static inline long work_on_cpu_key(int cpu, long (*fn)(void *), void *arg,
				   struct lock_class_key *key)
{
	(void)key;
	return cmwq_work_on_cpu(cpu, fn, arg);
}

/* No CPU goes offline under a process: the same as work_on_cpu_key(). */
static inline long work_on_cpu_safe_key(int cpu, long (*fn)(void *), void *arg,
					struct lock_class_key *key)
{
	(void)key;
	return cmwq_work_on_cpu(cpu, fn, arg);
}

/* Macros in the kernel, which give each call site its own lockdep key. */
#define work_on_cpu(_cpu, _fn, _arg) cmwq_work_on_cpu(_cpu, _fn, _arg)
#define work_on_cpu_safe(_cpu, _fn, _arg) cmwq_work_on_cpu(_cpu, _fn, _arg)

static inline int schedule_on_each_cpu(work_func_t func)
{
	return cmwq_schedule_on_each_cpu(func);
}

/* execute_in_process_context()'s item. */
struct execute_work {
	struct work_struct work;
};

/*
 * The kernel runs @fn at once in process context and defers it from
 * interrupt context.  Every caller here is in a thread's context; a signal
 * handler, the one analogue of interrupt context, cannot be told apart,
 * and must call schedule_work() instead.  Return: 0, @fn has run.
 */
static inline int execute_in_process_context(work_func_t fn,
					     struct execute_work *ew)
{
	cmwq_init_work(&ew->work, fn);
	fn(&ew->work);
	return 0;
}

/* A macro in the kernel, which warns against it. */
#define flush_scheduled_work() cmwq_flush_workqueue(cmwq_system_wq)
#endif

CMWQ_END_DECLS

#endif /* CMWQ_WORKQUEUE_H */
