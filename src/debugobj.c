// SPDX-License-Identifier: MIT
/*
 * debugobj.c - the work item debug mode (CMWQ_DEBUG_OBJECTS=1), after the
 * kernel's DEBUG_OBJECTS_WORK
 *
 * Tracks every work item initialised with INIT_WORK()/INIT_DELAYED_WORK()
 * (or declared with DECLARE_WORK(), recognised by a mark its initialiser
 * leaves in the state word) and reports:
 *   - queueing an item that was never initialised (the call is refused);
 *   - destroy_work_on_stack() of an item still pending or running.
 * Off (the default) it costs one load.
 *
 * Two open-addressing tables of item addresses:
 *   - the items of INIT_WORK, in a table that grows without bound: it is
 *     written only from INIT_WORK and destroy_work_on_stack (normal
 *     context, under debug_lock) and rebuilt twice as large when half
 *     full; lookups are lock-free and allocation-free, so queue_work
 *     stays async-signal-safe.  A lookup announces itself in a reader
 *     count; a table replaced by a larger one is freed once no lookup can
 *     still be in it (two flips of the count's epoch, below).
 *   - the DECLARE_WORK items, entered at their first queueing, which may
 *     be in a signal handler: a fixed lock-free table (the number of such
 *     items is fixed by the program's text).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STATIC_SLOTS (1u << 16)
#define DYN_MIN_SLOTS (1u << 12)
#define TOMBSTONE ((struct work_struct *)1)

static bool debug_on; /* (I) after init */

/* DECLARE_WORK items: CAS into an empty slot or a tombstone.  (A) */
static _Atomic(struct work_struct *) static_table[STATIC_SLOTS];

/* A table of INIT_WORK items. */
struct debug_table {
	size_t mask; /* (I) number of slots - 1 */
	size_t used; /* (debug_lock) slots not empty: live or tombstone */
	size_t live; /* (debug_lock) */
	/* (A) written under debug_lock, read by lock-free lookups */
	_Atomic(struct work_struct *) slot[];
};

/* Serialises the writers of dyn_table and of its slots. */
static pthread_mutex_t debug_lock = PTHREAD_MUTEX_INITIALIZER;
/*
 * (A) The current table: replaced under debug_lock (seq_cst store), read
 * by lookups (seq_cst load) while they are counted in lookups_in[].
 */
static _Atomic(struct debug_table *) dyn_table;
/*
 * (A) The table could not grow, so some item is not tracked: unknown
 * items are let through from then on.  Set under debug_lock.
 */
static atomic_bool dyn_lost;
/*
 * (A) Lookups in progress, by the parity of lookup_epoch when each began.
 * All seq_cst: a lookup reads the epoch, raises its count, then loads
 * dyn_table; a writer stores the new dyn_table, then flips the epoch and
 * waits for the old parity's count to drain (wait_for_lookups()).
 */
static atomic_uint lookups_in[2];
static atomic_uint lookup_epoch;

static void debug_prepare_fork(void)
{
	cmwq_mutex_lock(&debug_lock, LC_DEBUGOBJ);
}

static void debug_parent_fork(void)
{
	cmwq_mutex_unlock(&debug_lock, LC_DEBUGOBJ);
}

/*
 * In the child only this thread exists: lookups counted in other threads
 * of the parent will never end.
 */
static void debug_child_fork(void)
{
	atomic_store(&lookups_in[0], 0);
	atomic_store(&lookups_in[1], 0);
	cmwq_mutex_unlock(&debug_lock, LC_DEBUGOBJ);
}

static int debugobj_init(void)
{
	bool on = false;

	if (cmwq_setting_bool("CMWQ_DEBUG_OBJECTS", "0", &on))
		debug_on = on;
	if (debug_on)
		pthread_atfork(debug_prepare_fork, debug_parent_fork,
			       debug_child_fork);
	return 0;
}
cmwq_initcall(INIT_SERVICES, debugobj_init);

bool cmwq_debugobj_enabled(void)
{
	return debug_on;
}

static size_t hash_of(const struct work_struct *work)
{
	uintptr_t h = (uintptr_t)work >> 4;

	return (size_t)((h * 0x9e3779b97f4a7c15ull) >> 32);
}

/* Is @work in @slots (@mask + 1 of them)?  Lock-free. */
static bool slots_find(_Atomic(struct work_struct *) *slots, size_t mask,
		       const struct work_struct *work)
{
	size_t i, s = hash_of(work);

	for (i = 0; i <= mask; i++) {
		struct work_struct *w = atomic_load(&slots[(s + i) & mask]);

		if (w == work)
			return true;
		if (!w)
			return false;
	}
	return false;
}

static bool dyn_find(const struct work_struct *work)
{
	unsigned int parity = atomic_load(&lookup_epoch) & 1;
	struct debug_table *t;
	bool found;

	atomic_fetch_add(&lookups_in[parity], 1);
	t = atomic_load(&dyn_table);
	found = t && slots_find(t->slot, t->mask, work);
	atomic_fetch_sub(&lookups_in[parity], 1);
	return found;
}

static bool debug_find(const struct work_struct *work)
{
	return dyn_find(work) ||
	       slots_find(static_table, STATIC_SLOTS - 1, work);
}

