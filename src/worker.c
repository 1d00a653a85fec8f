// SPDX-License-Identifier: MIT
/*
 * worker.c - worker threads: their main loop, running one item, and the
 * busy hash that keeps an item from running twice at once
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"
#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

__thread struct worker *cmwq_current_worker;
__thread bool cmwq_current_rescuer;

/*
 * The busy hash: which worker runs which item, over all pools.  An item
 * queued again while it runs must not start on another worker until the
 * running instance returned (non-reentrancy, property 2), also when the
 * new instance was queued on another CPU's pool.  Lock order: pool->lock,
 * then a bucket lock.
 */
static struct busy_bucket {
	pthread_spinlock_t lock; /* held for a few instructions only */
	struct worker *head; /* (B) */
} busy_hash[BUSY_HASH_SIZE];

static int busy_hash_init(void)
{
	unsigned int i;

	for (i = 0; i < BUSY_HASH_SIZE; i++)
		pthread_spin_init(&busy_hash[i].lock, PTHREAD_PROCESS_PRIVATE);
	return 0;
}
cmwq_initcall(INIT_CPUS, busy_hash_init);

static struct busy_bucket *busy_bucket(const struct work_struct *work)
{
	uintptr_t h = (uintptr_t)work >> 4;

	h *= 0x9e3779b97f4a7c15ull;
	return &busy_hash[h >> (64 - BUSY_HASH_BITS)];
}

/*
 * For fork.c, in the child: no worker runs anything there.  A bucket lock
 * may have been held by a thread of the parent: start it afresh.
 */
void cmwq_busy_forget_all(void)
{
	unsigned int i;

	for (i = 0; i < BUSY_HASH_SIZE; i++) {
		pthread_spin_init(&busy_hash[i].lock, PTHREAD_PROCESS_PRIVATE);
		busy_hash[i].head = NULL;
	}
	cmwq_current_worker = NULL;
}

void busy_lock(struct work_struct *work)
{
	pthread_spin_lock(&busy_bucket(work)->lock);
}

void busy_unlock(struct work_struct *work)
{
	pthread_spin_unlock(&busy_bucket(work)->lock);
}

/* The worker running @work, or NULL.  (B) */
struct worker *busy_find_locked(struct work_struct *work)
{
	struct worker *w;

	for (w = busy_bucket(work)->head; w; w = w->hash_next)
		if (w->current_work == work)
			return w;
	return NULL;
}

static void busy_insert_locked(struct worker *worker)
{
	struct busy_bucket *b = busy_bucket(worker->current_work);

	worker->hash_next = b->head;
	b->head = worker;
}

static void busy_remove_locked(struct worker *worker)
{
	struct busy_bucket *b = busy_bucket(worker->current_work);
	struct worker **pp;

	for (pp = &b->head; *pp; pp = &(*pp)->hash_next) {
		if (*pp == worker) {
			*pp = worker->hash_next;
			worker->hash_next = NULL;
			return;
		}
	}
}

/*
 * Take @pool->lock.  A worker that has to wait for it says so, so that the
 * monitor does not take a wait for the library's own lock -- its holder
 * drops it within microseconds; the kernel's pool lock is a spinlock that
 * never sleeps -- for a blocked item and start another worker (which
 * could then overtake the item this one just took, against FIFO order).
 * The flag is stored before the wait's switch-out record is written; the
 * monitor reads it after its acquire load of the ring's data_head, which
 * the kernel publishes after a write barrier.
 */
void pool_lock_at(struct worker_pool *pool, const char *file, int line)
{
	struct worker *worker;

	/* Checked and recorded once, for the try and the wait. */
	if (__builtin_expect(cmwq_lockdep_on, 0))
		cmwq_lockdep_acquire(LC_POOL, false, file, line);
	if (!pthread_mutex_trylock(&pool->lock))
		return;
	worker = cmwq_current_worker;
	if (worker)
		atomic_store_explicit(&worker->lock_wait, 1,
				      memory_order_relaxed);
	pthread_mutex_lock(&pool->lock);
	if (worker)
		atomic_store_explicit(&worker->lock_wait, 0,
				      memory_order_relaxed);
}

