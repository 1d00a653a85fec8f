// SPDX-License-Identifier: MIT
/*
 * watchdog.c - reporting pools whose queued work does not move
 *
 * Runs in the manager's pass.  A pool with work queued whose started-items
 * count has not changed for the threshold is reported once per stall: the
 * pool, its CPU, how much is queued, and each busy worker with the
 * function it runs.  So is a workqueue whose items wait behind max_active
 * (on its pwq's inactive list, where the pool's worklist does not show
 * them) while the item that holds the active slot does not return: an
 * ordered queue's item waiting for a later item of its own queue.  The
 * manager wakes for it only while some pool has work queued or some pwq
 * holds items back: an idle process is never woken.  wq_watchdog_touch()
 * restarts the clocks it covers: a stall its caller expects.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

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

/*
 * cmwq_wd_held_back (wake.c, where the drain rings it): whether some pwq
 * may hold items back behind max_active, so that the pass looks at the
 * workqueues: WD_HELD_NONE, WD_HELD_WATCHING (it found
 * some and looks again at wd_pwq_due_ns) or WD_HELD_LOOK (look at the
 * next pass).  Set to LOOK by a drain that holds an item back (with its
 * pool lock held) when it finds NONE, and by cmwq_set_watchdog(); cleared
 * by the pass before it looks, and set to WATCHING if it found some.  A
 * drain that reads NONE wakes the manager; one that reads another value
 * comes before the pass's clear, whose pool-lock acquisitions then see its
 * item.
 */
/* When the pass looks at the workqueues next.  (manager thread only) */
static unsigned long long wd_pwq_due_ns;

/*
 * (A) When wq_watchdog_touch() last ran: per CPU, for that CPU's bound
 * pools, and for everything unbound.  Relaxed: a touch is a hint whose
 * effect the next pass shows, and no other data goes with it.
 */
static atomic_ullong wd_touched_cpu_ns[CMWQ_MAX_CPUS];
static atomic_ullong wd_touched_unbound_ns;

CMWQ_API void cmwq_wq_watchdog_touch(int cpu)
{
	unsigned long long now = cmwq_clock_ns();
	int c;

	if (cpu >= CMWQ_MAX_CPUS) {
		cmwq_warn_const("wq_watchdog_touch: no such CPU; touching all");
		cpu = -1;
	}
	if (cpu >= 0) {
		atomic_store_explicit(&wd_touched_cpu_ns[cpu], now,
				      memory_order_relaxed);
	} else {
		for (c = 0; c < cmwq_nr_cpu_slots; c++)
			atomic_store_explicit(&wd_touched_cpu_ns[c], now,
					      memory_order_relaxed);
	}
	atomic_store_explicit(&wd_touched_unbound_ns, now,
			      memory_order_relaxed);
}

/*
 * Where @pool's stall clock may start at the earliest: the last touch that
 * covers it, never after @now (a touch may come after the pass began).
 */
static unsigned long long touched_ns(const struct worker_pool *pool,
				     unsigned long long now)
{
	unsigned long long t = atomic_load_explicit(
		pool->cpu >= 0 ? &wd_touched_cpu_ns[pool->cpu] :
				 &wd_touched_unbound_ns,
		memory_order_relaxed);

	return t < now ? t : now;
}

static int watchdog_init(void)
{
	unsigned long long ms;

	/* 0 turns the watchdog off. */
	if (cmwq_setting_uint("CMWQ_WATCHDOG_THRESH_MS", 0, 24ull * 3600 * 1000,
			      "a number of milliseconds up to 86400000 "
			      "(0: off)",
			      "30000", &ms))
		atomic_store(&wd_thresh_ns, ms * 1000000ull);
	return 0;
}
cmwq_initcall(INIT_SERVICES, watchdog_init);

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
		char fb[128];

		if (used >= len || !worker->current_func)
			continue;
		used += (size_t)snprintf(
			buf + used, len - used,
			"  busy worker %s (tid %d) runs %s%s%s\n", worker->name,
			(int)worker->tid,
			cmwq_func_name(worker->current_func, fb, sizeof(fb)),
			worker->desc[0] ? " +" : "", worker->desc);
	}
}

