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

	if (!pool || !out)
		return pool ? -EINVAL : -ENOENT;
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&pool->lock);
	out->id = pool->id;
	out->cpu = pool->cpu;
	out->highpri = pool->highpri;
	out->nice = pool->nice;
	out->nr_workers = (unsigned int)pool->nr_workers;
	out->nr_idle = (unsigned int)atomic_load(&pool->nr_idle);
	out->nr_running = (unsigned int)atomic_load(&pool->nr_running);
	out->peak_workers = pool->peak_workers;
	out->workers_created = pool->workers_created;
	out->workers_exited = pool->workers_exited;
	out->items_started = pool->items_started;
	out->items_completed = pool->items_completed;
	out->cm_wakeups = atomic_load(&pool->cm_wakeups);
	out->cpu_intensive = pool->cpu_intensive;
	memcpy(out->name, pool->name, sizeof(out->name));
	out->mayday_calls = pool->mayday_calls;
	out->nr_inflight = (unsigned int)atomic_load(&pool->nr_inflight);
	out->inflight_target =
		(unsigned int)atomic_load(&pool->inflight_target);
	pthread_mutex_unlock(&pool->lock);
	return 0;
}

CMWQ_API int cmwq_get_wq_stats(struct workqueue_struct *wq,
			       struct cmwq_wq_stats *out)
{
	struct pool_workqueue *pwq;
	struct list_head *node;
	struct work_struct *work;
	int c;

	if (!out || !cmwq_wq_is_live(wq))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&wq->mutex);
	memcpy(out->name, wq->name, sizeof(out->name));
	out->flags = wq->flags;
	out->max_active = wq->max_active;
	out->min_active = wq->min_active;
	list_for_each_node(node, &wq->pwqs)
	{
		pwq = list_entry(node, struct pool_workqueue, wq_node);
		pthread_mutex_lock(&pwq->pool->lock);
		pool_drain_incoming(pwq->pool);
		out->items_started += pwq->items_started;
		out->items_completed += pwq->items_completed;
		out->cpu_intensive += pwq->cpu_intensive;
		out->nr_active += (unsigned int)pwq->nr_active;
		out->cpu_time_ns += pwq->cpu_time_ns;
		out->cm_wakeups += atomic_load_explicit(&pwq->cm_wakeups,
							memory_order_relaxed);
		out->mayday_calls += pwq->mayday_calls;
		out->rescued += pwq->rescued;
		for (c = 0; c < WORK_NR_COLORS; c++)
			out->nr_in_flight += (unsigned int)pwq->nr_in_flight[c];
		list_for_each_entry(work, &pwq->inactive_works, entry)
			out->nr_inactive++;
		pthread_mutex_unlock(&pwq->pool->lock);
	}
	pthread_mutex_unlock(&wq->mutex);
	return 0;
}