struct worker *cmwq_find_worker_executing(struct work_struct *work)
{
	struct worker *w;

	busy_lock(work);
	w = busy_find_locked(work);
	busy_unlock(work);
	return w;
}

/*
 * Move @work and the barriers linked behind it to @head.  *@nextp, if
 * given, is updated to the item after the last one moved, so a caller can
 * keep iterating the list it took them from.  (L)
 */
void move_linked_works(struct work_struct *work, struct list_head *head,
		       struct work_struct **nextp)
{
	struct work_struct *n;

	for (;;) {
		n = list_entry(work->entry.next, struct work_struct, entry);
		list_move_tail(&work->entry, head);
		if (!(work_data_load(work) & WORK_LINKED))
			break;
		work = n;
	}
	if (nextp)
		*nextp = n;
}

/* The item after @work and the barriers linked behind it.  (L) */
struct work_struct *next_unlinked(struct work_struct *work)
{
	while (work_data_load(work) & WORK_LINKED)
		work = list_next_entry(work, entry);
	return list_next_entry(work, entry);
}

/*
 * Take the first item of the worklist that may run now onto this worker's
 * scheduled list.  An item that another worker of this pool runs goes to
 * that worker (it runs it next, as the kernel does); an item that a worker
 * of another pool runs stays where it is and that worker kicks this pool
 * when it is done.  (L)
 */
static bool pick_next(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;
	struct work_struct *work, *n;
	bool found = false;

	if (list_empty(&pool->worklist))
		pool_drain_incoming(pool);
	for (work = list_first_entry(&pool->worklist, struct work_struct,
				     entry);
	     &work->entry != &pool->worklist; work = n) {
		struct worker *other;

		n = list_next_entry(work, entry);
		busy_lock(work);
		other = busy_find_locked(work);
		if (!other) {
			/*
			 * Claim the busy slot now, in the same critical
			 * section as the check: from here a new instance of
			 * the item comes to this worker.
			 */
			worker->current_work = work;
			busy_insert_locked(worker);
			busy_unlock(work);
			move_linked_works(work, &worker->scheduled, NULL);
			found = true;
			break;
		}
		if (other->pool == pool) {
			move_linked_works(work, &other->scheduled, &n);
		} else {
			/*
			 * Wait for the other pool's worker to finish the
			 * previous instance; it kicks this pool then.  The
			 * barriers linked behind the item wait with it.
			 */
			other->waiting_pool = pool;
			n = next_unlinked(work);
		}
		busy_unlock(work);
	}
	worklist_changed(pool);
	return found;
}

/*
 * Is there an item this pool could start now?  An item whose previous
 * instance runs in another pool is not; that pool's worker is asked to
 * kick this one when it is done.  (L)
 */
static bool has_runnable(struct worker_pool *pool)
{
	struct work_struct *work;
	bool ret = false;

	pool_drain_incoming(pool);
	for (work = list_first_entry(&pool->worklist, struct work_struct,
				     entry);
	     &work->entry != &pool->worklist; work = next_unlinked(work)) {
		struct worker *other;

		busy_lock(work);
		other = busy_find_locked(work);
		if (other && other->pool != pool)
			other->waiting_pool = pool;
		busy_unlock(work);
		if (!other || other->pool == pool) {
			ret = true;
			break;
		}
	}
	return ret;
}

/*
 * Run one item of the worker's scheduled list.  Called and returns with
 * pool->lock held; drops it while the function runs.
 */
/*
 * A BH worker takes its CPU's BH lock before @work stops being pending
 * (so that it stays cancellable while the CPU's other BH pool runs an
 * item).  Waiting for it drops pool->lock; if @work was taken off the
 * worker's list meanwhile (cancelled), give up its busy slot and the lock
 * and return false.  (L)
 */
