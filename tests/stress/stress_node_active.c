/* SPDX-License-Identifier: MIT */
/*
 * The node count of an unbound workqueue (struct wq_node_active) is taken
 * lock-free while the node has room, and under its lock when it is full:
 * a pwq the full node held back must be let in by the next item that
 * leaves the node, whichever pod's pwq that item was on.  Several
 * producers queue short items on every CPU's pod of a workqueue with a
 * max_active of 1, round after round (property 5): every item runs (a
 * lost hand-over leaves a round waiting for ever, and the watchdog fails
 * the test), and never more than max_active of them run at once.  The
 * race itself is rare here; docs/model/node_active.pml checks the
 * protocol that closes it.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define NPROD 3
#define PER_PROD 4000
#define MAX_ACTIVE 1

static struct work_struct works[NPROD][PER_PROD];
static atomic_int inside, most_inside, stop;
static pthread_barrier_t start, queued;
static atomic_long runs;
static struct workqueue_struct *wq;

static void item_fn(struct work_struct *w)
{
	int now = atomic_fetch_add(&inside, 1) + 1;
	int most = atomic_load(&most_inside);
	volatile int spin;

	(void)w;
	while (now > most &&
	       !atomic_compare_exchange_weak(&most_inside, &most, now))
		;
	for (spin = 0; spin < 200; spin++)
		;
	atomic_fetch_sub(&inside, 1);
	atomic_fetch_add(&runs, 1);
}

static void *producer(void *arg)
{
	long k = (long)arg;
	int ncpu = cmwq_nr_cpus();

	for (;;) {
		int i;

		pthread_barrier_wait(&start);
		if (atomic_load(&stop))
			return NULL;
		for (i = 0; i < PER_PROD; i++) {
			int cpu = (int)((i + k) % ncpu);

			if (!cmwq_cpu_possible(cpu))
				cpu = WORK_CPU_UNBOUND;
			CHECK(queue_work_on(cpu, wq, &works[k][i]));
		}
		pthread_barrier_wait(&queued);
	}
}

int main(void)
{
	struct workqueue_attrs *attrs;
	pthread_t th[NPROD];
	int rounds = (int)HARNESS_SCALE(40), r, i, k;
	long total;

	harness_watchdog(HARNESS_SLOW(120));
	wq = alloc_workqueue("stress-nna", WQ_UNBOUND, MAX_ACTIVE);
	CHECK(wq);
	/* A pod per CPU: their pwqs share the node's count. */
	attrs = cmwq_alloc_workqueue_attrs();
	CHECK(attrs);
	attrs->affn_scope = WQ_AFFN_CPU;
	CHECK_EQ(cmwq_apply_workqueue_attrs(wq, attrs), 0);
	cmwq_free_workqueue_attrs(attrs);
	for (k = 0; k < NPROD; k++)
		for (i = 0; i < PER_PROD; i++)
			INIT_WORK(&works[k][i], item_fn);
	CHECK(!pthread_barrier_init(&start, NULL, NPROD + 1));
	CHECK(!pthread_barrier_init(&queued, NULL, NPROD + 1));
	for (k = 0; k < NPROD; k++)
		CHECK(!pthread_create(&th[k], NULL, producer, (void *)(long)k));
	for (r = 1; r <= rounds; r++) {
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&queued);
		flush_workqueue(wq);
	}
	atomic_store(&stop, 1);
	pthread_barrier_wait(&start);
	for (k = 0; k < NPROD; k++)
		pthread_join(th[k], NULL);
	total = (long)rounds * NPROD * PER_PROD;
	fprintf(stderr,
		"test: %ld items in %d rounds, %ld ran, at most %d at once\n",
		total, rounds, atomic_load(&runs), atomic_load(&most_inside));
	CHECK_EQ(atomic_load(&runs), total);
	CHECK(atomic_load(&most_inside) <= MAX_ACTIVE);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	return 0;
}
