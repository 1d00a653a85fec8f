/* SPDX-License-Identifier: MIT */
/*
 * internal.h - the engine's shared structures and their locking rules
 *
 * Lock order: written once, in lockdep.h (enum lock_class), and checked
 * at run time with CMWQ_DEBUG_LOCKS=1.
 *
 * Legend used on every shared field:
 *   (L)  pool->lock            (W)  wq->mutex
 *   (B)  busy bucket lock      (A)  atomic, protocol described at the field
 *   (I)  set once at creation, read-only afterwards
 *   (T)  only the owning thread
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_INTERNAL_H
#define CMWQ_INTERNAL_H

#include <cmwq.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "list.h"
#include "initcall.h"
#include "lockdep.h"
#include "platform.h"

/*
 * The state word of a work item (work->data).
 *
 * While the item sits on a queue (PWQ set) the word holds the address of
 * its pool_workqueue; pwqs are aligned to 512 bytes so the low 9 bits carry
 * flags and the flush colour.  Off queue (PWQ clear) the word holds the
 * disable count.  PENDING is the claim: whoever sets it owns the right to
 * queue the item, and the item runs once per successful claim.
 */
enum {
	WORK_PENDING = 1UL << 0, /* claimed: queued, armed or in transit */
	WORK_INACTIVE = 1UL << 1, /* on pwq->inactive_works (PWQ set) */
	WORK_PWQ = 1UL << 2, /* word holds a pwq pointer */
	WORK_LINKED = 1UL << 3, /* next item is a barrier that follows it */
	WORK_INCOMING = 1UL << 4, /* in a pool's lock-free ingress stack */
	WORK_TIMER = 1UL << 1, /* off queue: armed in the timer service */

	WORK_COLOR_SHIFT = 5,
	WORK_COLOR_BITS = 4,
	WORK_NR_COLORS = (1 << WORK_COLOR_BITS) - 1, /* 15 usable */
	WORK_NO_COLOR = WORK_NR_COLORS, /* barriers: not counted */
	WORK_COLOR_MASK = ((1 << WORK_COLOR_BITS) - 1) << WORK_COLOR_SHIFT,

	WORK_PWQ_SHIFT = 9,
	WORK_FLAG_MASK = (1UL << WORK_PWQ_SHIFT) - 1,

	WORK_OFFQ_DISABLE_SHIFT = 8,
	WORK_OFFQ_DISABLE_BITS = 16,
};

/*
 * Off queue, a claim (PENDING without PWQ: being queued, armed, or taken
 * by a canceller) carries the fork epoch it was made in.  In a child of
 * fork() a claim from an earlier epoch was made by a thread that does not
 * exist there: such an orphan counts as idle.
 */
#define WORK_OFFQ_EPOCH_SHIFT 24
#define WORK_OFFQ_EPOCH_MASK (0xffffUL << WORK_OFFQ_EPOCH_SHIFT)
/*
 * The same for an item tagged with its pwq but not yet on a list
 * (INCOMING): the epoch rides in the top 16 bits, above any user-space
 * address.
 */
#define WORK_INCOMING_EPOCH_SHIFT 48
#define WORK_INCOMING_EPOCH_MASK (0xffffUL << WORK_INCOMING_EPOCH_SHIFT)
extern atomic_uint cmwq_fork_epoch; /* (A) bumped in each fork child */

#define WORK_OFFQ_DISABLE_MASK \
	(((1UL << WORK_OFFQ_DISABLE_BITS) - 1) << WORK_OFFQ_DISABLE_SHIFT)
#define WORK_OFFQ_DISABLE_MAX ((1UL << WORK_OFFQ_DISABLE_BITS) - 1)

/* Worker flags (L). */
enum {
	WORKER_DIE = 1 << 1, /* asked to exit */
	WORKER_IDLE = 1 << 2, /* idle, not counted as running */
	WORKER_CPU_INTENSIVE = 1 << 6, /* running a CPU intensive item */
	WORKER_RESCUER = 1 << 7, /* a rescuer thread */
};

struct worker_pool;
struct pool_workqueue;

/**
 * struct worker - one worker thread
 *
 * Lives from creation until the thread exits; freed by the thread itself
 * after it left every list.
 */
struct worker {
	struct worker_pool *pool; /* (I) */
	int id; /* (I) number in the pool's name */
	pid_t tid; /* (I) kernel thread id */
	unsigned int flags; /* (L) WORKER_* */
	struct list_head node; /* (L) in pool->workers */
	struct list_head scheduled; /* (L) items this worker runs next */
	unsigned long long last_active_ns; /* (L) when it went idle */

	/* What it runs now.  (B) for the busy hash, and (L) to write. */
	struct work_struct *current_work;
	work_func_t current_func;
	struct pool_workqueue *current_pwq;
	unsigned long current_data; /* data word it was queued with (L) */
	struct worker *hash_next; /* (B) chain of the busy bucket */
	/*
	 * (B) a pool where the next instance of current_work waits for this
	 * one to finish (queued on another pool while this one runs it).
	 */
	struct worker_pool *waiting_pool;
	/*
	 * (T) References on @held_pwq of items this worker finished, not
	 * dropped yet: a queuer on another CPU takes each item's reference
	 * on the pwq's line, and a put per item would pull the line back
	 * at once.  Dropped together before the worker runs an item of
	 * another pwq, every HELD_REFS_MAX, and before it goes idle
	 * (worker.c), so the pwq lives no longer than the worker keeps
	 * working on its items.
	 */
	struct pool_workqueue *held_pwq;
	int held_refs;

