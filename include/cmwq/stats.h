/* SPDX-License-Identifier: MIT */
/*
 * cmwq/stats.h - counters of pools and workqueues
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_STATS_H
#define CMWQ_STATS_H

#include <stdio.h>

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
 * @mayday_calls: times the pool called its workqueues' rescuers
 * @nr_inflight: workers taking work now, running or asleep in an item
 * @inflight_target: items the pool keeps in flight (its running target, or
 *	more once its items were seen to sleep most of their time)
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
	unsigned long long mayday_calls;
	unsigned int nr_inflight;
	unsigned int inflight_target;
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
 * @cpu_time_ns: CPU time its work functions used, sampled (see
 *	cmwq_stats_sample_cpu()): 0 unless sampling ran
 * @cm_wakeups: workers woken or created because one of its items blocked
 * @mayday_calls: mayday calls for it (WQ_MEM_RECLAIM)
 * @rescued: its items its rescuer ran
 * @nr_in_flight: items queued and not yet finished (active + inactive +
 *	running)
 * @min_active: its min_active (unbound; see cmwq_workqueue_set_min_active()),
 *	in what was the struct's tail padding in 0.1: the size is unchanged
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
	unsigned long long cpu_time_ns;
	unsigned long long cm_wakeups;
	unsigned long long mayday_calls;
	unsigned long long rescued;
	unsigned int nr_in_flight;
	int min_active;
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

/**
 * cmwq_stats_sample_cpu - sample the CPU time of work functions
 * @on: true to start (calls nest), false to stop
 *
 * The CPU time per workqueue is sampled, as the kernel charges scheduler
 * ticks: every 10 ms the observer thread reads each worker's thread CPU
 * clock and charges what it used since the last sample to the workqueue
 * of the item it runs then.  Sampling runs while this is on and for a few
 * seconds after each request of a monitor (cmwq-top); otherwise no thread
 * wakes for it and the work path never reads a clock.
 */
CMWQ_API void cmwq_stats_sample_cpu(bool on);

/**
 * cmwq_stats_sample_now - take one CPU time sample at once
 *
 * Return: 0.
 */
CMWQ_API int cmwq_stats_sample_now(void);

/**
 * cmwq_show_workqueues_to - print pools, workers and workqueues
 * @f: where to print
 * @wq: only this workqueue (and its pools), or NULL for all
 *
 * The text cmwq-dump prints for another process: each pool with its CPU
 * and attributes, each worker with its state and the function it runs
 * (by symbol where the dynamic symbol table names it), each workqueue
 * with its counters and the pools it uses.
 */
CMWQ_API void cmwq_show_workqueues_to(FILE *f, struct workqueue_struct *wq);

/** cmwq_show_all_workqueues - cmwq_show_workqueues_to(stderr, NULL) */
CMWQ_API void cmwq_show_all_workqueues(void);

/** cmwq_show_one_workqueue - cmwq_show_workqueues_to(stderr, @wq) */
CMWQ_API void cmwq_show_one_workqueue(struct workqueue_struct *wq);

/**
 * cmwq_show_freezable_workqueues - print the busy freezable workqueues
 *
 * On stderr: a heading line, then each WQ_FREEZABLE workqueue that still
 * has items in flight, as cmwq_show_one_workqueue() prints it.  The
 * kernel calls it when freezing fails; here it helps when
 * cmwq_freeze_workqueues_busy() stays true.
 */
CMWQ_API void cmwq_show_freezable_workqueues(void);

CMWQ_END_DECLS

#ifndef CMWQ_NO_KERNEL_NAMES
#define show_all_workqueues cmwq_show_all_workqueues
#define show_one_workqueue cmwq_show_one_workqueue
#define show_freezable_workqueues cmwq_show_freezable_workqueues
#endif

#endif /* CMWQ_STATS_H */
