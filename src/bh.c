// SPDX-License-Identifier: MIT
/*
 * bh.c - BH workqueues (WQ_BH): the kernel's replacement for tasklets
 *
 * In the kernel a BH work item runs in softirq context on the CPU it was
 * queued on: in queueing order, never at the same time as another BH item
 * of that CPU, and it must not sleep.  Here each CPU has two BH pools,
 * normal and high priority, each with exactly one worker thread pinned to
 * the CPU: started when the first item is queued there, as any worker, and
 * kept for good (a BH pool never has surplus idle workers to reap, and the
 * kernel's softirq context never goes away either).  The worker runs at
 * SCHED_FIFO where the process may use it, so that it preempts the CPU's
 * ordinary threads as a softirq interrupts them; else at the lowest nice
 * the process may set.
 *
 * What makes it BH rather than a small per-CPU pool:
 *
 *   - no concurrency management: the one worker keeps counting as running
 *     whatever its item does, the monitor never uncounts it, the manager
 *     never creates a second one (cmwq_create_worker()), and a BH
 *     workqueue has no rescuer (WQ_MEM_RECLAIM is refused);
 *   - the two BH pools of a CPU run one item at a time between them: each
 *     item runs under the CPU's BH lock, so a high-priority item waits for
 *     the normal one that runs (the kernel's HI and TASKLET softirqs run
 *     one after the other on a CPU, never one inside the other); the lock
 *     inherits priority, so the waiting SCHED_FIFO worker lends its
 *     priority to the one it waits for;
 *   - sleeping is misuse: an item found blocked by the monitor
 *     (detect.c, while items wait behind it), one that waits in a library
 *     call (cmwq_worker_sleeping()), and one that runs longer than the
 *     CPU-intensive threshold (10 ms by default, wall-clock time) is
 *     reported by name, once per item and at the 1st, 2nd, 4th, 8th...
 *     time per function.  Nothing starts in its place: the items behind
 *     it wait, as behind a softirq that spins.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* (I) after init: one lock per CPU slot, held around each BH item. */
static pthread_mutex_t *bh_locks;
static int nr_bh_locks;

static void bh_lock_init(pthread_mutex_t *lock)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	if (pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT) ||
	    pthread_mutex_init(lock, &attr))
		pthread_mutex_init(lock, NULL);
	pthread_mutexattr_destroy(&attr);
}

int cmwq_bh_init(void)
{
	int i;

	/* Not cmwq_calloc(): start-up is no place for injected faults. */
	bh_locks = calloc((size_t)cmwq_nr_cpu_slots, sizeof(*bh_locks));
	if (!bh_locks)
		return -ENOMEM;
	nr_bh_locks = cmwq_nr_cpu_slots;
	for (i = 0; i < nr_bh_locks; i++)
		bh_lock_init(&bh_locks[i]);
	return 0;
}

/*
 * For fork.c, in the child: a BH lock may have been held by a worker of
 * the parent, which does not exist here.
 */
void cmwq_bh_fork_child(void)
{
	int i;

	for (i = 0; i < nr_bh_locks; i++)
		bh_lock_init(&bh_locks[i]);
}

/*
 * On the BH worker itself, once: SCHED_FIFO at the lowest priorities (1
 * above the minimum for normal, 2 for high priority: above every ordinary
 * thread, below any real-time thread the program has), else the lowest
 * nice the process may set.
 */
void cmwq_bh_apply_sched(struct worker *worker)
{
	static atomic_int warned;
	struct worker_pool *pool = worker->pool;
	int min = sched_get_priority_min(SCHED_FIFO);
	struct sched_param sp = { .sched_priority =
					  min + (pool->highpri ? 2 : 1) };
	struct rlimit rl;
	int err, nice = pool->nice;

	err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	if (!err)
		return;
	if (setpriority(PRIO_PROCESS, (id_t)worker->tid, -20) == 0) {
		nice = -20;
	} else if (getrlimit(RLIMIT_NICE, &rl) == 0 &&
		   rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 20 &&
		   rl.rlim_cur <= 40 &&
		   setpriority(PRIO_PROCESS, (id_t)worker->tid,
			       20 - (int)rl.rlim_cur) == 0) {
		/* RLIMIT_NICE lets the process go down to 20 - limit. */
		nice = 20 - (int)rl.rlim_cur;
	} else if (nice && setpriority(PRIO_PROCESS, (id_t)worker->tid,
				       nice) < 0) {
		nice = 0;
	}
	if (!atomic_exchange(&warned, 1))
		cmwq_warn("BH workers cannot run at SCHED_FIFO (%s; needs "
			  "CAP_SYS_NICE or RLIMIT_RTPRIO of %d); they run at "
			  "nice %d, so other threads of the CPU may delay "
			  "BH work",
			  strerror(err), min + 2, nice);
}