	/*
	 * (A) Concurrency state: CM_COUNTED while the worker contributes to
	 * pool->nr_running.  Changed only by compare-and-swap, and whoever
	 * wins a transition adjusts nr_running, so the count moves exactly
	 * once per transition.  The worker moves 0 <-> COUNTED and takes
	 * back DETECTED/HOG; the monitor moves COUNTED -> DETECTED (found
	 * blocked), DETECTED -> COUNTED (found running again) and COUNTED ->
	 * HOG (ran past the CPU-intensive threshold).
	 */
	atomic_int cm_state;
	/* Depth of cmwq_worker_sleeping() calls (T): outermost one counts. */
	int sleep_depth;
	bool sleep_uncounted; /* (T) the hooks took it out of nr_running */
	/* (A) waiting for a pool's lock (pool_lock()): not a blocked item */
	atomic_int lock_wait;
	/* (A) bumped when an item starts; read by the monitor */
	atomic_ulong item_seq;
	/*
	 * (A) BH workers: the item_seq of the last item reported as misuse
	 * (slept, or ran past the threshold), so that one item is reported
	 * once, by the monitor or by the worker itself (bh.c).
	 */
	atomic_ulong bh_reported_seq;
	pthread_t thread; /* (I) */
	struct worker_detect *detect; /* (I) block detection state */
	/* Monitor-private (manager thread only). */
	unsigned long mon_seq;
	unsigned long long mon_since_ns;
	unsigned long long mon_cpu_ns;
	/* (monitor_lock) when the monitor found it blocked (0: not so) */
	unsigned long long mon_block_at_ns;
	/* (monitor_lock) CPU time at the last in-flight estimate sample */
	unsigned long long est_cpu_prev;
	bool est_cpu_valid;
	/*
	 * (monitor_lock) length of the blocks found ended, held until the
	 * worker blocks again or goes idle, after the CPU time it used in
	 * between (estimate_block_ended() in detect.c)
	 */
	double est_ended_held;
	unsigned long long obs_cpu_ns; /* (L) observe.c: CPU time last sampled */
	bool renamed; /* (T) thread name carries a desc */
	char desc[32]; /* (T) set_worker_desc() text */
	char name[32]; /* (I) kworker/...; the thread keeps 15 chars */
};

/* Values of worker->cm_state. */
enum {
	CM_UNCOUNTED = 0,
	CM_COUNTED = 1,
	CM_DETECTED = 2, /* uncounted by the monitor: found blocked */
	CM_HOG = 3, /* uncounted by the monitor: CPU intensive */
};

/*
 * Fields written by different threads at different rates go on cache lines
 * of their own, so that a queuer reading a pool's counters does not miss
 * every time a worker bumps a statistic beside them.  (A struct with such
 * a field is allocated with cmwq_aligned_alloc().)
 */
#define CMWQ_CACHELINE 64
#define __cmwq_cacheline_aligned __attribute__((aligned(CMWQ_CACHELINE)))

/* Hash of the workers that run an item, keyed by the item's address. */
#define BUSY_HASH_BITS 8
#define BUSY_HASH_SIZE (1u << BUSY_HASH_BITS)


/*
 * The counters of a pool and of a pool_workqueue, by index, as the
 * kernel's enum pool_workqueue_stats: kept in one array each, under the
 * pool's lock (the hot path holds it already), and read in one place
 * (src/snapshot.c) for the stats API, the shared-memory observer and the
 * dump.  Concurrency-management wake-ups are relaxed atomics apart
 * (cm_wakeups), counted where no lock is held.
 */
enum pool_stat {
	POOL_STAT_PEAK_WORKERS, /* most workers at once */
	POOL_STAT_WORKERS_CREATED,
	POOL_STAT_WORKERS_EXITED,
	POOL_STAT_ITEMS_STARTED,
	POOL_STAT_ITEMS_COMPLETED,
	POOL_STAT_CPU_INTENSIVE, /* items that stopped counting for CM */
	POOL_STAT_MAYDAY_CALLS,
	NR_POOL_STATS
};

enum pwq_stat {
	PWQ_STAT_ITEMS_STARTED,
	PWQ_STAT_ITEMS_COMPLETED,
	PWQ_STAT_CPU_INTENSIVE,
	PWQ_STAT_CPU_TIME_NS, /* sampled by observe.c */
	PWQ_STAT_MAYDAY_CALLS,
	PWQ_STAT_RESCUED, /* items run by the rescuer */
	NR_PWQ_STATS
};

/**
 * struct worker_pool - a set of workers serving one CPU (bound) or one set
 * of attributes (unbound)
 *
 * Pools are never freed: bound pools exist from start-up, unbound pools are
 * created on first use of their attributes and then reused.
 */
struct worker_pool {
	int id; /* (I) */
	int cpu; /* (I) CPU of a bound pool, -1 when unbound */
	bool highpri; /* (I) */
	/*
	 * (I) a BH pool (WQ_BH): one worker, pinned to @cpu, never a second
	 * one, no concurrency management, no rescuer (bh.c).
	 */
	bool bh;
	int nice; /* (I) */
	/* (I) CPUs the workers may run on; all zero = any CPU */
	unsigned long cpumask[CMWQ_MAX_CPUS / (8 * sizeof(unsigned long))];
	/*
	 * (I) unbound: the pod the pool serves, where its workers start
	 * (equal to cpumask for a strict pool); all zero = any CPU
	 */
	unsigned long pod_cpumask[CMWQ_MAX_CPUS / (8 * sizeof(unsigned long))];
	bool affn_strict; /* (I) unbound: workers never leave the pod */
	int target_running; /* (I) running workers to keep: 1 bound, pod CPUs */

	/*
	 * (A) Lock-free ingress: a stack of items pushed by queue_work
	 * (compare-and-swap, async-signal-safe), linked through
	 * work->entry.next.  Only holders of pool->lock take it (exchange
	 * with NULL), so there is no ABA problem.  The push is a release
	 * paired with the acquire exchange in pool_drain_incoming().
	 */
	_Atomic(struct work_struct *) incoming __cmwq_cacheline_aligned;

	pthread_mutex_t lock __cmwq_cacheline_aligned;
	struct list_head worklist; /* (L) active items to run, FIFO */
	/*
	 * (A) 1 while the worklist has items, 0 when it is empty (only the
	 * transitions are stored, worklist_changed()); written under L, read
	 * without L.  Not a count: pool_worklist_count() counts.
	 */
	atomic_int nr_worklist;

