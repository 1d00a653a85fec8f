/* SPDX-License-Identifier: MIT */
/*
 * Property 5: at most max_active items of a workqueue are active per CPU
 * (bound) or in total (unbound); the rest wait in FIFO order;
 * workqueue_congested says so.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define MAXN 16

struct gated {
	struct work_struct work;
	int id;
	int set; /* which counter set: one per CPU in the bound test */
	struct completion release;
	atomic_int started;
	atomic_int finished;
};

static atomic_int active[2], peak[2], nstarted[2];
static struct gated items[2][MAXN];

static void gated_fn(struct work_struct *w)
{
	struct gated *g = container_of(w, struct gated, work);
	int a = atomic_fetch_add(&active[g->set], 1) + 1, p;

	p = atomic_load(&peak[g->set]);
	while (a > p && !atomic_compare_exchange_weak(&peak[g->set], &p, a))
		;
	atomic_fetch_add(&nstarted[g->set], 1);
	atomic_store(&g->started, 1);
	/* A library wait: the pool may start other workers meanwhile. */
	wait_for_completion(&g->release);
	atomic_fetch_sub(&active[g->set], 1);
	atomic_store(&g->finished, 1);
}

static void setup(int set, int n)
{
	int i;

	atomic_store(&active[set], 0);
	atomic_store(&peak[set], 0);
	atomic_store(&nstarted[set], 0);
	for (i = 0; i < n; i++) {
		items[set][i].id = i;
		items[set][i].set = set;
		init_completion(&items[set][i].release);
		atomic_store(&items[set][i].started, 0);
		atomic_store(&items[set][i].finished, 0);
		INIT_WORK(&items[set][i].work, gated_fn);
	}
}

/*
 * workqueue_congested() looks at one CPU's pwq, as the kernel's does
 * (WORK_CPU_UNBOUND: the caller's CPU now).  An unbound workqueue has a
 * pwq per pod, and an unpinned caller may have queued to either: held
 * back items are on one of them.
 */
static bool congested_somewhere(int cpu, struct workqueue_struct *wq)
{
	int c;

	if (cpu != WORK_CPU_UNBOUND)
		return workqueue_congested(cpu, wq);
	for (c = 0; c < cmwq_nr_cpus(); c++)
		if (cmwq_cpu_possible(c) && workqueue_congested(c, wq))
			return true;
	return false;
}

/* Exactly items 0..k-1 of @set have started. */
static void check_prefix(int set, int n, int k)
{
	int i;

	for (i = 0; i < n; i++)
		CHECK_EQ(atomic_load(&items[set][i].started), i < k);
}

/*
 * Queue @n gated items on @cpu of @wq (limit @max); release them one by one
 * in order and check that the started ones are always the first ones.
 */
static void run_limited(struct workqueue_struct *wq, int cpu, int set, int n,
			int max)
{
	int i, k;

	setup(set, n);
	for (i = 0; i < n; i++)
		CHECK(queue_work_on(cpu, wq, &items[set][i].work));
	CHECK(WAIT_UNTIL(atomic_load(&nstarted[set]) == max,
			 HARNESS_SLOW(5000)));
	/* Give a wrong engine the time to start more. */
	harness_sleep_ms(30);
	CHECK_EQ(atomic_load(&nstarted[set]), max);
	check_prefix(set, n, max);
	CHECK(congested_somewhere(cpu, wq));
	for (i = max; i < n; i++)
		CHECK(work_pending(&items[set][i].work));

	for (i = 0; i < n; i++) {
		complete(&items[set][i].release);
		CHECK(WAIT_UNTIL(atomic_load(&items[set][i].finished),
				 HARNESS_SLOW(5000)));
		k = i + 1 + max < n ? i + 1 + max : n;
		CHECK(WAIT_UNTIL(atomic_load(&nstarted[set]) == k,
				 HARNESS_SLOW(5000)));
		check_prefix(set, n, k);
		CHECK(atomic_load(&active[set]) <= max);
		if (k < n)
			CHECK(congested_somewhere(cpu, wq));
	}
	flush_workqueue(wq);
	CHECK(atomic_load(&peak[set]) <= max);
	CHECK_EQ(atomic_load(&peak[set]), max);
	CHECK(!workqueue_congested(cpu, wq));
}