/* Describe the stall of @pwq into @buf.  (L) */
static void describe_pwq(struct pool_workqueue *pwq,
			 unsigned long long stuck_ns, char *buf, size_t len)
{
	struct worker_pool *pool = pwq->pool;
	struct work_struct *work;
	struct worker *worker;
	int inactive = 0;
	size_t used;

	list_for_each_entry(work, &pwq->inactive_works, entry)
		inactive++;
	used = (size_t)snprintf(buf, len,
				"BUG: workqueue lockup - workqueue \"%s\" "
				"(pool %s cpu=%d) stuck for %llus! %d "
				"inactive behind max_active %d, %d active\n",
				pwq->wq->name, pool->name, pool->cpu,
				stuck_ns / 1000000000ull, inactive,
				pwq->max_active, pwq->nr_active);
	list_for_each_entry(worker, &pool->workers, node) {
		char fb[128];

		if (used >= len || worker->current_pwq != pwq ||
		    !worker->current_func)
			continue;
		used += (size_t)snprintf(
			buf + used, len - used,
			"  stuck worker %s (tid %d) runs %s%s%s\n",
			worker->name, (int)worker->tid,
			cmwq_func_name(worker->current_func, fb, sizeof(fb)),
			worker->desc[0] ? " +" : "", worker->desc);
	}
}

/* Reports of one pass, fired once every lock is dropped. */
#define WD_PWQ_REPORTS 4
static char pwq_reports[WD_PWQ_REPORTS][2048]; /* (manager thread only) */

static void fire(const char *report)
{
	cmwq_mutex_lock(&wd_cb_lock, LC_WATCHDOG_CB);
	if (wd_fn)
		wd_fn(report, wd_arg);
	else
		cmwq_warn("%s", report);
	cmwq_mutex_unlock(&wd_cb_lock, LC_WATCHDOG_CB);
}

/*
 * Watch one pwq's held-back items; lowers *@due to when it should be
 * looked at again.  Returns true when it wrote a report to @report (NULL:
 * no room left in this pass, a stall found now is reported by the next).
 * (wqs_mutex, W, L)
 */
static bool watch_pwq(struct pool_workqueue *pwq, unsigned long long now,
		      unsigned long long thresh, unsigned long long *due,
		      char *report, size_t len)
{
	struct worker_pool *pool = pwq->pool;
	bool fired = false;

	/*
	 * Nothing active (frozen, or not drained yet): nothing can be
	 * stuck holding the slot.  The pool's own watch covers its
	 * worklist; a pool reported stalled is not reported again here.
	 */
	if (list_empty(&pwq->inactive_works) || !pwq->nr_active) {
		pwq->wd_since_ns = 0;
		pwq->wd_reported = false;
		return false;
	}
	if (!pwq->wd_since_ns || pwq->wd_started != pwq->stats[PWQ_STAT_ITEMS_STARTED]) {
		pwq->wd_started = pwq->stats[PWQ_STAT_ITEMS_STARTED];
		pwq->wd_since_ns = now;
		pwq->wd_reported = false;
	} else if (pwq->wd_since_ns < touched_ns(pool, now)) {
		/* wq_watchdog_touch(): the stall is expected; restart. */
		pwq->wd_since_ns = touched_ns(pool, now);
	} else if (!pwq->wd_reported && now - pwq->wd_since_ns >= thresh) {
		if (pool->id < wd_nr && wd_states[pool->id].reported) {
			pwq->wd_reported = true; /* the pool's report said it */
		} else if (report) {
			describe_pwq(pwq, now - pwq->wd_since_ns, report, len);
			pwq->wd_reported = true;
			fired = true;
		}
	}
	/* Reported: look again a threshold later, to see it recover. */
	if (pwq->wd_reported) {
		if (now + thresh < *due)
			*due = now + thresh;
	} else if (pwq->wd_since_ns + thresh < *due) {
		*due = pwq->wd_since_ns + thresh;
	}
	return fired;
}

