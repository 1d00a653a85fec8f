// SPDX-License-Identifier: MIT
/*
 * stats.c - reading the counters of pools and workqueues
 *
 * Counters are kept under the locks the hot path already holds (pool and
 * pwq counters under pool->lock), so counting costs no extra atomic.
 * Concurrency-management wake-ups are relaxed atomics, counted only when a
 * worker blocks; CPU time is sampled by observe.c, never read per item.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <string.h>

CMWQ_API int cmwq_nr_pools(void)
{
	cmwq_init_once();
	return cmwq_pool_count();
}

CMWQ_API int cmwq_get_pool_stats(int pool_id, struct cmwq_pool_stats *out)
{
	struct worker_pool *pool = cmwq_pool_by_id(pool_id);
	struct pool_snapshot s;

	if (!pool || !out)
		return pool ? -EINVAL : -ENOENT;
	memset(out, 0, sizeof(*out));
	cmwq_mutex_lock(&pool->lock, LC_POOL);
	cmwq_pool_snapshot(pool, &s);
	cmwq_mutex_unlock(&pool->lock, LC_POOL);
	out->id = pool->id;
	out->cpu = pool->cpu;
	out->highpri = pool->highpri;
	out->nice = pool->nice;
	memcpy(out->name, pool->name, sizeof(out->name));
	out->nr_workers = s.nr_workers;
	out->nr_idle = s.nr_idle;
	out->nr_running = s.nr_running;
	out->nr_inflight = s.nr_inflight;
	out->inflight_target = s.inflight_target;
	out->peak_workers = (unsigned int)s.stat[POOL_STAT_PEAK_WORKERS];
	out->workers_created = s.stat[POOL_STAT_WORKERS_CREATED];
	out->workers_exited = s.stat[POOL_STAT_WORKERS_EXITED];
	out->items_started = s.stat[POOL_STAT_ITEMS_STARTED];
	out->items_completed = s.stat[POOL_STAT_ITEMS_COMPLETED];
	out->cpu_intensive = s.stat[POOL_STAT_CPU_INTENSIVE];
	out->mayday_calls = s.stat[POOL_STAT_MAYDAY_CALLS];
	out->cm_wakeups = s.cm_wakeups;
	return 0;
}

CMWQ_API int cmwq_get_wq_stats(struct workqueue_struct *wq,
			       struct cmwq_wq_stats *out)
{
	struct wq_snapshot s;

	if (!out || !cmwq_wq_is_live(wq))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	memcpy(out->name, wq->name, sizeof(out->name));
	out->flags = wq->flags;
	out->max_active = wq->max_active;
	out->min_active = wq->min_active;
	cmwq_wq_snapshot(wq, &s);
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	out->items_started = s.stat[PWQ_STAT_ITEMS_STARTED];
	out->items_completed = s.stat[PWQ_STAT_ITEMS_COMPLETED];
	out->cpu_intensive = s.stat[PWQ_STAT_CPU_INTENSIVE];
	out->cpu_time_ns = s.stat[PWQ_STAT_CPU_TIME_NS];
	out->mayday_calls = s.stat[PWQ_STAT_MAYDAY_CALLS];
	out->rescued = s.stat[PWQ_STAT_RESCUED];
	out->cm_wakeups = s.cm_wakeups;
	out->nr_active = s.nr_active;
	out->nr_in_flight = s.nr_in_flight;
	out->nr_inactive = s.nr_inactive;
	return 0;
}