/*
 * Wait until no lookup can still be in a table that dyn_table no longer
 * points to.  A lookup that loaded the old table raised its count before
 * the store that replaced it, so before the flips below.  Its parity is
 * that of the epoch it read; that may be an epoch before the last flip
 * (if it raised its count after an earlier writer's wait, it may hold the
 * table that writer published, the one replaced now), so both parities
 * are waited for, each after a flip so new lookups count on the other one
 * and cannot starve the wait.  (debug_lock)
 */
static void wait_for_lookups(void)
{
	int flip;

	for (flip = 0; flip < 2; flip++) {
		unsigned int old = atomic_fetch_add(&lookup_epoch, 1) & 1;

		while (atomic_load(&lookups_in[old]))
			sched_yield();
	}
}

/* Put @work in @t, whose caller owns the writes.  (debug_lock) */
static void table_put(struct debug_table *t, struct work_struct *work)
{
	size_t i, s = hash_of(work);

	for (i = 0; i <= t->mask; i++) {
		_Atomic(struct work_struct *) *p = &t->slot[(s + i) & t->mask];
		struct work_struct *w =
			atomic_load_explicit(p, memory_order_relaxed);

		if (w && w != TOMBSTONE)
			continue;
		if (!w)
			t->used++;
		t->live++;
		/* Release: a lookup that sees it sees nothing else. */
		atomic_store_explicit(p, work, memory_order_release);
		return;
	}
}

/*
 * A table for @live items and one more, at most half full: twice as
 * large as the old one, or as large when it is mostly tombstones.
 */
static struct debug_table *table_alloc(size_t old_slots, size_t live)
{
	size_t slots = old_slots ? old_slots : DYN_MIN_SLOTS;
	struct debug_table *t;

	while ((live + 1) * 4 > slots)
		slots *= 2;
	t = cmwq_calloc(1, sizeof(*t) + slots * sizeof(t->slot[0]));
	if (!t)
		return NULL;
	t->mask = slots - 1;
	return t;
}

/* Make room for one more item in dyn_table.  (debug_lock) */
static struct debug_table *dyn_make_room(void)
{
	struct debug_table *old = atomic_load(&dyn_table), *t;
	size_t i;

	if (old && (old->used + 1) * 2 <= old->mask + 1)
		return old;
	t = table_alloc(old ? old->mask + 1 : 0, old ? old->live : 0);
	if (!t) {
		/* Not full yet: fill it beyond half. */
		if (old && old->used < old->mask)
			return old;
		return NULL;
	}
	if (old) {
		for (i = 0; i <= old->mask; i++) {
			struct work_struct *w = atomic_load_explicit(
				&old->slot[i], memory_order_relaxed);

			if (w && w != TOMBSTONE)
				table_put(t, w);
		}
	}
	atomic_store(&dyn_table, t);
	if (old) {
		wait_for_lookups();
		free(old);
	}
	return t;
}

static void dyn_insert(struct work_struct *work)
{
	struct debug_table *t;

	cmwq_mutex_lock(&debug_lock, LC_DEBUGOBJ);
	if (!dyn_find(work)) {
		t = dyn_make_room();
		if (t) {
			table_put(t, work);
		} else if (!atomic_exchange(&dyn_lost, true)) {
			cmwq_warn("debug objects: out of memory for the table "
				  "of work items; from now on an item that "
				  "was never initialised is not detected");
		}
	}
	cmwq_mutex_unlock(&debug_lock, LC_DEBUGOBJ);
}

static void dyn_remove(struct work_struct *work)
{
	struct debug_table *t;
	size_t i, s = hash_of(work);

	cmwq_mutex_lock(&debug_lock, LC_DEBUGOBJ);
	t = atomic_load(&dyn_table);
	for (i = 0; t && i <= t->mask; i++) {
		_Atomic(struct work_struct *) *p = &t->slot[(s + i) & t->mask];
		struct work_struct *w = atomic_load(p);

		if (!w)
			break;
		if (w == work) {
			atomic_store(p, TOMBSTONE);
			t->live--;
			break;
		}
	}
	cmwq_mutex_unlock(&debug_lock, LC_DEBUGOBJ);
}

/* Lock-free and allocation-free: may run in a signal handler. */
static void static_insert(struct work_struct *work)
{
	size_t i, s = hash_of(work);

	for (i = 0; i < STATIC_SLOTS; i++) {
		_Atomic(struct work_struct *) *p =
			&static_table[(s + i) & (STATIC_SLOTS - 1)];
		struct work_struct *w = atomic_load(p);

		if (w == work)
			return;
		while (!w || w == TOMBSTONE) {
			if (atomic_compare_exchange_weak(p, &w, work))
				return;
		}
		if (w == work)
			return;
	}
	cmwq_warn_const("debug objects: more than 65536 DECLARE_WORK items; "
			"item not tracked");
}

static void static_remove(struct work_struct *work)
{
	size_t i, s = hash_of(work);

	for (i = 0; i < STATIC_SLOTS; i++) {
		_Atomic(struct work_struct *) *p =
			&static_table[(s + i) & (STATIC_SLOTS - 1)];
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
	if (debug_on && !slots_find(static_table, STATIC_SLOTS - 1, work))
		dyn_insert(work);
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
		static_insert(work);
		return true;
	}
	/* The table could not grow: this one may be an untracked item. */
	if (atomic_load(&dyn_lost))
		return true;
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
	dyn_remove(work);
	static_remove(work);
}