	/*
	 * (A) Workers counted as running.  Changed by a worker for itself
	 * (and by the hooks it calls).  Paired with the push to incoming:
	 * a queuer stores the push, fences, then reads nr_running; a worker
	 * going idle stores its decrement, fences, then looks at incoming.
	 */
	atomic_int nr_running __cmwq_cacheline_aligned;
	/*
	 * (A, relaxed) workers the monitor found past the CPU-intensive
	 * threshold (CM_HOG), moved with cm_state by worker_cm_transition()
	 */
	atomic_int nr_hogs;
	/*
	 * (A, relaxed) counted workers the monitor's last pass found in one
	 * item for the threshold's wall time, not yet past it on the CPU
	 * (hogs_hold_cpus()); written by monitor_pool() under L
	 */
	atomic_int nr_long;
	/* (A) idle workers (asleep or about to sleep); written under L */
	atomic_int nr_idle;
	/*
	 * (A) Workers taking work (between worker_loop()'s start and stop
	 * of it), whether running or asleep in an item: raised and lowered
	 * by the worker itself, seq_cst, beside nr_running in the wake-up
	 * protocol of pool.c.
	 */
	atomic_int nr_inflight;
	/*
	 * (A) Items the pool keeps in flight: target_running, or more when
	 * the pool's items spend most of their time asleep (Little's law:
	 * target_running divided by the share of their time they run).
	 * Written by the monitor (estimate_cpu() in detect.c), read by
	 * the policy predicates.
	 */
	atomic_int inflight_target;
	/*
	 * (A) set by the monitor when no worker of a pool full in flight has
	 * run for STARVED_NS (pool_short_of_workers()); cleared by it once one
	 * runs.  Since when none ran: (monitor_lock).
	 */
	atomic_int starved;
	unsigned long long none_running_since_ns;
	/*
	 * (L, monitor_lock) when the monitor last saw the pool's count of
	 * finished items move, or nothing queued, and that count then
	 * (pool_check_starved()'s STALLED_NS).
	 */
	unsigned long long progress_at_ns, mon_items_done;
	/*
	 * (A) set by the monitor while work waits, fewer than
	 * target_running run, and each item in flight that does not run is
	 * in the first timed sleep of the item, ending within
	 * BRIEF_SLEEP_MAX_NS (pool_check_starved() in detect.c): they come
	 * back by themselves, and a pool full in flight starts no worker for
	 * them (pool_short_of_workers()).  Cleared by it otherwise, and at
	 * each pass that finds nothing queued.
	 */
	atomic_int brief_sleeps;
	/*
	 * (A) set by the monitor while no item of the pool has finished for
	 * STALLED_NS with work queued and its items in flight blocked, not
	 * all in a brief sleep (pool_check_starved() in detect.c): it starts
	 * a worker for every item waiting.
	 */
	atomic_int stalled;
	/*
	 * (monitor_lock) The estimate behind inflight_target (detect.c):
	 * decayed sums of the time workers in flight were blocked and of
	 * their CPU time; the blocked time gathered since the last CPU
	 * sample; when the last pass and the last CPU sample were (0: not
	 * sampling); the workers the last pass found blocked.
	 */
	double est_blocked, est_cpu, est_blocked_acc;
#define EST_PRIOR_WEIGHT_NS 1e6 /* the CPU sum starts here: a ratio of 1 */
	/*
	 * (monitor_lock) The same for blocks that have ended (their whole
	 * length, at their end), and whether one has: until then the pool
	 * is cold and goes by the blocks in progress, at most
	 * INFLIGHT_COLD_FACTOR (detect.c).
	 */
	double est_ended, est_ended_acc;
	bool est_warm;
	/*
	 * (monitor_lock) CPU time read at a block's start, for the next
	 * estimate_cpu()
	 */
	double est_cpu_acc;
	unsigned long long est_at_ns, est_cpu_at_ns;
	int est_last_blocked;
	/*
	 * (monitor_lock) The monitor's own view of the episode: it looks at
	 * the pool as watched; the manager has not looked yet in this
	 * episode; the workers' records stay on until then after it (0:
	 * off or watched).
	 */
	bool mon_watching, episode_fresh;
	unsigned long long records_until_ns;
	/* (A) futex word idle workers sleep on; bumped by every kick */
	atomic_uint wake_seq;
	/*
	 * (A) a kick is in flight: set by the queuer that decided to wake or
	 * create a worker, cleared by a worker once it counts as running, so
	 * a burst of queueing makes one wake-up, not one per item.
	 */
	atomic_int kicked;
	/* (A) the manager is asked to create a worker for this pool */
	atomic_int create_pending;
	/*
	 * (A) the monitor watches this pool: set (and the manager woken) by
	 * whoever sees work queued behind the running workers, cleared by
	 * the monitor when nothing is queued and nothing is uncounted.
	 */
	atomic_int watched;

	int nr_workers; /* (L) */
	/*
	 * (A, written under L) workers created whose thread has not reached
	 * its loop yet: each will take a waiting item, so the manager does
	 * not start another for it (workers_to_start()).
	 */
	atomic_int nr_starting;
	/*
	 * (L) idle workers pool_reap() chose to exit (WORKER_DIE), taken
	 * out of nr_idle at the choice and not gone yet: nobody counts on
	 * them to take work (the kernel's set_worker_dying()).
	 */
	int nr_dying;
	int next_worker_id; /* (L) */
	struct list_head workers; /* (L) */
	unsigned long long reap_deadline_ns; /* (L) 0: nothing to reap */
	/*
	 * (manager thread only) when the pool started waiting for a worker
	 * the manager could not create, and when to call for rescue next.
	 */
	unsigned long long create_wait_since_ns;
	unsigned long long next_mayday_ns;
	/*
	 * (manager thread only) how many workers the manager starts at the
	 * pool's next request while everything in flight stays blocked:
	 * doubles at each such request, back to 1 when the pool has an idle
	 * worker or runs its target (workers_to_start() in policy.c); when
	 * it last asked.
	 */
	int create_ramp;
	unsigned long long create_ramp_at_ns;