static bool bh_begin(struct worker *worker, struct work_struct *work)
{
	struct worker_pool *pool = worker->pool;
	struct worker_pool *waiting;

	if (cmwq_bh_trylock(worker))
		return true;
	cmwq_mutex_unlock(&pool->lock, LC_POOL);
	cmwq_bh_lock(worker);
	pool_lock(pool);
	if (!list_empty(&worker->scheduled) &&
	    list_first_entry(&worker->scheduled, struct work_struct, entry) ==
		    work)
		return true;
	cmwq_bh_unlock(worker);
	if (worker->current_work != work)
		return false;
	busy_lock(work);
	busy_remove_locked(worker);
	waiting = worker->waiting_pool;
	worker->waiting_pool = NULL;
	worker->current_work = NULL;
	busy_unlock(work);
	if (waiting && waiting != pool)
		pool_kick_if_needed(waiting);
	return false;
}

/*
 * Drop the references on held_pwq the worker kept from the items it
 * finished (struct worker).  (L, or the worker's own thread with no lock)
 */
#define HELD_REFS_MAX 256

static void worker_drop_held_refs(struct worker *worker)
{
	if (worker->held_refs)
		pwq_put_many(worker->held_pwq, worker->held_refs);
	worker->held_pwq = NULL;
	worker->held_refs = 0;
}

/*
 * Keep the reference of an item of @pwq that the worker finished: those it
 * held are of @pwq too, as process_one_work() let any others go before the
 * item ran.  (L)
 */
static void worker_hold_ref(struct worker *worker, struct pool_workqueue *pwq)
{
	worker->held_pwq = pwq;
	if (++worker->held_refs >= HELD_REFS_MAX)
		worker_drop_held_refs(worker);
}

static void process_one_work(struct worker *worker, struct work_struct *work)
{
	struct worker_pool *pool = worker->pool;
	unsigned long data;
	struct pool_workqueue *pwq;
	bool barrier, cpu_intensive;
	struct worker_pool *waiting;
	work_func_t func;

	if (pool->bh && !bh_begin(worker, work))
		return;
	data = work_data_load(work);
	pwq = data_pwq(data);
	/*
	 * A barrier's pwq may be gone (its workqueue destroyed after the
	 * item it followed was cancelled): never read through it.
	 */
	barrier = data_color(data) == WORK_NO_COLOR;
	cpu_intensive = !barrier && (pwq->wq->flags & WQ_CPU_INTENSIVE);
	func = work->func;

	/* An item of another pwq, which may run long: let the last go. */
	if (worker->held_pwq && worker->held_pwq != pwq)
		worker_drop_held_refs(worker);
	worker->current_func = func;
	worker->current_pwq = pwq;
	worker->current_data = data;
	if (worker->current_work != work) {
		/* Not claimed by pick_next(): a barrier or a collision. */
		busy_lock(work);
		worker->current_work = work;
		busy_insert_locked(worker);
		busy_unlock(work);
	}
	list_del_init(&work->entry);

	if (cpu_intensive) {
		/* Not counted for concurrency: the next item may start. */
		worker->flags |= WORKER_CPU_INTENSIVE;
		worker_clr_running(worker);
		pool_kick_if_needed(pool);
		pool->stats[POOL_STAT_CPU_INTENSIVE]++;
		pwq->stats[PWQ_STAT_CPU_INTENSIVE]++;
	}
	/* The monitor tells items apart by this (relaxed: a hint). */
	atomic_store_explicit(&worker->item_seq,
			      atomic_load_explicit(&worker->item_seq,
						   memory_order_relaxed) +
				      1,
			      memory_order_relaxed);
	/* Work left behind this item: the monitor should look. */
	if (!list_empty(&pool->worklist))
		pool_watch(pool);
	if (data_color(data) != WORK_NO_COLOR) {
		/* Barriers are the library's own: not counted. */
		pool->stats[POOL_STAT_ITEMS_STARTED]++;
		pwq->stats[PWQ_STAT_ITEMS_STARTED]++;
	}

	/*
	 * Clear PENDING: from here on queue_work may claim the item again,
	 * and that instance runs after this one (the busy hash holds it
	 * back).  The full fence orders the clear before every load the
	 * function makes, pairing with the claim in queue_work (a seq_cst
	 * read-modify-write after the queuer's stores): either the claim
	 * sees PENDING clear and queues a new instance, or this run sees the
	 * queuer's stores.  Nothing queued is missed (property 3).
	 */
	(void)__atomic_exchange_n(&work->data, 0UL, __ATOMIC_SEQ_CST);
#if !defined(__x86_64__) && !defined(__i386__)
	/* x86's locked exchange is a full barrier already. */
	atomic_thread_fence(memory_order_seq_cst);
#endif

	cmwq_mutex_unlock(&pool->lock, LC_POOL);
	if (pool->bh) {
		/* One BH item at a time on this CPU, whichever BH pool. */
		unsigned long long t0 = cmwq_clock_ns();

		trace_workqueue_execute_start(work, func);
		func(work);
		trace_workqueue_execute_end(work, func);
		cmwq_bh_item_end(worker, func, t0);
	} else {
		trace_workqueue_execute_start(work, func);
		func(work);
		/* @work may be freed by now: only its address is used below. */
		trace_workqueue_execute_end(work, func);
	}
	pool_lock(pool);

	if (worker->flags & WORKER_CPU_INTENSIVE) {
		worker->flags &= ~WORKER_CPU_INTENSIVE;
		/* A rescuer never counts: it is not one of the pool's. */
		if (!(worker->flags & WORKER_RESCUER))
			worker_set_running(worker);
	} else {
		/* Found blocked or hogging meanwhile: it runs now. */
		worker_recount(worker);
	}
	if (worker->renamed) {
		cmwq_thread_set_name(worker->name);
		worker->renamed = false;
	}
	worker->desc[0] = '\0';

	busy_lock(work);
	busy_remove_locked(worker);
	waiting = worker->waiting_pool;
	worker->waiting_pool = NULL;
	worker->current_work = NULL;
	busy_unlock(work);

	if (data_color(data) != WORK_NO_COLOR) {
		pool->stats[POOL_STAT_ITEMS_COMPLETED]++;
		pwq->stats[PWQ_STAT_ITEMS_COMPLETED]++;
		if (worker->flags & WORKER_RESCUER)
			pwq->stats[PWQ_STAT_RESCUED]++;
	}
	worker->current_func = NULL;
	worker->current_pwq = NULL;
	pwq_dec_nr_in_flight_keep_ref(pwq, data);
	/* A rescuer runs a few items of many pwqs: it drops each at once. */
	if (barrier || (worker->flags & WORKER_RESCUER))
		pwq_put(pwq);
	else
		worker_hold_ref(worker, pwq);
	if (waiting && waiting != pool)
		pool_kick_if_needed(waiting);
}