bool cmwq_bh_trylock(struct worker *worker)
{
	return cmwq_mutex_trylock(&bh_locks[worker->pool->cpu], LC_BH);
}

void cmwq_bh_lock(struct worker *worker)
{
	/*
	 * The CPU's other BH pool runs an item: waiting for it is not this
	 * worker's item sleeping (the monitor reads the flag, see
	 * pool_lock()).
	 */
	atomic_store_explicit(&worker->lock_wait, 1, memory_order_relaxed);
	cmwq_mutex_lock(&bh_locks[worker->pool->cpu], LC_BH);
	atomic_store_explicit(&worker->lock_wait, 0, memory_order_relaxed);
}

void cmwq_bh_unlock(struct worker *worker)
{
	cmwq_mutex_unlock(&bh_locks[worker->pool->cpu], LC_BH);
}

void cmwq_bh_item_end(struct worker *worker, work_func_t func,
		      unsigned long long started_ns)
{
	unsigned long long ran = cmwq_clock_ns() - started_ns;

	cmwq_bh_unlock(worker);
	if (ran >= cmwq_cpu_intensive_thresh_ns())
		cmwq_bh_report(worker,
			       atomic_load_explicit(&worker->item_seq,
						    memory_order_relaxed),
			       func, BH_RAN_LONG, ran);
}

bool cmwq_bh_wait_deadlocks(struct worker_pool *pool)
{
	struct worker *self = cmwq_current_worker;

	return self && self->pool->bh && pool->bh &&
	       pool->cpu == self->pool->cpu;
}

/* Reports per function, at the 1st, 2nd, 4th, 8th... time.  (seen_lock) */
#define BH_SEEN 64
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	work_func_t func;
	unsigned long long count;
} seen[BH_SEEN];

static unsigned long long count_report(work_func_t func)
{
	unsigned long long c = 0;
	int i, slot = -1;

	cmwq_mutex_lock(&seen_lock, LC_BH_SEEN);
	for (i = 0; i < BH_SEEN; i++) {
		if (seen[i].func == func) {
			slot = i;
			break;
		}
		if (!seen[i].func && slot < 0)
			slot = i;
	}
	if (slot >= 0) {
		seen[slot].func = func;
		c = ++seen[slot].count;
	}
	cmwq_mutex_unlock(&seen_lock, LC_BH_SEEN);
	/* A full table: report none of the newcomers rather than all. */
	return c;
}

void cmwq_bh_report(struct worker *worker, unsigned long seq,
		    work_func_t func, int how, unsigned long long ns)
{
	unsigned long prev =
		atomic_load_explicit(&worker->bh_reported_seq,
				     memory_order_relaxed);
	unsigned long long c;
	char name[128];
	const char *fn;

	/* One report per item, whoever sees it first. */
	if (prev == seq ||
	    !atomic_compare_exchange_strong(&worker->bh_reported_seq, &prev,
					    seq))
		return;
	c = count_report(func);
	if (!c || (c & (c - 1)))
		return;
	fn = cmwq_func_name(func, name, sizeof(name));
	switch (how) {
	case BH_SLEPT:
		cmwq_warn("BH work item %s() sleeps (found blocked in a "
			  "system call) on %s: BH items must not sleep; the BH "
			  "items of CPU %d wait for it, no other worker is "
			  "started (report %llu)",
			  fn, worker->pool->name, worker->pool->cpu, c);
		break;
	case BH_WAITED:
		cmwq_warn("BH work item %s() sleeps in a library wait "
			  "(completion, flush or cancel) on %s: BH items must "
			  "not sleep; the BH items of CPU %d wait for it, no "
			  "other worker is started (report %llu)",
			  fn, worker->pool->name, worker->pool->cpu, c);
		break;
	case BH_RUNS_LONG:
		cmwq_warn("BH work item %s() has run for over %llu us on %s: "
			  "BH items must neither sleep nor run long; the BH "
			  "items of CPU %d wait for it (report %llu)",
			  fn, ns / 1000, worker->pool->name, worker->pool->cpu,
			  c);
		break;
	default:
		cmwq_warn("BH work item %s() ran for %llu us on %s: BH items "
			  "must neither sleep nor run long (threshold %llu us); "
			  "the BH items of CPU %d waited for it (report %llu)",
			  fn, ns / 1000, worker->pool->name,
			  cmwq_cpu_intensive_thresh_ns() / 1000,
			  worker->pool->cpu, c);
		break;
	}
}