static void test_bound(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p5b", WQ_PERCPU, 2);
	struct cmwq_wq_stats st;

	CHECK(wq);
	CHECK(!workqueue_congested(harness_cpu(0), wq));
	run_limited(wq, harness_cpu(0), 0, 8, 2);
	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	CHECK_EQ(st.max_active, 2);
	CHECK_EQ(st.nr_inactive, 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* The limit is per CPU: a full CPU does not hold back another one. */
static void test_bound_per_cpu(void)
{
	struct workqueue_struct *wq;
	int c0 = harness_cpu(0), c1 = harness_cpu(1), i;

	if (c1 < 0) {
		fprintf(stderr, "test: only 1 CPU, skipped\n");
		return;
	}
	wq = alloc_workqueue("p5pc", WQ_PERCPU, 2);
	CHECK(wq);
	setup(0, 4);
	setup(1, 4);
	for (i = 0; i < 4; i++)
		CHECK(queue_work_on(c0, wq, &items[0][i].work));
	for (i = 0; i < 4; i++)
		CHECK(queue_work_on(c1, wq, &items[1][i].work));
	CHECK(WAIT_UNTIL(atomic_load(&nstarted[0]) == 2 &&
				 atomic_load(&nstarted[1]) == 2,
			 HARNESS_SLOW(5000)));
	harness_sleep_ms(30);
	CHECK_EQ(atomic_load(&nstarted[0]), 2);
	CHECK_EQ(atomic_load(&nstarted[1]), 2);
	check_prefix(0, 4, 2);
	check_prefix(1, 4, 2);
	CHECK(workqueue_congested(c0, wq));
	CHECK(workqueue_congested(c1, wq));
	for (i = 0; i < 4; i++) {
		complete(&items[0][i].release);
		complete(&items[1][i].release);
	}
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&peak[0]), 2);
	CHECK_EQ(atomic_load(&peak[1]), 2);
	CHECK(!workqueue_congested(c0, wq));
	CHECK(!workqueue_congested(c1, wq));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_unbound(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p5u", WQ_UNBOUND, 3);

	CHECK(wq);
	CHECK(!workqueue_congested(WORK_CPU_UNBOUND, wq));
	run_limited(wq, WORK_CPU_UNBOUND, 0, 10, 3);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* Unbound: the limit is in total, whatever CPU the callers name. */
static void test_unbound_total(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p5ut", WQ_UNBOUND, 2);
	int i, c;

	CHECK(wq);
	setup(0, 8);
	for (i = 0; i < 8; i++) {
		c = harness_cpu(i % 2);
		CHECK(queue_work_on(c < 0 ? harness_cpu(0) : c, wq,
				    &items[0][i].work));
	}
	CHECK(WAIT_UNTIL(atomic_load(&nstarted[0]) == 2, HARNESS_SLOW(5000)));
	harness_sleep_ms(30);
	CHECK_EQ(atomic_load(&nstarted[0]), 2);
	CHECK(congested_somewhere(WORK_CPU_UNBOUND, wq));
	for (i = 0; i < 8; i++)
		complete(&items[0][i].release);
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&peak[0]), 2);
	CHECK(!workqueue_congested(WORK_CPU_UNBOUND, wq));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* Raising max_active lets waiting items start. */
static void test_set_max_active(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p5s", WQ_UNBOUND, 1);
	int i;

	CHECK(wq);
	setup(0, 6);
	for (i = 0; i < 6; i++)
		CHECK(queue_work(wq, &items[0][i].work));
	CHECK(WAIT_UNTIL(atomic_load(&nstarted[0]) == 1, HARNESS_SLOW(5000)));
	workqueue_set_max_active(wq, 4);
	CHECK(WAIT_UNTIL(atomic_load(&nstarted[0]) == 4, HARNESS_SLOW(5000)));
	harness_sleep_ms(30);
	CHECK_EQ(atomic_load(&nstarted[0]), 4);
	check_prefix(0, 6, 4);
	for (i = 0; i < 6; i++)
		complete(&items[0][i].release);
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&peak[0]), 4);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_bound);
	RUN_TEST(test_bound_per_cpu);
	RUN_TEST(test_unbound);
	RUN_TEST(test_unbound_total);
	RUN_TEST(test_set_max_active);
	return 0;
}
