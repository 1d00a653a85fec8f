/* SPDX-License-Identifier: MIT */
/*
 * cmwq/stats.h - counters of pools and workqueues
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_STATS_H
#define CMWQ_STATS_H

#include <cmwq/compiler.h>
#include <cmwq/workqueue.h>

CMWQ_BEGIN_DECLS

/**
 * struct cmwq_pool_stats - what a worker pool did
 * @id: pool id
 * @cpu: the CPU of a bound pool, -1 for an unbound pool
 * @highpri: high-priority pool
 * @nice: nice value of its workers
 * @nr_workers: workers now
 * @nr_idle: idle workers now
 * @nr_running: workers counted as running now
 * @peak_workers: most workers at once
 * @workers_created: workers started since the process began
 * @workers_exited: workers that exited after idling
 * @items_started: items started
 * @items_completed: items that returned
 * @cm_wakeups: workers woken or created because a running worker slept
 * @cpu_intensive: items that stopped counting for concurrency management
 * @name: "kworker/0", "kworker/0H", "kworker/u3" style name
 */
struct cmwq_pool_stats {
	int id;
	int cpu;
	bool highpri;
	int nice;
	unsigned int nr_workers;
	unsigned int nr_idle;
	unsigned int nr_running;
	unsigned int peak_workers;
	unsigned long long workers_created;
	unsigned long long workers_exited;
	unsigned long long items_started;
	unsigned long long items_completed;
	unsigned long long cm_wakeups;
	unsigned long long cpu_intensive;
	char name[24];
};

/**
 * struct cmwq_wq_stats - what a workqueue did
 * @name: its name
 * @flags: its WQ_* flags
 * @max_active: its max_active
 * @items_started: items started
 * @items_completed: items that returned
 * @cpu_intensive: items run as CPU intensive
 * @nr_active: items active now (queued to a pool or running)
 * @nr_inactive: items waiting for max_active now
 */
struct cmwq_wq_stats {
	char name[64];
	unsigned int flags;
	int max_active;
	unsigned long long items_started;
	unsigned long long items_completed;
	unsigned long long cpu_intensive;
	unsigned int nr_active;
	unsigned int nr_inactive;
};

/** cmwq_nr_pools - number of pools created so far (ids 0..n-1) */
CMWQ_API int cmwq_nr_pools(void);

/**
 * cmwq_get_pool_stats - read the counters of a pool
 * @pool_id: 0..cmwq_nr_pools()-1
 * @out: filled in
 *
 * Return: 0, or -ENOENT for an unknown id.
 */
CMWQ_API int cmwq_get_pool_stats(int pool_id, struct cmwq_pool_stats *out);

/**
 * cmwq_get_wq_stats - read the counters of a workqueue
 * @wq: the workqueue
 * @out: filled in
 *
 * Return: 0, or -EINVAL.
 */
CMWQ_API int cmwq_get_wq_stats(struct workqueue_struct *wq,
			       struct cmwq_wq_stats *out);

CMWQ_END_DECLS

#endif /* CMWQ_STATS_H */