	/* (L) counters, by enum pool_stat; read by cmwq_pool_snapshot() */
	unsigned long long stats[NR_POOL_STATS] __cmwq_cacheline_aligned;
	atomic_ullong cm_wakeups; /* (A) relaxed */
	char name[24]; /* (I) */
};

/**
 * struct pool_workqueue - the link between a workqueue and a pool
 *
 * Counts what the workqueue has in flight on the pool, enforces
 * max_active and keeps the items that wait for it, in order.
 *
 * Lifetime: by reference count (@refcnt), as the kernel's get_pwq() and
 * put_pwq().  References are held by the workqueue while the pwq is one it
 * queues to (its base reference), by every item tagged with the pwq
 * (queued, inactive, in the ingress stack, a barrier, or running: taken
 * before the tag is stored, dropped in pwq_dec_nr_in_flight()), and by a
 * place on the workqueue's mayday list.  The last put releases the pwq
 * (pwq_release() in workqueue.c: off wq->pwqs, its reference on the
 * workqueue dropped, its memory back to a type-stable cache).
 *
 * The memory of a released pwq stays a pwq (src/objcache.h): a canceller
 * or flusher that read a pwq pointer from an item's data word without a
 * reference may still read @pool and lock it; it then rechecks, under that
 * lock, that the item still points to this pwq and that the pwq's pool is
 * the one it locked.  While both hold, the item's reference keeps the pwq
 * and everything below it valid.
 */
struct pool_workqueue {
	/*
	 * (A) Written only while the pwq is unreferenced (in pwq_init(),
	 * before any item can be tagged with it), read without a lock by
	 * those who recheck it under the lock, as said above.
	 */
	struct worker_pool *pool;
	struct workqueue_struct *wq; /* (I) per incarnation; holds a ref */
	/*
	 * (A) References, see above.  Gets from a queuer that has no other
	 * reference use pwq_tryget() (never revives a released pwq); the
	 * put that drops the last is acq_rel, ordering every use before the
	 * release.
	 */
	atomic_int refcnt;
	/* (A) link in the deferred-release stack, then in the cache. */
	struct pool_workqueue *release_next;
	int nr_active; /* (L) items on worklist or running */
	int max_active; /* (L) */
	/*
	 * (I) unbound, not ordered: the count of the workqueue's active
	 * items on this pwq's NUMA node, shared with the node's other pwqs
	 * (struct wq_node_active); NULL: bound or ordered, max_active alone.
	 */
	struct wq_node_active *nna;
	/* (nna->lock) in nna->pending while items wait for the node's room */
	struct list_head nna_node;
	/*
	 * (A) on the stack of pwqs the manager activates for their node
	 * (pwq_kick_node()): the link, and whether it is on it.
	 */
	struct pool_workqueue *activate_next;
	atomic_int activate_queued;
	/*
	 * (I) unbound: the CPUs of the pwq's pod and of its workqueue's
	 * cpumask when the pwq was made; max_active is shared between the
	 * pods in this ratio (pwq_effective_max()).  1 and 1 when bound.
	 */
	int pod_cpus, wq_cpus;
	/*
	 * (W and L to write, either to read) an ordered workqueue's new pwq
	 * after apply_workqueue_attrs(): it takes items but runs none (its
	 * max_active is 0) until every older pwq of the workqueue is
	 * released, so the order holds across the switch (the kernel's
	 * plugged dfl_pwq).  Cleared by pwq_release() of the last older one.
	 */
	bool plugged;
	struct list_head inactive_works; /* (L) waiting for max_active */
	int nr_in_flight[WORK_NR_COLORS]; /* (L) per flush colour */
	unsigned int flush_mask; /* (L) colours a flusher waits for */
	/*
	 * (L) The flush colour the pool gives this pwq's items as it takes
	 * them off its ingress (pool_drain_incoming()); a flush advances it
	 * at its visit, after that drain, as the kernel's pwq->work_color.
	 * Set from wq->work_color when the pwq is made (W).
	 */
	unsigned int work_color;
	struct list_head wq_node; /* (W) in wq->pwqs */
	struct list_head mayday_node; /* (mayday_lock) in wq->maydays */
	/* (L) counters, by enum pwq_stat; summed by cmwq_wq_snapshot() */
	unsigned long long stats[NR_PWQ_STATS];
	atomic_ullong cm_wakeups; /* (A) relaxed, see cmwq_count_cm_wakeup */
	/*
	 * The watchdog's clock on items held back by max_active (manager
	 * thread only, read with L held): items_started when it started,
	 * since when (0: not timing), reported for this stall.
	 */
	unsigned long long wd_started;
	unsigned long long wd_since_ns;
	bool wd_reported;
} __attribute__((aligned(1 << WORK_PWQ_SHIFT)));

/**
 * struct wq_node_active - an unbound workqueue's active items on one NUMA
 * node, the kernel's wq_node_nr_active
 * @lock: LC_NODE_ACTIVE, taken under the pool->lock of one of the pwqs,
 *	only when the node is full (or was) or its share changes
 * @nr: (A, seq_cst) items active on the node's pwqs of the workqueue:
 *	raised by compare-and-swap below @max (nna_tryinc() in pool.c),
 *	lowered by an atomic decrement
 * @max: (A, written under lock) the node's share of max_active: by the
 *	workqueue's CPUs on the node, at least min_active, at most max_active
 *	(the last of a workqueue's array, for pwqs whose pool spans nodes:
 *	max_active)
 * @has_pending: (A, seq_cst, written under lock) @pending is not empty
 * @cpus: (W) the workqueue's CPUs on the node when its pwqs were made
 * @pending: (lock) pwqs with items held back for want of the node's room,
 *	by pwq->nna_node, oldest first
 *
 * max_active limits an unbound workqueue's items in flight on the whole
 * system, whatever pod each is queued to: the pods of one node share this
 * count.  (Linux 6.9+; before, each pwq counted alone.)  While the node
 * has room, an item in and out costs two atomics on @nr and a load of
 * @has_pending, no lock: the protocol that a full node's pwq is not
 * forgotten is at pwq_tryinc_active() in pool.c.
 */
