// SPDX-License-Identifier: MIT
/*
 * fork.c - the library across fork()
 *
 * Only the forking thread exists in the child: no worker, no manager, no
 * rescuer.  Before fork() the parent takes every library lock (so none is
 * held by a thread that does not exist in the child) and releases them in
 * both processes afterwards.  The child then resets every pool: no
 * workers, nothing queued or armed, nothing running.  Items that were
 * pending in the parent are idle in the child (they run in the parent
 * only, never twice); the child may queue them again.  Threads start again
 * on first use, as in a new process; rescuers of WQ_MEM_RECLAIM workqueues
 * are restarted.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <stdlib.h>
#include <unistd.h>

extern pthread_mutex_t wqs_mutex;

/* Lock order: wqs_mutex -> wq->mutex -> pools -> pool->lock -> leaves. */
static void lock_all(void)
{
	struct workqueue_struct *wq;
	int i, n;

	cmwq_monitor_lock();
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	/* Every one of a class, nested: only this thread nests them. */
	list_for_each_entry(wq, cmwq_workqueue_list(), node)
		cmwq_mutex_lock_nested(&wq->mutex, LC_WQ);
	cmwq_pools_lock();
	n = cmwq_pool_count();
	for (i = 0; i < n; i++)
		cmwq_mutex_lock_nested(&cmwq_pool_by_id_locked(i)->lock,
				       LC_POOL);
	cmwq_mayday_lock();
	cmwq_timer_lock_all();
	cmwq_wq_caches_lock();
	/*
	 * The busy-hash buckets are not held across fork(): the child
	 * empties the hash and reinitialises their locks (every thread that
	 * could hold one is gone there).  Holding all 256 would also exceed
	 * what ThreadSanitizer tracks per thread.
	 */
}

static void unlock_all(void)
{
	struct workqueue_struct *wq;
	int i, n;

	cmwq_wq_caches_unlock();
	cmwq_timer_unlock_all();
	cmwq_mayday_unlock();
	n = cmwq_pool_count();
	for (i = n - 1; i >= 0; i--)
		cmwq_mutex_unlock(&cmwq_pool_by_id_locked(i)->lock, LC_POOL);
	cmwq_pools_unlock();
	list_for_each_entry(wq, cmwq_workqueue_list(), node)
		cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	cmwq_monitor_unlock();
}

/* Make an item that was queued or armed in the parent idle.  (child) */
static void forget_work(struct work_struct *work)
{
	work_data_store(work, 0);
	INIT_LIST_HEAD(&work->entry);
}

static void forget_list(struct list_head *head)
{
	while (!list_empty(head)) {
		struct work_struct *work =
			list_first_entry(head, struct work_struct, entry);

		list_del_init(&work->entry);
		forget_work(work);
	}
}

/* Reset @pool in the child: its workers do not exist here. */
static void reset_pool(struct worker_pool *pool)
{
	struct work_struct *work, *next;
	struct worker *worker, *n;

	for (work = atomic_load(&pool->incoming); work; work = next) {
		next = (struct work_struct *)work->entry.next;
		forget_work(work);
	}
	atomic_store(&pool->incoming, NULL);
	forget_list(&pool->worklist);
	list_for_each_entry_safe(worker, n, &pool->workers, node) {
		forget_list(&worker->scheduled);
		list_del_init(&worker->node);
		/* Its thread is gone; its fds are this process's now. */
		cmwq_detect_worker_forget(worker);
		free(worker);
	}
	/* The same state as a new pool's: one list, in pool.c. */
	pool_reset_state(pool);
}

static void reset_wq(struct workqueue_struct *wq)
{
	struct list_head *node;
	int c;

	list_for_each_node(node, &wq->pwqs)
	{
		struct pool_workqueue *pwq =
			list_entry(node, struct pool_workqueue, wq_node);

		forget_list(&pwq->inactive_works);
		pwq->nr_active = 0;
		INIT_LIST_HEAD(&pwq->nna_node);
		atomic_store(&pwq->activate_queued, 0);
		for (c = 0; c < WORK_NR_COLORS; c++)
			pwq->nr_in_flight[c] = 0;
		pwq->flush_mask = 0;
		pwq->work_color = (unsigned int)atomic_load(&wq->work_color);
		INIT_LIST_HEAD(&pwq->mayday_node);
	}
	for (c = 0; c < WORK_NR_COLORS; c++)
		atomic_store(&wq->nr_pwqs_to_flush[c], 0);
	atomic_store(&wq->flush_completed, wq->flush_started);
	atomic_store(&wq->nr_armed, 0);
	/* rcu_works in a grace period are orphaned claims in the child. */
	atomic_store(&wq->nr_rcu, 0);
	INIT_LIST_HEAD(&wq->maydays);
	/*
	 * The node counts: the parent's active items are forgotten; a lock
	 * a parent thread held (the manager releasing a pwq) is not ours.
	 */
	for (c = 0; c < wq->nr_nna; c++)
		nna_reset_state(&wq->nna[c]);
	cmwq_wq_reset_refs(wq);
}

static void atfork_prepare(void)
{
	lock_all();
}

static void atfork_parent(void)
{
	unlock_all();
}

static void atfork_child(void)
{
	struct workqueue_struct *wq;
	int i, n;

	/* Claims in transit in the parent's other threads are orphans. */
	atomic_fetch_add(&cmwq_fork_epoch, 1);
	cmwq_detect_fork_child();
	/* A BH lock held by a parent's BH worker: free in the child. */
	cmwq_bh_fork_child();
	n = cmwq_pool_count();
	for (i = 0; i < n; i++)
		reset_pool(cmwq_pool_by_id_locked(i));
	list_for_each_entry(wq, cmwq_workqueue_list(), node)
		reset_wq(wq);
	cmwq_timer_forget_all();
	cmwq_busy_forget_all();
	cmwq_activate_pending_forget();
	cmwq_manager_forget();
	unlock_all();
	/* Rescuers are part of a WQ_MEM_RECLAIM workqueue: restart them. */
	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	list_for_each_entry(wq, cmwq_workqueue_list(), node) {
		if (!wq->rescuer)
			continue;
		free(wq->rescuer);
		wq->rescuer = NULL;
		if (cmwq_rescuer_create(wq) < 0)
			cmwq_warn("fork: cannot restart the rescuer of \"%s\" "
				  "in the child",
				  wq->name);
	}
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
}

static int fork_init(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
	return 0;
}
cmwq_initcall(INIT_SERVICES, fork_init);
