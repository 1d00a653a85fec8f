// SPDX-License-Identifier: MIT
/*
 * lockdep.c - the lock-order check of debug mode (CMWQ_DEBUG_LOCKS=1)
 *
 * The order itself is written once, in lockdep.h.  Each thread counts the
 * locks it holds by class (thread-local: no lock of its own, so it is
 * safe wherever a lock is taken); taking a lock whose class does not come
 * after every held one's is reported once per pair of classes, with the
 * place the held class was first taken.  A trylock records without
 * checking (it cannot wait), as does a lock taken with
 * cmwq_mutex_lock_nested() under one of its own class.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <stdatomic.h>

bool cmwq_lockdep_on;

/*
 * What this thread holds, by class: how many (a class may be nested, as
 * fork.c's lock-all nests every pool's lock) and where the first was
 * taken.  Thread-local, so the check takes no lock of its own.
 */
struct held_class {
	unsigned int count;
	const char *file;
	int line;
};

static __thread struct held_class held[NR_LOCK_CLASSES];
/* (A) a pair (held, taken) already reported: bit taken of word held */
static atomic_uint reported[NR_LOCK_CLASSES];

static const char *const class_names[NR_LOCK_CLASSES] = {
	[LC_BH] = "bh lock",
	[LC_MONITOR] = "monitor_lock",
	[LC_WQS] = "wqs_mutex",
	[LC_WQ] = "wq->mutex",
	[LC_POOLS] = "pools_mutex",
	[LC_POOL] = "pool->lock",
	[LC_NODE_ACTIVE] = "nna->lock",
	[LC_MAYDAY] = "mayday_lock",
	[LC_TIMER_DWORK] = "dwork timer base",
	[LC_TIMER_CALLBACK] = "callback timer base",
	[LC_OBJCACHE] = "object cache",
	[LC_DEBUGOBJ] = "debug-objects table",
	[LC_WATCHDOG_CB] = "watchdog callback",
	[LC_FAULT] = "fault points",
	[LC_BH_SEEN] = "BH report table",
};

_Static_assert(NR_LOCK_CLASSES <= 32, "reported[] holds 32 classes a word");

const char *cmwq_lock_class_name(enum lock_class cls)
{
	return (unsigned int)cls < NR_LOCK_CLASSES ? class_names[cls] : "?";
}

static int lockdep_init(void)
{
	bool on = false;

	if (cmwq_setting_bool("CMWQ_DEBUG_LOCKS", "0", &on))
		cmwq_lockdep_on = on;
	return 0;
}
cmwq_initcall(INIT_SETTINGS, lockdep_init);

static void report(enum lock_class had, enum lock_class cls, const char *file,
		   int line)
{
	unsigned int bit = 1u << cls;

	if (atomic_fetch_or(&reported[had], bit) & bit)
		return;
	cmwq_warn("lock order: %s taken at %s:%d while holding %s, taken at "
		  "%s:%d; the library's lock order (src/lockdep.h) takes %s "
		  "first: two threads doing this each way deadlock",
		  class_names[cls], file, line, class_names[had],
		  held[had].file, held[had].line, class_names[cls]);
}

void cmwq_lockdep_acquire(enum lock_class cls, bool nested, const char *file,
			  int line)
{
	int k;

	if ((unsigned int)cls >= NR_LOCK_CLASSES)
		return;
	for (k = (int)cls; k < NR_LOCK_CLASSES; k++) {
		if (!held[k].count)
			continue;
		if (k == (int)cls && nested)
			continue;
		report((enum lock_class)k, cls, file, line);
	}
	cmwq_lockdep_record(cls, file, line);
}

/* Held from now on, without a check (a trylock cannot wait). */
void cmwq_lockdep_record(enum lock_class cls, const char *file, int line)
{
	if ((unsigned int)cls >= NR_LOCK_CLASSES)
		return;
	if (!held[cls].count++) {
		held[cls].file = file;
		held[cls].line = line;
	}
}

void cmwq_lockdep_release(enum lock_class cls)
{
	/* Taken before the check was on: not recorded. */
	if ((unsigned int)cls < NR_LOCK_CLASSES && held[cls].count)
		held[cls].count--;
}