void process_scheduled_works(struct worker *worker)
{
	while (!list_empty(&worker->scheduled)) {
		struct work_struct *work = list_first_entry(
			&worker->scheduled, struct work_struct, entry);

		process_one_work(worker, work);
	}
}

static void worker_enter_idle(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;
	unsigned long long now = cmwq_clock_ns();

	worker->flags |= WORKER_IDLE;
	worker->last_active_ns = now;
	atomic_fetch_add(&pool->nr_idle, 1);
	if (too_many_workers(pool) && !pool->reap_deadline_ns) {
		pool->reap_deadline_ns =
			now + atomic_load_explicit(&cmwq_idle_timeout_ns,
						   memory_order_relaxed);
		cmwq_manager_note_deadline(pool->reap_deadline_ns);
	}
}

static void worker_leave_idle(struct worker *worker)
{
	worker->flags &= ~WORKER_IDLE;
	atomic_fetch_sub(&worker->pool->nr_idle, 1);
}

/*
 * The worker's life, as the kernel's worker_thread(): take work while the
 * pool needs a running worker, keep taking it while the pool is not over
 * its target, then idle until kicked.  Returns (pool->lock held) when the
 * worker is to exit.
 */
/* Modelled in docs/model/wakeup.pml. */
static void worker_loop(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;
	unsigned int seq;

	for (;;) {
		/*
		 * Whatever woke us consumed the pool's kick: from now on a
		 * queuer that finds the pool short of running workers kicks
		 * again.  (seq_cst store, then seq_cst loads below.)
		 */
		atomic_store(&pool->kicked, 0);
		if (!need_more_worker(pool) || !has_runnable(pool))
			goto sleep;
		/*
		 * No idle worker left to take over if we block: ask the
		 * manager for one now, off our path (the kernel's
		 * manage_workers()).  A BH pool has its one worker only.
		 */
		if (!pool->bh && !may_start_working(pool))
			cmwq_request_worker(pool);
		worker_set_running(worker);
		atomic_fetch_add(&pool->nr_inflight, 1);
		do {
			if (!pick_next(worker))
				break;
			process_scheduled_works(worker);
		} while (keep_working(pool));
		worker_drop_held_refs(worker);
		/* Both seq_cst: the worker's half of pool.c's protocol. */
		atomic_fetch_sub(&pool->nr_inflight, 1);
		worker_clr_running(worker);
sleep:
		worker_enter_idle(worker);
		/*
		 * Read wake_seq before looking for work for the last time:
		 * a kick after this read makes futex_wait return at once.
		 */
		seq = atomic_load(&pool->wake_seq);
		/*
		 * A kick that came before this read woke nobody if every
		 * worker was busy then: drop its flag, so the next queuer
		 * kicks again (a later kick moves wake_seq past @seq).  The
		 * lost wake-up without this is spin's trail in
		 * docs/model/wakeup.pml (FIX_KICKED).
		 */
		atomic_store(&pool->kicked, 0);
		if (need_more_worker(pool) && has_runnable(pool)) {
			worker_leave_idle(worker);
			continue;
		}
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		cmwq_futex_wait(&pool->wake_seq, seq, 0);
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		if (!(worker->flags & WORKER_DIE)) {
			worker_leave_idle(worker);
			continue;
		}
		/*
		 * Chosen to exit by pool_reap(), which took us out of
		 * nr_idle.  A kick that came meanwhile may have been meant
		 * for us: drop its flag so the next queuer kicks again
		 * (seq_cst store, then the loads of need_more_worker()), and
		 * if work needs a worker now, stay and take it.
		 */
		worker->flags &= ~(WORKER_DIE | WORKER_IDLE);
		pool->nr_dying--;
		atomic_store(&pool->kicked, 0);
		if (!need_more_worker(pool))
			return;
	}
}