struct wq_node_active {
	pthread_mutex_t lock;
	atomic_int nr;
	atomic_int max;
	atomic_int has_pending;
	int cpus;
	struct list_head pending;
};

/*
 * A node count with no item counted and no pwq waiting, its lock new: at
 * alloc_workqueue() and in a fork() child (the parent's items and a lock a
 * parent thread held are not the child's).  Keeps max and cpus.
 */
static inline void nna_reset_state(struct wq_node_active *nna)
{
	cmwq_mutex_init_short(&nna->lock);
	atomic_store(&nna->nr, 0);
	atomic_store(&nna->has_pending, 0);
	INIT_LIST_HEAD(&nna->pending);
}

#define WQ_MAGIC 0x636d7771u /* "cmwq" */
#define WQ_MAGIC_DEAD 0xdeadc0deu

/**
 * struct workqueue_struct - a workqueue
 *
 * Lifetime: by reference count (@refcnt): the handle alloc_workqueue()
 * returned holds one until destroy_workqueue(), and every pwq of the
 * workqueue holds one until it is released.  The memory is type-stable
 * (src/objcache.h), so a handle used after destroy_workqueue() reads
 * WQ_MAGIC_DEAD and is refused with a diagnostic (for at least the next
 * WQ_QUARANTINE destructions: see workqueue.c).
 */
struct workqueue_struct {
	atomic_uint magic; /* (A) WQ_MAGIC from creation to destruction */
	atomic_int refcnt; /* (A) see above */
	struct workqueue_struct *free_next; /* (objcache lock) when freed */
	unsigned int flags; /* (I) WQ_* */
	int max_active; /* (W) */
	int min_active; /* (W) unbound: each node's least share of max_active */
	/*
	 * (I) unbound, not ordered: one per NUMA node, then one for pools
	 * that span nodes; NULL otherwise.  Freed with the workqueue.
	 */
	struct wq_node_active *nna;
	int nr_nna; /* (I) */
	int nna_cpus; /* (W) the workqueue's CPUs, for the nodes' shares */
	char name[64]; /* (I) */
	pthread_mutex_t mutex;
	struct list_head pwqs; /* (W) every pwq of this wq */
	/*
	 * The pwq an item queued for each CPU goes to.  Bound: (I), one per
	 * CPU.  Unbound: (A) the pwq of the CPU's pod, several CPUs sharing
	 * one; replaced (under W) by apply_workqueue_attrs(), each slot with
	 * a release store that pairs with the acquire load in wq_get_pwq().
	 * The array itself lives as long as the workqueue.
	 */
	_Atomic(struct pool_workqueue *) *cpu_pwqs;
	/*
	 * unbound: (A, as cpu_pwqs) the pwq of the whole cpumask: for CPUs
	 * whose pod has no CPU of the workqueue's, and every CPU of an
	 * ordered workqueue.  NULL when bound.
	 */
	_Atomic(struct pool_workqueue *) dfl_pwq;
	/* unbound: (W) the attributes asked for (affn_scope may be DFL) */
	struct workqueue_attrs *unbound_attrs;

	/*
	 * Flushing.  Every item is tagged with its pwq's work colour when
	 * its pool takes it off the ingress; a flush advances the colour of
	 * each pwq, after taking what its pool's ingress holds, and waits
	 * until the pwqs have no item of the old colour (and every earlier
	 * flush has finished).  work_color: the colour of new pwqs and of
	 * the next flush.
	 */
	atomic_int work_color; /* (W) */
	atomic_int nr_pwqs_to_flush[WORK_NR_COLORS]; /* (A) */
	unsigned long long flush_started; /* (W) */
	atomic_ullong flush_completed; /* (A) */
	atomic_uint flush_event; /* (A) futex word bumped on progress */
	/*
	 * (A) threads between reading flush_event and returning from the
	 * wait on it: a bump finding none makes no futex_wake call
	 * (wq_flush_event_bump() in flush.c).
	 */
	atomic_int flush_waiters;

	atomic_int nr_drainers; /* (A) written under W */
	atomic_int nr_armed; /* (A) delayed items armed on this wq */
	/* (A) rcu_works in their grace period, to be queued on this wq */
	atomic_int nr_rcu;
	struct list_head node; /* (wqs_mutex) in the list of workqueues */

	struct worker *rescuer; /* (I) WQ_MEM_RECLAIM only */
	struct list_head maydays; /* (mayday_lock) pwqs asking for rescue */
	atomic_uint rescuer_seq; /* (A) futex word the rescuer sleeps on */
	atomic_int rescuer_stop; /* (A) */
	struct completion rescuer_exited;
};

/* The calling thread's worker, or NULL (T). */
extern __thread struct worker *cmwq_current_worker;
/* Whether this thread is a rescuer (set by the rescuer itself). */
extern __thread bool cmwq_current_rescuer;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* init.c: run the start-up steps (initcall.h) once; any entry point may */
void cmwq_init_once(void);

/* topology.c: the CPU slots (I) */
extern int cmwq_nr_cpu_slots;
/* @mask (CMWQ_MAX_CPUS bits) = the CPUs this process may run on. */
void cmwq_possible_mask(unsigned long *mask);

/* policy.c: how long a surplus idle worker stays (A, relaxed) */
extern atomic_ullong cmwq_idle_timeout_ns;

/* pool.c */
void worklist_changed(struct worker_pool *pool);
struct worker_pool *cmwq_cpu_pool(int cpu, bool highpri);
struct worker_pool *cmwq_cpu_bh_pool(int cpu, bool highpri);
struct worker_pool *cmwq_get_unbound_pool(int nice, const unsigned long *mask,
					  const unsigned long *pod_mask,
					  bool strict);

/*
 * topology.c: the CPU topology (sysfs or CMWQ_SYSFS_ROOT) and the pods of
 * each affinity scope.  Set up once at start-up, read-only afterwards.
 * A low layer: calls only settings.c and the platform.
 */
