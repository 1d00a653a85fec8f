// SPDX-License-Identifier: MIT
/*
 * rescuer.c - forward progress for WQ_MEM_RECLAIM workqueues
 *
 * Such a workqueue gets a rescuer thread when it is allocated.  When a
 * pool has waited for a new worker past the mayday timeout (the manager
 * could not create one: out of memory, RLIMIT_NPROC, fault injection), the
 * manager calls for rescue: every WQ_MEM_RECLAIM workqueue with work
 * queued on that pool is put on its rescuer's list, and the rescuer runs
 * that workqueue's items on the pool itself, one after the other, as the
 * kernel's rescuer_thread() does.  Other workqueues' items wait for the
 * pool to get a worker.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Protects every wq->maydays list and pwq->mayday_node. */
static pthread_mutex_t mayday_lock = PTHREAD_MUTEX_INITIALIZER;

/* For fork.c: held across fork(). */
void cmwq_mayday_lock(void)
{
	cmwq_mutex_lock(&mayday_lock, LC_MAYDAY);
}

void cmwq_mayday_unlock(void)
{
	cmwq_mutex_unlock(&mayday_lock, LC_MAYDAY);
}

/*
 * Ask the rescuers of the workqueues with work on @pool to run it.  (L)
 */
void cmwq_send_mayday(struct worker_pool *pool)
{
	struct work_struct *work;

	pool_drain_incoming(pool);
	pool->stats[POOL_STAT_MAYDAY_CALLS]++;
	list_for_each_entry(work, &pool->worklist, entry) {
		struct pool_workqueue *pwq = data_pwq(work_data_load(work));
		struct workqueue_struct *wq;

		if (!pwq)
			continue;
		wq = pwq->wq;
		if (!wq->rescuer ||
		    data_color(work_data_load(work)) == WORK_NO_COLOR)
			continue;
		cmwq_mutex_lock(&mayday_lock, LC_MAYDAY);
		if (list_empty(&pwq->mayday_node)) {
			/* The list's reference, dropped by the rescuer. */
			pwq_get(pwq);
			list_add_tail(&pwq->mayday_node, &wq->maydays);
			pwq->stats[PWQ_STAT_MAYDAY_CALLS]++;
			atomic_fetch_add(&wq->rescuer_seq, 1);
			cmwq_futex_wake(&wq->rescuer_seq, 1);
		}
		cmwq_mutex_unlock(&mayday_lock, LC_MAYDAY);
	}
}

/* Run the items of @pwq that wait on its pool's worklist.  (L) */
static void rescue_pwq(struct worker *rescuer, struct pool_workqueue *pwq)
{
	struct worker_pool *pool = pwq->pool;
	struct work_struct *work, *n;

	rescuer->pool = pool;
	pool_drain_incoming(pool);
	for (work = list_first_entry(&pool->worklist, struct work_struct,
				     entry);
	     &work->entry != &pool->worklist; work = n) {
		struct worker *other;

		/*
		 * Skipped items keep the barriers linked behind them, as in
		 * pick_next(): a barrier never runs before its item.
		 */
		n = next_unlinked(work);
		if (data_pwq(work_data_load(work)) != pwq)
			continue;
		busy_lock(work);
		other = busy_find_locked(work);
		busy_unlock(work);
		if (other)
			continue; /* its runner takes it next */
		move_linked_works(work, &rescuer->scheduled, &n);
	}
	worklist_changed(pool);
	process_scheduled_works(rescuer);
}

/*
 * An unbound pool's rescuer runs where the pool's workers may: its
 * cpumask, or every CPU of the process for a pool of any CPU (the rescuer
 * may come from a pod pool bound elsewhere).
 */
static void rescuer_bind_unbound(struct worker_pool *pool)
{
	unsigned long any[CMWQ_MAX_CPUS / (8 * sizeof(long))];

	if (!cmwq_mask_empty(pool->cpumask)) {
		cmwq_thread_bind_mask(pool->cpumask);
		return;
	}
	cmwq_possible_mask(any);
	cmwq_thread_bind_mask(any);
}

