// SPDX-License-Identifier: MIT
/*
 * watchdog.c - reporting pools whose queued work does not move
 *
 * Runs in the manager's pass.  A pool with work queued whose started-items
 * count has not changed for the threshold is reported once per stall: the
 * pool, its CPU, how much is queued, and each busy worker with the
 * function it runs.  The manager wakes for it only while some pool has
 * work queued: an idle process is never woken.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_ullong wd_thresh_ns = 30ull * 1000000000ull; /* (A) */
static pthread_mutex_t wd_cb_lock = PTHREAD_MUTEX_INITIALIZER;
static cmwq_watchdog_fn wd_fn; /* (wd_cb_lock) */
static void *wd_arg; /* (wd_cb_lock) */

/* Per pool, manager thread only. */
struct wd_state {
	unsigned long long started;
	unsigned long long since_ns;
	bool reported;
};

static struct wd_state *wd_states;
static int wd_nr;

void cmwq_watchdog_init(void)
{
	unsigned long long ms;

	/* 0 turns the watchdog off. */
	if (cmwq_setting_uint("CMWQ_WATCHDOG_THRESH_MS", 0, 24ull * 3600 * 1000,
			      "a number of milliseconds up to 86400000 "
			      "(0: off)",
			      "30000", &ms))
		atomic_store(&wd_thresh_ns, ms * 1000000ull);
}

static const char *func_name(work_func_t func, char *buf, size_t len)
{
	Dl_info info;

	if (func && dladdr((void *)func, &info) && info.dli_sname)
		return info.dli_sname;
	snprintf(buf, len, "%p", (void *)func);
	return buf;
}

/* Describe the stall of @pool into @buf.  (L) */
static void describe(struct worker_pool *pool, unsigned long long stuck_ns,
		     char *buf, size_t len)
{
	struct work_struct *work;
	struct worker *worker;
	size_t used;
	int queued = 0;

	list_for_each_entry(work, &pool->worklist, entry)
		queued++;
	used = (size_t)snprintf(buf, len,
				"BUG: workqueue lockup - pool %s cpu=%d stuck "
				"for %llus! %d queued, %d workers\n",
				pool->name, pool->cpu, stuck_ns / 1000000000ull,
				queued, pool->nr_workers);
	list_for_each_entry(worker, &pool->workers, node) {
		char fb[32];

		if (used >= len || !worker->current_func)
			continue;
		used += (size_t)snprintf(
			buf + used, len - used,
			"  busy worker %s (tid %d) runs %s%s%s\n", worker->name,
			(int)worker->tid,
			func_name(worker->current_func, fb, sizeof(fb)),
			worker->desc[0] ? " +" : "", worker->desc);
	}
}

void cmwq_watchdog_pass(unsigned long long now, unsigned long long *next)
{
	unsigned long long thresh = atomic_load(&wd_thresh_ns);
	int i, n = cmwq_pool_count();

	if (!thresh)
		return;
	if (n > wd_nr) {
		struct wd_state *s = realloc(wd_states, sizeof(*s) * (size_t)n);

		if (!s)
			return;
		memset(s + wd_nr, 0, sizeof(*s) * (size_t)(n - wd_nr));
		wd_states = s;
		wd_nr = n;
	}
	for (i = 0; i < n; i++) {
		struct worker_pool *pool = cmwq_pool_by_id(i);
		struct wd_state *st = &wd_states[i];
		char report[2048];
		bool fire = false;

		pthread_mutex_lock(&pool->lock);
		if (list_empty(&pool->worklist) &&
		    !atomic_load(&pool->incoming)) {
			st->since_ns = 0;
			st->reported = false;
			pthread_mutex_unlock(&pool->lock);
			continue;
		}
		if (!st->since_ns || st->started != pool->items_started) {
			/* Progress (or a new backlog): restart the clock. */
			st->started = pool->items_started;
			st->since_ns = now;
			st->reported = false;
		} else if (!st->reported && now - st->since_ns >= thresh) {
			describe(pool, now - st->since_ns, report,
				 sizeof(report));
			st->reported = true;
			fire = true;
		}
		if (!st->reported && st->since_ns + thresh < *next)
			*next = st->since_ns + thresh;
		pthread_mutex_unlock(&pool->lock);
		if (fire) {
			pthread_mutex_lock(&wd_cb_lock);
			if (wd_fn)
				wd_fn(report, wd_arg);
			else
				cmwq_warn("%s", report);
			pthread_mutex_unlock(&wd_cb_lock);
		}
	}
}

CMWQ_API void cmwq_set_watchdog(unsigned int thresh_ms, cmwq_watchdog_fn fn,
				void *arg)
{
	cmwq_init_once();
	pthread_mutex_lock(&wd_cb_lock);
	wd_fn = fn;
	wd_arg = arg;
	pthread_mutex_unlock(&wd_cb_lock);
	atomic_store(&wd_thresh_ns, (unsigned long long)thresh_ms * 1000000ull);
	cmwq_manager_wake();
}