int cmwq_topo_nr_cpus(void);
int cmwq_topo_cache_shard_size(void);
int cmwq_topo_nr_pods(int scope);
int cmwq_topo_cpu_pod(int scope, int cpu);
const unsigned long *cmwq_topo_pod_cpus(int scope, int pod);
int cmwq_topo_pod_node(int scope, int pod);
int cmwq_topo_default_scope(void);
void cmwq_topo_set_default_scope(int scope);
const char *cmwq_topo_scope_name(int scope);
/* CPU masks of CMWQ_MAX_CPUS bits, as struct workqueue_attrs has them. */
int cmwq_parse_cpulist(const char *s, unsigned long *m);
bool cmwq_mask_test(const unsigned long *m, int cpu);
int cmwq_mask_weight(const unsigned long *m);
bool cmwq_mask_empty(const unsigned long *m);
int cmwq_mask_first(const unsigned long *m);
int cmwq_pool_count(void);
struct worker_pool *cmwq_pool_by_id(int id);
void pool_drain_incoming(struct worker_pool *pool);
void pool_reset_state(struct worker_pool *pool);

/* snapshot.c: the one reading of counters for stats.c and observe.c */
struct pool_snapshot {
	unsigned long long stat[NR_POOL_STATS];
	unsigned long long cm_wakeups;
	unsigned int nr_workers, nr_idle, nr_running, nr_inflight;
	unsigned int inflight_target, target_running;
};

struct wq_snapshot {
	unsigned long long stat[NR_PWQ_STATS]; /* summed over its pwqs */
	unsigned long long cm_wakeups;
	unsigned int nr_active, nr_in_flight, nr_inactive, nr_pwqs;
};

void cmwq_pool_snapshot(struct worker_pool *pool, struct pool_snapshot *s);
void cmwq_wq_snapshot(struct workqueue_struct *wq, struct wq_snapshot *s);
int pool_worklist_count(struct worker_pool *pool, int max);
void pool_kick(struct worker_pool *pool);
void pool_kick_if_needed(struct worker_pool *pool);
void pool_kick_many(struct worker_pool *pool, int n);

/* policy.c: when a worker starts, keeps working or sleeps */
void pool_lock_at(struct worker_pool *pool, const char *file, int line);
#define pool_lock(pool) pool_lock_at((pool), __FILE__, __LINE__)
bool pool_short_of_workers(struct worker_pool *pool);
bool need_more_worker(struct worker_pool *pool);
int workers_to_wake(struct worker_pool *pool);
bool keep_working(struct worker_pool *pool);
bool may_start_working(struct worker_pool *pool);
bool too_many_workers(struct worker_pool *pool);
/* The most workers the manager starts for one request of a pool. */
#define CREATE_RAMP_MAX 64
int workers_to_start(struct worker_pool *pool, int waiting,
		     unsigned long long now);

/* worker.c */
int cmwq_create_worker(struct worker_pool *pool);
void cmwq_request_worker(struct worker_pool *pool);
struct worker *busy_find_locked(struct work_struct *work);
void busy_lock(struct work_struct *work);
void busy_unlock(struct work_struct *work);
struct worker *cmwq_find_worker_executing(struct work_struct *work);

/* wake.c: the manager's doorbell (the manager's loop is manager.c) */
void cmwq_manager_set_loop(void *(*loop)(void *arg));
unsigned int cmwq_manager_seq(void);
/* Sleep while the doorbell reads @seq and, if @shared_word, while it
 * reads @shared_val (futex_waitv), at most until @deadline_ns (0: none). */
void cmwq_manager_sleep(unsigned int seq, void *shared_word,
			unsigned int shared_val, unsigned long long deadline_ns);
void cmwq_manager_wake(void);
int cmwq_manager_start(void);
void cmwq_manager_start_if_needed(void);
void cmwq_manager_note_deadline(unsigned long long deadline_ns);
/* The watchdog's flag (watchdog.c says the protocol) */
enum { WD_HELD_NONE, WD_HELD_WATCHING, WD_HELD_LOOK };
extern atomic_int cmwq_wd_held_back;
/* An item was held back by max_active (pool.c, L held); lock-free. */
void cmwq_watchdog_note_held_back(void);

/* queue.c */
/*
 * rcu.c: wait for every RCU callback asked for so far (rcu_works in their
 * grace period); false, with a diagnostic naming @what, when the caller
 * is inside an RCU read-side critical section and cannot wait.  True at
 * once without liburcu.
 */
bool cmwq_rcu_barrier(const char *what);
void cmwq_queue_claimed(int cpu, struct workqueue_struct *wq,
			struct work_struct *work);
void pwq_activate_work(struct pool_workqueue *pwq, struct work_struct *work);
bool pwq_tryinc_active(struct pool_workqueue *pwq);
void nna_pending_del(struct wq_node_active *nna, struct pool_workqueue *pwq);
void nna_pending_del_locked(struct wq_node_active *nna,
			    struct pool_workqueue *pwq);
void cmwq_activate_pending_forget(void);
void cmwq_activate_pending_pass(unsigned long long now,
				unsigned long long *next);
void pwq_activate_inactive(struct pool_workqueue *pwq);
void pwq_dec_nr_in_flight(struct pool_workqueue *pwq, unsigned long data);
void pwq_dec_nr_in_flight_keep_ref(struct pool_workqueue *pwq,
				   unsigned long data);
void move_linked_works(struct work_struct *work, struct list_head *head,
		       struct work_struct **nextp);
struct work_struct *next_unlinked(struct work_struct *work);
void insert_work_locked(struct pool_workqueue *pwq, struct work_struct *work,
			struct list_head *head, unsigned long extra_flags);

static inline struct pool_workqueue *data_pwq(unsigned long data)
{
	if (!(data & WORK_PWQ))
		return NULL;
	return (struct pool_workqueue *)(data & ~WORK_FLAG_MASK &
					 ~WORK_INCOMING_EPOCH_MASK);
}