static void worker_apply_attrs(struct worker *worker)
{
	struct worker_pool *pool = worker->pool;
	static atomic_int nice_warned;

	if (pool->cpu >= 0) {
		if (cmwq_thread_bind(pool->cpu) < 0)
			cmwq_warn("%s: cannot bind to CPU %d; running unbound",
				  worker->name, pool->cpu);
	} else if (pool->affn_strict || cmwq_mask_empty(pool->pod_cpumask) ||
		   !memcmp(pool->pod_cpumask, pool->cpumask,
			   sizeof(pool->cpumask))) {
		cmwq_thread_bind_mask(pool->cpumask);
	} else {
		/*
		 * Not strict: start on the pod, so the scheduler, which
		 * wakes a thread where it last ran while that CPU is free,
		 * keeps it there; then let it go anywhere in the cpumask.
		 */
		unsigned long any[CMWQ_MAX_CPUS / (8 * sizeof(long))];
		const unsigned long *wide = pool->cpumask;

		cmwq_thread_bind_mask(pool->pod_cpumask);
		if (cmwq_mask_empty(wide)) {
			cmwq_possible_mask(any);
			wide = any;
		}
		cmwq_thread_bind_mask(wide);
	}
	if (pool->bh) {
		cmwq_bh_apply_sched(worker);
		return;
	}
	if (pool->nice &&
	    setpriority(PRIO_PROCESS, (id_t)worker->tid, pool->nice) < 0 &&
	    !atomic_exchange(&nice_warned, 1))
		cmwq_warn("cannot set nice %d for high-priority workers "
			  "(needs CAP_SYS_NICE); they run at normal priority",
			  pool->nice);
}