static void watchdog_pass_pwqs(unsigned long long now,
			       unsigned long long thresh,
			       unsigned long long *next)
{
	unsigned long long due = ~0ull;
	struct workqueue_struct *wq;
	struct list_head *node;
	int i, nr_reports = 0, held = atomic_load(&cmwq_wd_held_back);

	if (held == WD_HELD_NONE)
		return;
	if (held == WD_HELD_WATCHING && now < wd_pwq_due_ns) {
		if (wd_pwq_due_ns < *next)
			*next = wd_pwq_due_ns;
		return;
	}
	atomic_store(&cmwq_wd_held_back, WD_HELD_NONE);
	/* Lock order: wqs_mutex, wq->mutex, pool->lock. */
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	list_for_each_entry(wq, &workqueues, node) {
		cmwq_mutex_lock(&wq->mutex, LC_WQ);
		list_for_each_node(node, &wq->pwqs)
		{
			struct pool_workqueue *pwq = list_entry(
				node, struct pool_workqueue, wq_node);
			char *report = nr_reports < WD_PWQ_REPORTS ?
					       pwq_reports[nr_reports] :
					       NULL;

			cmwq_mutex_lock(&pwq->pool->lock, LC_POOL);
			if (watch_pwq(pwq, now, thresh, &due, report,
				      sizeof(pwq_reports[0])))
				nr_reports++;
			cmwq_mutex_unlock(&pwq->pool->lock, LC_POOL);
		}
		cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	}
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	if (due != ~0ull) {
		/* Still holding items back: keep looking (a LOOK stays). */
		held = WD_HELD_NONE;
		atomic_compare_exchange_strong(&cmwq_wd_held_back, &held,
					       WD_HELD_WATCHING);
		wd_pwq_due_ns = due;
		if (due < *next)
			*next = due;
	} else {
		wd_pwq_due_ns = 0;
	}
	for (i = 0; i < nr_reports; i++)
		fire(pwq_reports[i]);
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
		bool stalled = false;

		cmwq_mutex_lock(&pool->lock, LC_POOL);
		if (list_empty(&pool->worklist) &&
		    !atomic_load(&pool->incoming)) {
			st->since_ns = 0;
			st->reported = false;
			cmwq_mutex_unlock(&pool->lock, LC_POOL);
			continue;
		}
		if (!st->since_ns || st->started != pool->stats[POOL_STAT_ITEMS_STARTED]) {
			/* Progress (or a new backlog): restart the clock. */
			st->started = pool->stats[POOL_STAT_ITEMS_STARTED];
			st->since_ns = now;
			st->reported = false;
		} else if (st->since_ns < touched_ns(pool, now)) {
			/* wq_watchdog_touch(): the stall is expected; restart. */
			st->since_ns = touched_ns(pool, now);
		} else if (!st->reported && now - st->since_ns >= thresh) {
			describe(pool, now - st->since_ns, report,
				 sizeof(report));
			st->reported = true;
			stalled = true;
		}
		if (!st->reported && st->since_ns + thresh < *next)
			*next = st->since_ns + thresh;
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		if (stalled)
			fire(report);
	}
	watchdog_pass_pwqs(now, thresh, next);
}

CMWQ_API void cmwq_set_watchdog(unsigned int thresh_ms, cmwq_watchdog_fn fn,
				void *arg)
{
	cmwq_init_once();
	cmwq_mutex_lock(&wd_cb_lock, LC_WATCHDOG_CB);
	wd_fn = fn;
	wd_arg = arg;
	cmwq_mutex_unlock(&wd_cb_lock, LC_WATCHDOG_CB);
	atomic_store(&wd_thresh_ns, (unsigned long long)thresh_ms * 1000000ull);
	/* Items held back while it was off: look at the workqueues once. */
	atomic_store(&cmwq_wd_held_back, WD_HELD_LOOK);
	cmwq_manager_wake();
}