static void *rescuer_thread(void *arg)
{
	struct workqueue_struct *wq = arg;
	struct worker *rescuer = wq->rescuer;
	char name[16];

	cmwq_current_worker = rescuer;
	cmwq_current_rescuer = true;
	rescuer->tid = cmwq_gettid();
	rescuer->thread = pthread_self();
	/* Named after its workqueue, as the kernel names rescuers. */
	memcpy(name, wq->name, sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	cmwq_thread_set_name(name);

	for (;;) {
		unsigned int seq = atomic_load(&wq->rescuer_seq);
		struct pool_workqueue *pwq = NULL;
		struct worker_pool *pool;

		cmwq_mutex_lock(&mayday_lock, LC_MAYDAY);
		if (!list_empty(&wq->maydays)) {
			pwq = list_first_entry(&wq->maydays,
					       struct pool_workqueue,
					       mayday_node);
			list_del_init(&pwq->mayday_node);
		}
		cmwq_mutex_unlock(&mayday_lock, LC_MAYDAY);
		if (!pwq) {
			if (atomic_load(&wq->rescuer_stop))
				break;
			cmwq_futex_wait(&wq->rescuer_seq, seq, 0);
			continue;
		}
		pool = pwq->pool;
		if (pool->cpu >= 0)
			cmwq_thread_bind(pool->cpu);
		else
			rescuer_bind_unbound(pool);
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		rescue_pwq(rescuer, pwq);
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		pwq_put_unlocked(pwq);
	}
	cmwq_current_worker = NULL;
	cmwq_current_rescuer = false;
	cmwq_complete(&wq->rescuer_exited);
	return NULL;
}

int cmwq_rescuer_create(struct workqueue_struct *wq)
{
	struct worker *rescuer = cmwq_calloc(1, sizeof(*rescuer));
	int ret;

	if (!rescuer)
		return -ENOMEM;
	INIT_LIST_HEAD(&rescuer->node);
	INIT_LIST_HEAD(&rescuer->scheduled);
	atomic_init(&rescuer->cm_state, CM_UNCOUNTED);
	rescuer->flags = WORKER_RESCUER;
	rescuer->id = -1;
	memcpy(rescuer->name, wq->name, sizeof(rescuer->name) - 1);
	atomic_init(&wq->rescuer_seq, 0);
	atomic_init(&wq->rescuer_stop, 0);
	cmwq_init_completion(&wq->rescuer_exited);
	wq->rescuer = rescuer;
	/* Mayday calls come from the manager: make sure it runs. */
	ret = cmwq_manager_start();
	if (!ret)
		ret = cmwq_thread_start(rescuer_thread, wq);
	if (ret < 0) {
		wq->rescuer = NULL;
		free(rescuer);
		return ret;
	}
	return 0;
}

void cmwq_rescuer_destroy(struct workqueue_struct *wq)
{
	if (!wq->rescuer)
		return;
	cmwq_mutex_lock(&mayday_lock, LC_MAYDAY);
	while (!list_empty(&wq->maydays)) {
		struct pool_workqueue *pwq = list_first_entry(
			&wq->maydays, struct pool_workqueue, mayday_node);

		list_del_init(&pwq->mayday_node);
		/* Not the last: the workqueue still holds its base. */
		pwq_put(pwq);
	}
	cmwq_mutex_unlock(&mayday_lock, LC_MAYDAY);
	atomic_store(&wq->rescuer_stop, 1);
	atomic_fetch_add(&wq->rescuer_seq, 1);
	cmwq_futex_wake(&wq->rescuer_seq, 1);
	cmwq_wait_for_completion(&wq->rescuer_exited);
	free(wq->rescuer);
	wq->rescuer = NULL;
}
