/* SPDX-License-Identifier: MIT */
/*
 * Lifetimes under churn (issue 13, defect 1): threads create workqueues,
 * queue shared items on them, switch their attributes and destroy them,
 * while other threads cancel and flush those same items.  A canceller or
 * flusher reads an item's pwq while the item's workqueue is being
 * destroyed; before pwqs were reference counted that read hit freed
 * memory (ThreadSanitizer named it within a second).  Checks, besides a
 * clean run under ASan and TSan: every successful queue_work() is matched
 * by exactly one run or one successful cancel (nothing lost, nothing run
 * twice).
 *
 * CMWQ_STRESS_SECONDS sets the run time (default 3; the 10-minute probe of
 * docs/reliability.md sets 600).
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdint.h>

#include "harness.h"

#define NR_ITEMS 64
#define NR_CHURNERS 2
#define NR_CANCELLERS 2

static struct work_struct items[NR_ITEMS];
static atomic_long queued, ran, cancelled;
static atomic_int stop;

static void item_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
}

static unsigned int next_rand(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static void *churner(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg * 7919u + 1;
	struct workqueue_attrs *attrs = alloc_workqueue_attrs();
	unsigned long round;

	CHECK(attrs);
	for (round = 0; !atomic_load(&stop); round++) {
		unsigned int flags = (round & 1) ? WQ_UNBOUND : WQ_PERCPU;
		struct workqueue_struct *wq =
			alloc_workqueue("churn%lu", flags, 1 + round % 4, round);
		int i, n = 1 + (int)(next_rand(&seed) % 16);

		CHECK(wq);
		for (i = 0; i < n; i++) {
			struct work_struct *w =
				&items[next_rand(&seed) % NR_ITEMS];

			if (queue_work(wq, w))
				atomic_fetch_add(&queued, 1);
			if ((flags & WQ_UNBOUND) && i == n / 2) {
				attrs->nice = (int)(next_rand(&seed) % 3);
				CHECK_EQ(apply_workqueue_attrs(wq, attrs), 0);
			}
		}
		if (next_rand(&seed) % 4 == 0)
			flush_workqueue(wq);
		CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	}
	free_workqueue_attrs(attrs);
	return NULL;
}

static void *canceller(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg * 104729u + 3;

	while (!atomic_load(&stop)) {
		struct work_struct *w = &items[next_rand(&seed) % NR_ITEMS];

		switch (next_rand(&seed) % 3) {
		case 0:
			if (cancel_work(w))
				atomic_fetch_add(&cancelled, 1);
			break;
		case 1:
			flush_work(w);
			break;
		default:
			if (cancel_work_sync(w))
				atomic_fetch_add(&cancelled, 1);
			break;
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t churners[NR_CHURNERS], cancellers[NR_CANCELLERS];
	const char *env = getenv("CMWQ_STRESS_SECONDS");
	unsigned int seconds = env ? (unsigned int)atoi(env) : 3;
	int i;

	if (!seconds)
		seconds = 3;
	harness_watchdog(seconds + 120);
	for (i = 0; i < NR_ITEMS; i++)
		INIT_WORK(&items[i], item_fn);
	for (i = 0; i < NR_CHURNERS; i++)
		CHECK_EQ(pthread_create(&churners[i], NULL, churner,
					(void *)(uintptr_t)i),
			 0);
	for (i = 0; i < NR_CANCELLERS; i++)
		CHECK_EQ(pthread_create(&cancellers[i], NULL, canceller,
					(void *)(uintptr_t)i),
			 0);
	sleep(seconds);
	atomic_store(&stop, 1);
	for (i = 0; i < NR_CHURNERS; i++)
		pthread_join(churners[i], NULL);
	for (i = 0; i < NR_CANCELLERS; i++)
		pthread_join(cancellers[i], NULL);
	/* Every workqueue was destroyed, so drained: nothing is pending. */
	for (i = 0; i < NR_ITEMS; i++)
		CHECK(!work_pending(&items[i]));
	fprintf(stderr, "queued %ld, ran %ld, cancelled %ld\n",
		atomic_load(&queued), atomic_load(&ran),
		atomic_load(&cancelled));
	CHECK_EQ(atomic_load(&queued), atomic_load(&ran) + atomic_load(&cancelled));
	return 0;
}
