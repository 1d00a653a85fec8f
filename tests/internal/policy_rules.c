// SPDX-License-Identifier: MIT
/*
 * policy_rules.c - the policy predicates of src/policy.c, white-box: a
 * pool's counters set by hand, the answers checked.  Property 4 (a worker
 * of a per-CPU pool takes a new item only while it is the pool's only
 * running worker) whatever the pool learned of its items; the exception
 * for sleepy items on unbound pools; need_more_worker() at and over the
 * target.
 */
#define _GNU_SOURCE
#include "internal.h"

#include "harness.h"

#include <stdlib.h>

static struct worker_pool *new_pool(int cpu, int target)
{
	struct worker_pool *pool = calloc(1, sizeof(*pool));

	CHECK(pool);
	pool->cpu = cpu;
	pool->target_running = target;
	atomic_store(&pool->inflight_target, target);
	return pool;
}

/* Counters as a pool sees them: @queued items wait, @running run. */
static void set_counts(struct worker_pool *pool, int queued, int running,
		       int inflight)
{
	atomic_store(&pool->nr_worklist, queued);
	atomic_store(&pool->nr_running, running);
	atomic_store(&pool->nr_inflight, inflight);
}

/*
 * Property 4: the worker whose item returned while a second one (woken
 * from a block) still runs goes idle, even where the monitor learned that
 * the pool's items sleep (inflight_target 5; that let it take the next).
 */
static void test_percpu_over_target_stops(void)
{
	struct worker_pool *pool = new_pool(0, 1);

	set_counts(pool, 1, 2, 2);
	CHECK(!keep_working(pool));
	atomic_store(&pool->inflight_target, 5);
	CHECK(!keep_working(pool));
	/* The only running worker keeps going. */
	set_counts(pool, 1, 1, 2);
	CHECK(keep_working(pool));
	/* Nothing queued: nothing to take. */
	set_counts(pool, 0, 1, 1);
	CHECK(!keep_working(pool));
	free(pool);
}

/* An unbound pool of sleepy items keeps its workers busy (beyond it). */
static void test_unbound_sleepy_keeps_going(void)
{
	struct worker_pool *pool = new_pool(-1, 2);

	set_counts(pool, 1, 3, 3);
	CHECK(!keep_working(pool));
	atomic_store(&pool->inflight_target, 8);
	CHECK(keep_working(pool));
	set_counts(pool, 1, 3, 9);
	CHECK(!keep_working(pool));
	free(pool);
}

/* A per-CPU pool with its one worker running starts no other. */
static void test_percpu_starts_none_while_one_runs(void)
{
	struct worker_pool *pool = new_pool(0, 1);

	set_counts(pool, 3, 1, 1);
	CHECK(!need_more_worker(pool));
	atomic_store(&pool->inflight_target, 5);
	CHECK(!need_more_worker(pool));
	set_counts(pool, 3, 0, 1);
	CHECK(need_more_worker(pool));
	set_counts(pool, 0, 0, 0);
	CHECK(!need_more_worker(pool));
	free(pool);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_percpu_over_target_stops);
	RUN_TEST(test_unbound_sleepy_keeps_going);
	RUN_TEST(test_percpu_starts_none_while_one_runs);
	return 0;
}
