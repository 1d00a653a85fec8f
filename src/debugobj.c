// SPDX-License-Identifier: MIT
/*
 * debugobj.c - the work item debug mode (CMWQ_DEBUG_OBJECTS=1), after the
 * kernel's DEBUG_OBJECTS_WORK
 *
 * Tracks every work item initialised with INIT_WORK()/INIT_DELAYED_WORK()
 * (or declared with DECLARE_WORK(), recognised by a mark its initialiser
 * leaves in the state word) in a lock-free open-addressing table, and
 * reports:
 *   - queueing an item that was never initialised (the call is refused);
 *   - destroy_work_on_stack() of an item still pending or running.
 * Lookups are lock-free and allocation-free, so queue_work stays
 * async-signal-safe in debug mode.  Off (the default) it costs one load.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEBUG_SLOTS (1u << 16)
#define TOMBSTONE ((struct work_struct *)1)

static bool debug_on; /* (I) after init */
static _Atomic(struct work_struct *) table[DEBUG_SLOTS]; /* (A) */

void cmwq_debugobj_init(void)
{
	bool on = false;

	if (cmwq_setting_bool("CMWQ_DEBUG_OBJECTS", "0", &on))
		debug_on = on;
}

bool cmwq_debugobj_enabled(void)
{
	return debug_on;
}

static unsigned int slot_of(const struct work_struct *work)
{
	uintptr_t h = (uintptr_t)work >> 4;

	return (unsigned int)((h * 0x9e3779b97f4a7c15ull) >> 48) &
	       (DEBUG_SLOTS - 1);
}

static bool debug_find(const struct work_struct *work)
{
	unsigned int i, s = slot_of(work);

	for (i = 0; i < DEBUG_SLOTS; i++) {
		struct work_struct *w =
			atomic_load(&table[(s + i) & (DEBUG_SLOTS - 1)]);

		if (w == work)
			return true;
		if (!w)
			return false;
	}
	return false;
}

static void debug_insert(struct work_struct *work)
{
	unsigned int i, s = slot_of(work);

	if (debug_find(work))
		return;
	for (i = 0; i < DEBUG_SLOTS; i++) {
		_Atomic(struct work_struct *) *p =
			&table[(s + i) & (DEBUG_SLOTS - 1)];
		struct work_struct *w = atomic_load(p);

		while (!w || w == TOMBSTONE) {
			if (atomic_compare_exchange_weak(p, &w, work))
				return;
		}
	}
	cmwq_warn_const("debug objects: table full; item not tracked");
}

static void debug_remove(struct work_struct *work)
{
	unsigned int i, s = slot_of(work);

	for (i = 0; i < DEBUG_SLOTS; i++) {
		_Atomic(struct work_struct *) *p =
			&table[(s + i) & (DEBUG_SLOTS - 1)];
		struct work_struct *w = atomic_load(p);

		if (!w)
			return;
		if (w == work &&
		    atomic_compare_exchange_strong(p, &w, TOMBSTONE))
			return;
	}
}

/* INIT_WORK: track the item.  (debug mode) */
void cmwq_debugobj_init_work(struct work_struct *work)
{
	if (debug_on)
		debug_insert(work);
}

/*
 * queue_work: refuse an item that was never initialised.  A statically
 * declared item is tracked at its first queueing.  Async-signal-safe.
 */
bool cmwq_debugobj_check_queue(struct work_struct *work)
{
	unsigned long data;

	if (!debug_on || debug_find(work))
		return true;
	data = __atomic_load_n(&work->data, __ATOMIC_RELAXED);
	if ((data & ~(unsigned long)WORK_OFFQ_DISABLE_MASK) ==
	    CMWQ_WORK_DATA_STATIC) {
		debug_insert(work);
		return true;
	}
	cmwq_warn_const("debug objects: queueing a work item that was never "
			"initialised with INIT_WORK; not queued");
	return false;
}

CMWQ_API void cmwq_destroy_work_on_stack(struct work_struct *work)
{
	if (!debug_on || !work)
		return;
	if (cmwq_work_busy(work))
		cmwq_warn("debug objects: destroy_work_on_stack: work item %p "
			  "is still %s",
			  (void *)work,
			  (cmwq_work_busy(work) & WORK_BUSY_PENDING) ?
				  "pending" :
				  "running");
	debug_remove(work);
}