static inline unsigned int data_color(unsigned long data)
{
	return (data >> WORK_COLOR_SHIFT) & ((1u << WORK_COLOR_BITS) - 1);
}

static inline unsigned long work_data_load(const struct work_struct *work)
{
	return __atomic_load_n(&work->data, __ATOMIC_ACQUIRE);
}

static inline void work_data_store(struct work_struct *work, unsigned long data)
{
	__atomic_store_n(&work->data, data, __ATOMIC_RELEASE);
}

/* The bits of an off-queue claim made now. */
static inline unsigned long claim_bits(void)
{
	return WORK_PENDING |
	       ((unsigned long)(atomic_load_explicit(&cmwq_fork_epoch,
						     memory_order_relaxed) &
				0xffff)
		<< WORK_OFFQ_EPOCH_SHIFT);
}

static inline unsigned long fork_epoch(void)
{
	return atomic_load_explicit(&cmwq_fork_epoch, memory_order_relaxed) &
	       0xffff;
}

/*
 * A claim or a push left over from the parent of a fork(): the item is on
 * no list of this process, and idle.
 */
static inline bool claim_orphaned(unsigned long data)
{
	if (!(data & WORK_PENDING))
		return false;
	if (!(data & WORK_PWQ))
		return ((data & WORK_OFFQ_EPOCH_MASK) >>
			WORK_OFFQ_EPOCH_SHIFT) != fork_epoch();
	return (data & WORK_INCOMING) &&
	       ((data & WORK_INCOMING_EPOCH_MASK) >>
		WORK_INCOMING_EPOCH_SHIFT) != fork_epoch();
}

/* Pending, and not an orphaned claim. */
static inline bool data_pending(unsigned long data)
{
	return (data & WORK_PENDING) && !claim_orphaned(data);
}

static inline unsigned long offq_disable(unsigned long data)
{
	return (data & WORK_OFFQ_DISABLE_MASK) >> WORK_OFFQ_DISABLE_SHIFT;
}

/* Is the caller a worker running an item of @wq (chained work)? */
static inline bool current_item_of(struct workqueue_struct *wq)
{
	struct worker *worker = cmwq_current_worker;

	return worker && worker->current_pwq && worker->current_pwq->wq == wq;
}

/* Validate a queueing call's arguments; async-signal-safe.  (queue.c) */
bool cmwq_queue_args_ok(const char *what, struct workqueue_struct *wq,
			struct work_struct *work);

/* flush.c */
int try_to_grab_pending(struct work_struct *work, bool is_dwork);
bool cmwq_flush_work_internal(struct work_struct *work, bool from_cancel);
bool cmwq_cancel_internal(struct work_struct *work, bool is_dwork, bool disable,
			  bool sync);
void cmwq_drain_internal(struct workqueue_struct *wq, bool keep_draining);

/* workqueue.c */
bool cmwq_wq_is_live(struct workqueue_struct *wq);
bool cmwq_pwq_is_live(struct pool_workqueue *pwq);
/* A reference on @pwq, held by the caller already (pool->lock or an item). */
static inline void pwq_get(struct pool_workqueue *pwq)
{
	atomic_fetch_add_explicit(&pwq->refcnt, 1, memory_order_relaxed);
}

/* A reference unless @pwq was released (its count is 0).  Lock-free. */
static inline bool pwq_tryget(struct pool_workqueue *pwq)
{
	int ref = atomic_load_explicit(&pwq->refcnt, memory_order_relaxed);

	do {
		if (ref <= 0)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(
		&pwq->refcnt, &ref, ref + 1, memory_order_acquire,
		memory_order_relaxed));
	return true;
}

/*
 * Drop a reference from any context (pool->lock held, a signal handler):
 * the last one hands the pwq to the manager, which releases it.
 */
void pwq_put(struct pool_workqueue *pwq);
/* Drop @n references at once, from any context, as pwq_put(). */
void pwq_put_many(struct pool_workqueue *pwq, int n);
/* Drop a reference, releasing the pwq now if it was the last.  No locks. */
void pwq_put_unlocked(struct pool_workqueue *pwq);
/* The manager's duty: release the pwqs pwq_put() handed over. */
void cmwq_release_pwqs(void);
/* fork.c: the caches' locks (leaves). */
void cmwq_wq_caches_lock(void);
void cmwq_wq_caches_unlock(void);
/* fork.c, in the child: references held by what the child forgot. */
void cmwq_wq_reset_refs(struct workqueue_struct *wq);
struct pool_workqueue *wq_select_pwq(struct workqueue_struct *wq, int *cpu);
/* The same, with a reference; NULL if @wq was destroyed meanwhile. */
struct pool_workqueue *wq_get_pwq(struct workqueue_struct *wq, int *cpu);
struct workqueue_struct *cmwq_alloc_workqueue_va(const char *fmt,
						 unsigned int flags,
						 int max_active, va_list ap);

/* concurrency.c */
void cmwq_count_cm_wakeup(struct worker *worker);
void worker_cm_sleep(struct worker *worker);
void worker_cm_wake(struct worker *worker);
void worker_set_running(struct worker *worker);
void worker_clr_running(struct worker *worker);
void worker_recount(struct worker *worker);
bool worker_cm_transition(struct worker *worker, int from, int to);
void pool_watch(struct worker_pool *pool);

/* detect.c: automatic detection of blocked and CPU-hogging workers */
struct worker_detect;
struct worker_detect *cmwq_detect_worker_start(pid_t tid);
void cmwq_detect_worker_exit(struct worker *worker);
void cmwq_detect_worker_forget(struct worker *worker);
void cmwq_monitor_pass(unsigned long long now, unsigned long long *next);
void cmwq_monitor_new_episode(void);
void cmwq_monitor_lock(void);
void cmwq_monitor_unlock(void);
void cmwq_detect_fork_child(void);

/*
 * bh.c: what BH pools do differently.  Their one worker per pool runs at
 * SCHED_FIFO where allowed; the two BH pools of a CPU never run items at
 * once (a per-CPU lock held around each item); a BH item that sleeps or
 * runs long is misuse, reported by name, and never makes the pool start
 * another worker.
 */