static void *worker_thread(void *arg)
{
	struct worker *worker = arg;
	struct worker_pool *pool = worker->pool;

	pid_t tid = cmwq_gettid();
	struct worker_detect *detect;

	cmwq_current_worker = worker;
	cmwq_thread_set_name(worker->name);
	detect = cmwq_detect_worker_start(tid);

	/* Published under the lock: the monitor and dumps read them so. */
	cmwq_mutex_lock(&pool->lock, LC_POOL);
	worker->tid = tid;
	worker->thread = pthread_self();
	worker->detect = detect;
	cmwq_mutex_unlock(&pool->lock, LC_POOL);
	worker_apply_attrs(worker);

	cmwq_mutex_lock(&pool->lock, LC_POOL);
	atomic_fetch_sub(&pool->nr_starting, 1);
	worker_loop(worker);
	list_del_init(&worker->node);
	pool->nr_workers--;
	pool->stats[POOL_STAT_WORKERS_EXITED]++;
	cmwq_mutex_unlock(&pool->lock, LC_POOL);
	cmwq_current_worker = NULL;
	cmwq_detect_worker_exit(worker);
	free(worker);
	return NULL;
}

/* Start a worker for @pool.  Returns 0 or -errno. */
int cmwq_create_worker(struct worker_pool *pool)
{
	struct worker *worker;
	int ret;

	worker = cmwq_calloc(1, sizeof(*worker));
	if (!worker)
		return -ENOMEM;
	worker->pool = pool;
	INIT_LIST_HEAD(&worker->node);
	INIT_LIST_HEAD(&worker->scheduled);
	atomic_init(&worker->cm_state, CM_UNCOUNTED);
	atomic_init(&worker->item_seq, 0);
	atomic_init(&worker->bh_reported_seq, 0);
	atomic_init(&worker->lock_wait, 0);

	cmwq_mutex_lock(&pool->lock, LC_POOL);
	if (pool->bh && pool->nr_workers > 0) {
		/* A BH pool has one worker, for good: never a second. */
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		free(worker);
		return 0;
	}
	worker->id = pool->next_worker_id++;
	if (pool->bh)
		/* The pool's name: there is no other worker to tell apart. */
		snprintf(worker->name, sizeof(worker->name), "%s", pool->name);
	else if (pool->cpu >= 0)
		snprintf(worker->name, sizeof(worker->name), "kworker/%d:%d%s",
			 pool->cpu, worker->id, pool->highpri ? "H" : "");
	else
		snprintf(worker->name, sizeof(worker->name), "kworker/u%d:%d",
			 pool->id, worker->id);
	list_add_tail(&worker->node, &pool->workers);
	pool->nr_workers++;
	atomic_fetch_add(&pool->nr_starting, 1);
	pool->stats[POOL_STAT_WORKERS_CREATED]++;
	if ((unsigned int)pool->nr_workers > pool->stats[POOL_STAT_PEAK_WORKERS])
		pool->stats[POOL_STAT_PEAK_WORKERS] = (unsigned int)pool->nr_workers;
	cmwq_mutex_unlock(&pool->lock, LC_POOL);

	ret = cmwq_thread_start(worker_thread, worker);
	if (ret < 0) {
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		list_del_init(&worker->node);
		pool->nr_workers--;
		atomic_fetch_sub(&pool->nr_starting, 1);
		pool->stats[POOL_STAT_WORKERS_CREATED]--;
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		free(worker);
	}
	return ret;
}

CMWQ_API struct work_struct *cmwq_current_work(void)
{
	struct worker *worker = cmwq_current_worker;

	/*
	 * NULL in a BH item, as the kernel's (current_wq_worker() answers
	 * only in task context, and BH items run in softirq context).
	 */
	if (!worker || worker->pool->bh)
		return NULL;
	return worker->current_work;
}

CMWQ_API bool cmwq_current_is_worker(void)
{
	return cmwq_current_worker != NULL;
}

CMWQ_API bool cmwq_current_is_workqueue_rescuer(void)
{
	return cmwq_current_rescuer;
}

CMWQ_API void cmwq_set_worker_desc(const char *fmt, ...)
{
	struct worker *worker = cmwq_current_worker;
	char name[80];
	va_list ap;

	if (!worker || !fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(worker->desc, sizeof(worker->desc), fmt, ap);
	va_end(ap);
	snprintf(name, sizeof(name), "%s+%s", worker->name, worker->desc);
	cmwq_thread_set_name(name);
	worker->renamed = true;
}
