/* SPDX-License-Identifier: MIT */
/*
 * seed001_system_wq.c - deferred work on the system workqueue
 *
 * The pattern of the Android binder driver in the CMWQ talk: a dedicated
 *
 *	binder_deferred_workqueue = create_singlethread_workqueue("binder");
 *	queue_work(binder_deferred_workqueue, &binder_deferred_work);
 *
 * becomes plain
 *
 *	schedule_work(&binder_deferred_work);
 *
 * One item, no ordering to keep, not on a reclaim path: system_wq serves.
 * Threads that close a "binder proc" put it on a deferred list (under a
 * mutex, with flags saying what to do) and kick the single deferred item,
 * which empties the list.
 *
 * What this program checks:
 *  - no request is lost: after the last schedule_work() and a flush_work(),
 *    the list is empty and the deferred item has handled every request,
 *    including those whose schedule_work() returned false because the item
 *    was already pending;
 *  - the item runs on a cmwq worker, and flush_work() of an idle item
 *    returns false.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"

#define NR_THREADS 4
#define PROCS_PER_THREAD 8
#define DEFERS_PER_THREAD 5000

enum {
	BINDER_DEFERRED_FLUSH = 1 << 0,
	BINDER_DEFERRED_RELEASE = 1 << 1,
};

struct binder_proc {
	struct binder_proc *deferred_next;
	bool on_list;
	unsigned int deferred_work; /* flags still to do */
	/* Counted under binder_deferred_lock. */
	unsigned long requested;
	unsigned long handled;
};

static pthread_mutex_t binder_deferred_lock = PTHREAD_MUTEX_INITIALIZER;
static struct binder_proc *binder_deferred_list;
static struct binder_proc procs[NR_THREADS][PROCS_PER_THREAD];
static atomic_long deferred_runs;
static atomic_int ran_off_worker;

static void binder_deferred_func(struct work_struct *work)
{
	struct binder_proc *proc;

	(void)work;
	if (!cmwq_current_is_worker())
		atomic_fetch_add(&ran_off_worker, 1);
	atomic_fetch_add(&deferred_runs, 1);

	for (;;) {
		pthread_mutex_lock(&binder_deferred_lock);
		proc = binder_deferred_list;
		if (proc) {
			binder_deferred_list = proc->deferred_next;
			proc->on_list = false;
			/* Flush and release: simulated. */
			proc->deferred_work = 0;
			proc->handled = proc->requested;
		}
		pthread_mutex_unlock(&binder_deferred_lock);
		if (!proc)
			break;
	}
}

static DECLARE_WORK(binder_deferred_work, binder_deferred_func);

static void binder_defer_work(struct binder_proc *proc, unsigned int defer)
{
	pthread_mutex_lock(&binder_deferred_lock);
	proc->deferred_work |= defer;
	proc->requested++;
	if (!proc->on_list) {
		proc->on_list = true;
		proc->deferred_next = binder_deferred_list;
		binder_deferred_list = proc;
	}
	pthread_mutex_unlock(&binder_deferred_lock);
	schedule_work(&binder_deferred_work);
}

static void *binder_user(void *arg)
{
	struct binder_proc *mine = arg;
	int i;

	for (i = 0; i < DEFERS_PER_THREAD; i++)
		binder_defer_work(&mine[i % PROCS_PER_THREAD],
				  i & 1 ? BINDER_DEFERRED_RELEASE :
					  BINDER_DEFERRED_FLUSH);
	return NULL;
}

int main(void)
{
	pthread_t threads[NR_THREADS];
	unsigned long total = 0;
	int t, p;

	for (t = 0; t < NR_THREADS; t++)
		if (pthread_create(&threads[t], NULL, binder_user, procs[t])) {
			perror("pthread_create");
			return EXIT_FAILURE;
		}
	for (t = 0; t < NR_THREADS; t++)
		pthread_join(threads[t], NULL);

	/* The driver's release path: nothing deferred may be in flight. */
	flush_work(&binder_deferred_work);

	/*
	 * The lock, not flush_work(), orders these reads after the item's
	 * writes: a flush that finds the item idle promises no ordering.
	 */
	pthread_mutex_lock(&binder_deferred_lock);
	EXPECT(binder_deferred_list == NULL);
	for (t = 0; t < NR_THREADS; t++)
		for (p = 0; p < PROCS_PER_THREAD; p++) {
			struct binder_proc *proc = &procs[t][p];

			EXPECT(!proc->on_list);
			EXPECT(proc->deferred_work == 0);
			EXPECT(proc->handled == proc->requested);
			total += proc->handled;
		}
	pthread_mutex_unlock(&binder_deferred_lock);
	EXPECT(total == (unsigned long)NR_THREADS * DEFERS_PER_THREAD);
	EXPECT(atomic_load(&deferred_runs) >= 1);
	EXPECT(atomic_load(&ran_off_worker) == 0);
	EXPECT(!work_pending(&binder_deferred_work));
	EXPECT(!flush_work(&binder_deferred_work));

	printf("binder: %lu deferred requests from %d threads handled by %ld "
	       "runs of the deferred item on system_wq\n",
	       total, NR_THREADS, (long)atomic_load(&deferred_runs));
	return EXIT_SUCCESS;
}
