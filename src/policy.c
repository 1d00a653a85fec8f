// SPDX-License-Identifier: MIT
/*
 * policy.c - when a worker starts, keeps working, or sleeps
 *
 * The whole concurrency policy of a pool is these predicates.  A bound pool
 * aims at one running worker (target_running == 1), as the kernel's per-CPU
 * pools do; an unbound pool aims at one per CPU it may use, which keeps
 * thread counts bounded where the kernel would start a worker per item.
 *
 * Beyond the kernel: a worker of an unbound pool that finishes an item
 * while the pool runs over its target may still take the next one while
 * the pool has no more items in flight (running or asleep) than
 * inflight_target (a bound pool keeps property 4).  That equals
 * target_running until the monitor has seen the pool's items sleep; for
 * items that sleep most of their time it grows to target_running times
 * (their time blocked and on the CPU / their CPU time).  With the
 * kernel's rule alone a pool of such items runs in waves: the workers
 * woken together oversubscribe the CPUs, none takes a new item, and once
 * they are done the CPUs idle until the items started meanwhile wake.
 * And a pool full in flight whose blocked items are all in brief timed
 * sleeps starts no worker for them (they come back by themselves, and no
 * queued item can be what they wait for), where the kernel starts one
 * per item that sleeps.  For items that never block, nothing changes: a
 * worker over the target takes no new item.
 * An unbound pool whose CPUs are all held by CPU hogs takes up to
 * target_running more beside them (hogs_hold_cpus()).
 *
 * They read lock-free counters, so a caller without pool->lock gets an
 * answer that may be stale at once; every caller that acts on a stale
 * answer is covered by the wake-up protocol described in pool.c.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

/* Is anything queued on the pool, in its worklist or its ingress? */
static bool pool_has_work(struct worker_pool *pool)
{
	return atomic_load(&pool->nr_worklist) > 0 ||
	       atomic_load(&pool->incoming) != NULL;
}

/*
 * An unbound pool whose CPUs are all held by items past the CPU-intensive
 * threshold (the monitor uncounted them, CM_HOG) starts up to
 * target_running items more than it aims at: those started in the hogs'
 * place share the CPUs with them and may be hogs too, and a short item
 * queued behind them would wait until they were found so, another
 * threshold of CPU at a share of it (4 hogs on 2 CPUs held it ~44 ms;
 * the kernel's unbound pools start every item at once).  At most
 * target_running more, so items that all hog add that many threads, not
 * one per item.  Bound pools keep the kernel's rule.  Held: one hog found
 * and the other counted workers in their items for the threshold's wall
 * time (nr_long): hogs sharing CPUs cross the threshold one after another.
 */
static bool hogs_hold_cpus(struct worker_pool *pool, int running)
{
	int hogs = atomic_load_explicit(&pool->nr_hogs, memory_order_relaxed);
	int held = hogs +
		   atomic_load_explicit(&pool->nr_long, memory_order_relaxed);

	return pool->cpu < 0 && running < 2 * pool->target_running &&
	       hogs > 0 && held >= pool->target_running;
}

/*
 * Fewer workers run than the pool aims at, and the pool has room in flight
 * -- up to target_running more than its items need, so a pool that learned
 * its items sleep does not start a burst of them each time its CPUs idle
 * for a moment (they would all wake together 5 ms later) -- or none runs.
 */
bool pool_short_of_workers(struct worker_pool *pool)
{
	int running = atomic_load(&pool->nr_running);
	int target = atomic_load_explicit(&pool->inflight_target,
					  memory_order_relaxed);

	/*
	 * Stalled (no item finished for STALLED_NS while items wait and those
	 * in flight are blocked, pool_check_starved()): maybe they wait for
	 * the items queued, polling now and then, so one runs at times; a
	 * worker for each item waiting, as the kernel's unbound pools do.
	 * Property 15.
	 */
	if (atomic_load_explicit(&pool->stalled, memory_order_relaxed))
		return true;
	if (running >= pool->target_running)
		return hogs_hold_cpus(pool, running);
	if (atomic_load(&pool->nr_inflight) < target + pool->target_running)
		return true;
	/*
	 * Full in flight, and every item that does not run is in a timed
	 * sleep of at most BRIEF_SLEEP_MAX_NS (the monitor read it,
	 * pool_check_starved()): no queued item is what they wait for, and
	 * they come back by themselves, so the next item waits for one of
	 * them rather than for a thread of its own.  Property 16; the
	 * kernel, which cannot tell a sleep from other waits, starts one.
	 */
	if (atomic_load_explicit(&pool->brief_sleeps, memory_order_relaxed))
		return false;
	/*
	 * Starved (the monitor saw none run for STARVED_NS with work
	 * queued, pool_check_starved()): everything in flight is blocked,
	 * and the pool goes by the kernel's rule until its CPUs are busy
	 * again.  Property 15.
	 */
	if (atomic_load_explicit(&pool->starved, memory_order_relaxed))
		return true;
	if (running > 0)
		return false;
	/*
	 * None runs and the pool is full in flight.  A bound pool, or one
	 * with the kernel's target, starts one now (the kernel's rule); an
	 * unbound pool that learned its items sleep waits until it is
	 * starved (they usually wake by themselves; a start per block would
	 * add one thread per 40 us meanwhile).
	 */
	return pool->cpu >= 0 || target == pool->target_running;
}

