// SPDX-License-Identifier: MIT
/*
 * snapshot.c - one consistent reading of a pool's or a workqueue's
 * counters and gauges
 *
 * The stats API (stats.c) and the shared-memory observer (observe.c, and
 * through it cmwq-top, cmwq-dump and show_all_workqueues()) read pools
 * and workqueues here and nowhere else, so a counter added to enum
 * pool_stat or enum pwq_stat (internal.h) reaches all of them: they copy
 * the arrays by index.  Below stats.c and observe.c; calls only pool.c.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <string.h>

/* (L) */
void cmwq_pool_snapshot(struct worker_pool *pool, struct pool_snapshot *s)
{
	memcpy(s->stat, pool->stats, sizeof(s->stat));
	s->cm_wakeups = atomic_load_explicit(&pool->cm_wakeups,
					     memory_order_relaxed);
	s->nr_workers = (unsigned int)pool->nr_workers;
	s->nr_idle = (unsigned int)atomic_load(&pool->nr_idle);
	s->nr_running = (unsigned int)atomic_load(&pool->nr_running);
	s->nr_inflight = (unsigned int)atomic_load(&pool->nr_inflight);
	s->inflight_target = (unsigned int)atomic_load_explicit(
		&pool->inflight_target, memory_order_relaxed);
	s->target_running = (unsigned int)pool->target_running;
}

/* (W; takes each pwq's pool lock in turn) */
void cmwq_wq_snapshot(struct workqueue_struct *wq, struct wq_snapshot *s)
{
	struct list_head *node;
	struct work_struct *work;
	int i, c;

	memset(s, 0, sizeof(*s));
	list_for_each_node(node, &wq->pwqs)
	{
		struct pool_workqueue *pwq =
			list_entry(node, struct pool_workqueue, wq_node);

		s->nr_pwqs++;
		cmwq_mutex_lock(&pwq->pool->lock, LC_POOL);
		/* Items pushed lock-free count where they will be. */
		pool_drain_incoming(pwq->pool);
		for (i = 0; i < NR_PWQ_STATS; i++)
			s->stat[i] += pwq->stats[i];
		s->cm_wakeups += atomic_load_explicit(&pwq->cm_wakeups,
						      memory_order_relaxed);
		s->nr_active += (unsigned int)pwq->nr_active;
		for (c = 0; c < WORK_NR_COLORS; c++)
			s->nr_in_flight += (unsigned int)pwq->nr_in_flight[c];
		list_for_each_entry(work, &pwq->inactive_works, entry)
			s->nr_inactive++;
		cmwq_mutex_unlock(&pwq->pool->lock, LC_POOL);
	}
}