int cmwq_bh_init(void);
void cmwq_bh_apply_sched(struct worker *worker);
bool cmwq_bh_trylock(struct worker *worker);
void cmwq_bh_lock(struct worker *worker);
void cmwq_bh_unlock(struct worker *worker);
void cmwq_bh_item_end(struct worker *worker, work_func_t func,
		      unsigned long long started_ns);
/* The ways a BH item misbehaves, for cmwq_bh_report(). */
enum { BH_SLEPT, BH_WAITED, BH_RAN_LONG, BH_RUNS_LONG };
void cmwq_bh_report(struct worker *worker, unsigned long seq,
		    work_func_t func, int how, unsigned long long ns);
void cmwq_bh_fork_child(void);
/* Is the caller a BH worker that waiting on @pool would deadlock? */
bool cmwq_bh_wait_deadlocks(struct worker_pool *pool);
/* detect.c: the CPU-intensive threshold, in ns */
unsigned long long cmwq_cpu_intensive_thresh_ns(void);

/* watchdog.c */
void cmwq_watchdog_pass(unsigned long long now, unsigned long long *next);

/* fork.c and the lock-all/forget-all helpers it uses */
struct list_head *cmwq_workqueue_list(void);
void cmwq_pools_lock(void);
void cmwq_pools_unlock(void);
struct worker_pool *cmwq_pool_by_id_locked(int id);
void cmwq_busy_forget_all(void);
void cmwq_timer_lock_all(void);
void cmwq_timer_unlock_all(void);
void cmwq_timer_forget_all(void);
void cmwq_manager_forget(void);
void cmwq_mayday_lock(void);
void cmwq_mayday_unlock(void);

/* debugobj.c: the CMWQ_DEBUG_OBJECTS=1 mode */
bool cmwq_debugobj_enabled(void);
void cmwq_debugobj_init_work(struct work_struct *work);
bool cmwq_debugobj_check_queue(struct work_struct *work);

/*
 * settings.c: the CMWQ_* environment settings, parsed strictly.  A bad
 * value gets a diagnostic naming the variable, its value, what was
 * @expected and the default (@dflt) the caller keeps.  Unset and empty
 * values are silent.  Calls nothing above the platform layer.
 */
/* The value of @name, or NULL when unset or empty. */
const char *cmwq_setting(const char *name);
void cmwq_setting_invalid(const char *name, const char *value,
			  const char *expected, const char *dflt);
/* Decimal digits only, no sign or blank, no overflow, in [@min, @max]. */
bool cmwq_parse_uint(const char *s, unsigned long long min,
		     unsigned long long max, unsigned long long *out);
/* True with *@out set when @name holds a valid value. */
bool cmwq_setting_uint(const char *name, unsigned long long min,
		       unsigned long long max, const char *expected,
		       const char *dflt, unsigned long long *out);
bool cmwq_setting_bool(const char *name, const char *dflt, bool *out);
/* The index of @name's value among @choices, or -1 (unset or invalid). */
int cmwq_setting_choice(const char *name, const char *const *choices,
			int nr_choices, const char *expected, const char *dflt);

/* fault.c */
bool cmwq_fault_should_fail(int site, void *where);
void *cmwq_malloc(size_t size);
void *cmwq_calloc(size_t n, size_t size);
void *cmwq_aligned_alloc(size_t align, size_t size);

/* rescuer.c */
int cmwq_rescuer_create(struct workqueue_struct *wq);
void cmwq_rescuer_destroy(struct workqueue_struct *wq);
void cmwq_send_mayday(struct worker_pool *pool);
void process_scheduled_works(struct worker *worker);

/*
 * timer.c: the timer service.  cmwq's bits in timer->flags, beside the
 * service's state (the kernel's TIMER_ARRAYMASK holds both here):
 */
#define TIMER_CMWQ_DWORK (1u << 24) /* the timer of a delayed work item */
#define TIMER_CMWQ_BOUND (1u << 25) /* callback on the CPU in TIMER_CPUMASK */
#define TIMER_CMWQ_SHUTDOWN (1u << 26) /* timer_shutdown(): arms are ignored */
/* Make @dwork's timer a delayed-work timer for @cpu; the caller owns it. */
void cmwq_dwork_timer_prepare(struct delayed_work *dwork, int cpu);
/* The CPU the delayed item was queued for, or WORK_CPU_UNBOUND. */
int cmwq_dwork_cpu(const struct delayed_work *dwork);
/* Arm @dwork's idle timer; lock-free, async-signal-safe. */
void cmwq_dwork_timer_arm(struct delayed_work *dwork,
			  unsigned long long deadline_ns);
bool cmwq_dwork_timer_armed(struct delayed_work *dwork);
bool cmwq_timer_cancel(struct delayed_work *dwork);
void cmwq_timer_run_expired(unsigned long long now_ns,
			    unsigned long long *next_ns);
bool cmwq_timers_armed(void);
bool cmwq_timers_armed_on(struct workqueue_struct *wq);

/*
 * observe.c: publishing counters for outside monitors (cmwq-top); called
 * by the manager on every pass, may lower *@next.
 */
void cmwq_observe_pass(unsigned long long now, unsigned long long *next);
/*
 * Where the manager serves the monitors: the request word it also sleeps
 * on (shared with other processes) and the value it sleeps while; false
 * when it does not serve.  (manager thread)
 */
bool cmwq_observe_wait_word(void **word, unsigned int *val);
/* Count a concurrency-management wake-up on @worker's current pwq. */

/* workqueue.c: every live workqueue, linked by wq->node (wqs_mutex) */
extern pthread_mutex_t wqs_mutex;
extern struct list_head workqueues;

/* completion.c: wait on a futex word until a condition holds */
void cmwq_wait_seq(atomic_uint *seq, unsigned int seen);
void wq_flush_event_bump(struct workqueue_struct *wq);

#endif /* CMWQ_INTERNAL_H */
