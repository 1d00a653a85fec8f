/* SPDX-License-Identifier: MIT */
/*
 * lockdep.h - the library's lock order, and its check in debug mode
 *
 * THE LOCK ORDER (the one statement of it; docs/design.md and internal.h
 * point here).  A thread may take a lock only while every lock it holds
 * comes earlier in this list:
 *
 *   bh lock (a CPU's BH items, held while one runs; only tried)
 *   -> monitor_lock -> wqs_mutex -> wq->mutex -> pools_mutex
 *   -> pool->lock (one at a time, but fork.c's lock-all, which nests them)
 *   -> a workqueue's node count (struct wq_node_active, one at a time)
 *   -> mayday_lock -> the dwork timer base -> the callback timer base
 *   -> leaves: the object caches, the debug-objects table, the watchdog
 *      callback, fault injection, the BH report table
 *
 * (The busy buckets of worker.c are spinlocks under pool->lock, taken
 * with nothing else; they are not tracked.)
 *
 * With CMWQ_DEBUG_LOCKS=1 every tracked lock records, per thread, what it
 * was taken under; taking a lock while holding one that does not come
 * earlier is reported once per pair of classes, with both places -- where
 * the held lock was taken and where the new one is -- as the kernel's
 * lockdep reports a possible deadlock before it happens.  Off (the
 * default), a lock costs one predicted branch more.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_LOCKDEP_H
#define CMWQ_LOCKDEP_H

#include <pthread.h>
#include <stdbool.h>

enum lock_class {
	LC_BH,
	LC_MONITOR,
	LC_WQS,
	LC_WQ,
	LC_POOLS,
	LC_POOL,
	LC_NODE_ACTIVE,
	LC_MAYDAY,
	LC_TIMER_DWORK,
	LC_TIMER_CALLBACK,
	LC_OBJCACHE,
	LC_DEBUGOBJ,
	LC_WATCHDOG_CB,
	LC_FAULT,
	LC_BH_SEEN,
	NR_LOCK_CLASSES
};

/* (I) after start-up: CMWQ_DEBUG_LOCKS=1 */
extern bool cmwq_lockdep_on;

void cmwq_lockdep_acquire(enum lock_class cls, bool nested, const char *file,
			  int line);
void cmwq_lockdep_record(enum lock_class cls, const char *file, int line);
void cmwq_lockdep_release(enum lock_class cls);
const char *cmwq_lock_class_name(enum lock_class cls);

static inline void cmwq_mutex_lock_at(pthread_mutex_t *m,
				      enum lock_class cls, bool nested,
				      const char *file, int line)
{
	if (__builtin_expect(cmwq_lockdep_on, 0))
		cmwq_lockdep_acquire(cls, nested, file, line);
	pthread_mutex_lock(m);
}

/* Taken with its order checked (before it is taken: a report, no hang). */
#define cmwq_mutex_lock(m, cls) \
	cmwq_mutex_lock_at((m), (cls), false, __FILE__, __LINE__)
/* A second lock of the same class, where the code nests them on purpose. */
#define cmwq_mutex_lock_nested(m, cls) \
	cmwq_mutex_lock_at((m), (cls), true, __FILE__, __LINE__)

static inline void cmwq_mutex_unlock(pthread_mutex_t *m, enum lock_class cls)
{
	pthread_mutex_unlock(m);
	if (__builtin_expect(cmwq_lockdep_on, 0))
		cmwq_lockdep_release(cls);
}

/* A trylock never waits, so it cannot deadlock: recorded, not checked. */
static inline bool cmwq_mutex_trylock_at(pthread_mutex_t *m,
					 enum lock_class cls, const char *file,
					 int line)
{
	if (pthread_mutex_trylock(m))
		return false;
	if (__builtin_expect(cmwq_lockdep_on, 0))
		cmwq_lockdep_record(cls, file, line);
	return true;
}

#define cmwq_mutex_trylock(m, cls) \
	cmwq_mutex_trylock_at((m), (cls), __FILE__, __LINE__)

#endif /* CMWQ_LOCKDEP_H */
