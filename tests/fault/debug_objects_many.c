// SPDX-License-Identifier: MIT
/*
 * debug_objects_many.c - the debug mode (CMWQ_DEBUG_OBJECTS=1, set by
 * CTest) tracks any number of live items: 70,000 initialised items all
 * queue and run (the fixed table of 65,536 slots refused 4,465 of them as
 * never initialised); items queued while the table grows are never
 * refused; an item that was never initialised is still refused after it
 * grew; on-stack items initialised and destroyed many times keep working
 */
#include <cmwq.h>
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>

#define NR_MANY 70000

static atomic_int runs;

static void count_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&runs, 1);
}

static void test_many_live_items(void)
{
	struct workqueue_struct *wq = alloc_workqueue("many", WQ_UNBOUND, 0);
	struct work_struct *items = calloc(NR_MANY, sizeof(*items));
	struct harness_capture cap;
	int i, queued = 0;

	CHECK(wq && items);
	atomic_store(&runs, 0);
	for (i = 0; i < NR_MANY; i++)
		INIT_WORK(&items[i], count_fn);
	harness_capture_begin(&cap);
	for (i = 0; i < NR_MANY; i++)
		queued += queue_work(wq, &items[i]);
	flush_workqueue(wq);
	CHECK(!harness_capture_end(&cap, "never initialised"));
	CHECK_EQ(queued, NR_MANY);
	CHECK_EQ(atomic_load(&runs), NR_MANY);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	free(items);
}

static void test_uninitialised_still_refused(void)
{
	struct harness_capture cap;
	struct work_struct raw;

	memset(&raw, 0, sizeof(raw));
	raw.func = count_fn;
	atomic_store(&runs, 0);
	harness_capture_begin(&cap);
	CHECK(!queue_work(system_wq, &raw));
	CHECK(harness_capture_end(&cap, "never initialised"));
	CHECK_EQ(atomic_load(&runs), 0);
}

/*
 * One thread queues a fixed set of items over and over while another
 * initialises fresh ones, so the table grows under the queuer's lookups.
 */
#define NR_FIXED 64
static struct work_struct fixed[NR_FIXED];
static atomic_int grower_done, refused;

static void *grower(void *arg)
{
	int n = *(int *)arg, i;
	struct work_struct *fresh = calloc((size_t)n, sizeof(*fresh));

	CHECK(fresh);
	for (i = 0; i < n; i++)
		INIT_WORK(&fresh[i], count_fn);
	atomic_store(&grower_done, 1);
	/* Tracked, never queued: freeing them is allowed. */
	free(fresh);
	return NULL;
}

static void test_lookups_while_growing(void)
{
	struct workqueue_struct *wq = alloc_workqueue("grow", WQ_UNBOUND, 0);
	int n = HARNESS_SCALE(200000) < NR_MANY ? NR_MANY :
						  HARNESS_SCALE(200000);
	pthread_t thread;
	int i, rounds = 0;

	CHECK(wq);
	for (i = 0; i < NR_FIXED; i++)
		INIT_WORK(&fixed[i], count_fn);
	atomic_store(&runs, 0);
	CHECK(pthread_create(&thread, NULL, grower, &n) == 0);
	while (!atomic_load(&grower_done) || rounds < 10) {
		for (i = 0; i < NR_FIXED; i++)
			if (!queue_work(wq, &fixed[i]) &&
			    !work_pending(&fixed[i]))
				atomic_fetch_add(&refused, 1);
		flush_workqueue(wq);
		rounds++;
	}
	pthread_join(thread, NULL);
	CHECK_EQ(atomic_load(&refused), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void on_stack_round(int depth)
{
	/* A different stack address at each depth. */
	volatile char pad[64 * (1 + (depth & 7))];
	struct work_struct w;

	pad[0] = 0;
	INIT_WORK_ONSTACK(&w, count_fn);
	CHECK(queue_work(system_wq, &w));
	flush_work(&w);
	destroy_work_on_stack(&w);
	(void)pad;
}

static void test_on_stack_churn(void)
{
	int i, n = HARNESS_SCALE(20000);

	atomic_store(&runs, 0);
	for (i = 0; i < n; i++)
		on_stack_round(i);
	CHECK_EQ(atomic_load(&runs), n);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(120));
	if (!getenv("CMWQ_DEBUG_OBJECTS")) {
		fprintf(stderr, "needs CMWQ_DEBUG_OBJECTS=1 (set by CTest)\n");
		return HARNESS_SKIP;
	}
	RUN_TEST(test_many_live_items);
	RUN_TEST(test_uninitialised_still_refused);
	RUN_TEST(test_lookups_while_growing);
	RUN_TEST(test_on_stack_churn);
	return 0;
}