/* Work is waiting and the pool is short of workers. */
bool need_more_worker(struct worker_pool *pool)
{
	return pool_has_work(pool) && pool_short_of_workers(pool);
}

/*
 * How many idle workers a pass of the monitor wakes at once for @pool: as
 * many as it is short of running ones (the allowance of hogs_hold_cpus()
 * included), up to the items on its worklist and its idle workers; one
 * where the pool is short for another reason (starved, stalled, room in
 * flight), which starts the kernel's chain.  Workers it uncounted together
 * -- items found hogs in one pass, or blocked -- are replaced together: in
 * a chain each woken worker wakes the next once it runs, and on CPUs held
 * by hogs each link waits for a time slice (4 hogs on 2 CPUs: 1.5-4.5 ms a
 * link).  A worker woken for nothing looks once and sleeps again.
 * (pool->lock: the worklist is drained)
 */
int workers_to_wake(struct worker_pool *pool)
{
	int running = atomic_load(&pool->nr_running);
	int want = pool->target_running - running;
	int idle = atomic_load(&pool->nr_idle);

	if (!need_more_worker(pool))
		return 0;
	if (hogs_hold_cpus(pool, running))
		want = 2 * pool->target_running - running;
	if (want > idle)
		want = idle;
	if (want > 1)
		want = pool_worklist_count(pool, want);
	return want > 1 ? want : 1;
}

/*
 * A worker that finished an item takes the next one only while the pool is
 * not over its target: a worker woken from a blocking call while its
 * replacement runs makes the pool one over, and the first of the two to
 * finish then goes idle -- unless the pool's items mostly sleep and it has
 * no more in flight than they need (then the next item most likely sleeps
 * too, and going idle would leave the CPUs idle later).  Unbound pools
 * only: a bound pool keeps the kernel's rule whatever its items did before
 * (property 4: a worker takes a new item only while it is the pool's only
 * running worker).  Its target still rises for sleepy items, and bounds
 * how many in brief sleeps it starts (pool_short_of_workers()); with the
 * exception here, a learned target let the worker whose item returned take
 * the next while another woken from a block still ran, two running items
 * of one CPU's pool (prop04's test_only_running_worker_takes failed so
 * in CI once; tests/internal/policy_rules.c).
 */
bool keep_working(struct worker_pool *pool)
{
	if (!pool_has_work(pool))
		return false;
	if (atomic_load(&pool->nr_running) <= pool->target_running)
		return true;
	return pool->cpu < 0 &&
	       atomic_load(&pool->nr_inflight) <=
		       atomic_load_explicit(&pool->inflight_target,
					    memory_order_relaxed);
}

/*
 * How many workers the manager starts for @pool's request (property 15:
 * no item waits behind blocked work).  None while a worker is idle;
 * else one, as the kernel's manager does, unless the pool asks again,
 * within CREATE_RAMP_WINDOW_NS of its last request, with items waiting,
 * no idle worker and fewer running than it aims at: the workers started
 * last took items that blocked too.  Then twice as many as last time,
 * as many as items wait at most (threads by need, property 16), so that
 * N items blocked behind each other cost about log2(N) rounds of thread
 * creation and detection, not N.  Workers created and not yet running
 * count against the items waiting (they take them).  A BH pool has its
 * one worker.  @waiting: the items on the worklist, counted up to
 * CREATE_RAMP_MAX.  (manager thread)
 */
#define CREATE_RAMP_WINDOW_NS (2ull * 1000000ull)

int workers_to_start(struct worker_pool *pool, int waiting,
		     unsigned long long now)
{
	bool again = pool->create_ramp_at_ns &&
		     now - pool->create_ramp_at_ns < CREATE_RAMP_WINDOW_NS;
	int starting;

	pool->create_ramp_at_ns = now;
	/*
	 * A worker is idle: it takes the waiting items, or is the spare a
	 * running worker asked for (the kernel's need_to_create_worker()
	 * creates none while one is idle).  Every idle worker looks for work
	 * once more after it counts itself idle, and a queuer that sees it
	 * idle wakes it; a worker chosen to exit counts as idle no longer
	 * (pool_reap()).  The spin model checks this with the reaping.
	 */
	if (!pool->bh && atomic_load(&pool->nr_idle) > 0) {
		pool->create_ramp = 1;
		return 0;
	}
	/*
	 * Workers already on their way (created, not yet in their loop) take
	 * the first waiting items: a request made before they run asks only
	 * for the rest.  (A loaded machine otherwise starts a ramp step more
	 * for items that starting workers were about to take.)
	 */
	starting = atomic_load(&pool->nr_starting);
	if (!pool->bh && starting > 0) {
		if (waiting <= starting)
			return 0;
		waiting -= starting;
	}
	/*
	 * One, for a pool whose CPUs are busy (the spare a running worker
	 * asked for) -- unless it is stalled: items that wake a moment to
	 * poll keep it counted as running now and then (pool_check_starved()).
	 */
	if (pool->bh || waiting <= 1 ||
	    (atomic_load(&pool->nr_running) >= pool->target_running &&
	     !atomic_load_explicit(&pool->stalled, memory_order_relaxed))) {
		pool->create_ramp = 1;
		return 1;
	}
	if (!again)
		pool->create_ramp = 1;
	else if (pool->create_ramp < CREATE_RAMP_MAX)
		pool->create_ramp *= 2;
	if (pool->create_ramp < waiting)
		waiting = pool->create_ramp;
	/*
	 * Unless starved by items that do not come back by themselves, no
	 * more than the room left in flight (the room
	 * pool_short_of_workers() gives, less those already starting): a
	 * step of the ramp must not carry a pool that learned its items
	 * sleep past its target, 64 threads at once.
	 */
	if ((!atomic_load_explicit(&pool->starved, memory_order_relaxed) ||
	     atomic_load_explicit(&pool->brief_sleeps, memory_order_relaxed)) &&
	    !atomic_load_explicit(&pool->stalled, memory_order_relaxed)) {
		int room = atomic_load_explicit(&pool->inflight_target,
						memory_order_relaxed) +
			   pool->target_running -
			   atomic_load(&pool->nr_inflight) - starting;

		/* The next step doubles what this one starts. */
		if (room < waiting)
			waiting = pool->create_ramp = room > 1 ? room : 1;
	}
	return waiting;
}

/* There is an idle worker to take over if this one blocks. */
bool may_start_working(struct worker_pool *pool)
{
	return atomic_load(&pool->nr_idle) > 0;
}

/*
 * Keep two idle workers per pool, and more only while they are few next to
 * the busy ones (one idle per four busy), as the kernel does.
 */
bool too_many_workers(struct worker_pool *pool)
{
	int nr_idle = atomic_load(&pool->nr_idle);
	int nr_busy = pool->nr_workers - pool->nr_dying - nr_idle;

	return nr_idle > 2 && (nr_idle - 2) * 4 >= nr_busy;
}

/* --- how long a surplus idle worker stays ------------------------------- */

atomic_ullong cmwq_idle_timeout_ns = 300ull * 1000000000ull;

CMWQ_API void cmwq_set_idle_timeout_ms(unsigned int ms)
{
	atomic_store_explicit(&cmwq_idle_timeout_ns,
			      (unsigned long long)ms * 1000000ull,
			      memory_order_relaxed);
	cmwq_manager_wake();
}

static int idle_timeout_init(void)
{
	unsigned long long ms;

	if (cmwq_setting_uint("CMWQ_IDLE_TIMEOUT_MS", 0, 24ull * 3600 * 1000,
			      "a number of milliseconds up to 86400000",
			      "300000", &ms))
		cmwq_set_idle_timeout_ms((unsigned int)ms);
	return 0;
}
cmwq_initcall(INIT_SETTINGS, idle_timeout_init);
