/* SPDX-License-Identifier: MIT */
/*
 * Property 6: an ordered workqueue runs one item at a time, in queueing
 * order, even when items block.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define NITEMS 400
#define NPROD 3

struct item {
	struct work_struct work;
	int producer;
	int idx;
};

static struct item items[NPROD][NITEMS];
static atomic_int inside, overlaps, total;
static atomic_int last_idx[NPROD];
static atomic_int out_of_order;
static int order_log[NPROD * NITEMS]; /* written only under "inside" */
static atomic_int order_len;

static void ordered_fn(struct work_struct *w)
{
	struct item *it = container_of(w, struct item, work);
	int prev;

	if (atomic_fetch_add(&inside, 1) != 0)
		atomic_fetch_add(&overlaps, 1);
	prev = atomic_exchange(&last_idx[it->producer], it->idx);
	if (prev != it->idx - 1)
		atomic_fetch_add(&out_of_order, 1);
	order_log[atomic_fetch_add(&order_len, 1)] =
		it->producer * NITEMS + it->idx;
	/* Some items block, in a library wait or between the hooks. */
	if (it->idx % 7 == 3) {
		struct completion c;

		init_completion(&c);
		CHECK(!cmwq_wait_for_completion_timeout_ns(&c, 200000));
	} else if (it->idx % 7 == 5) {
		cmwq_worker_sleeping();
		usleep(100);
		cmwq_worker_running();
	}
	atomic_fetch_add(&total, 1);
	atomic_fetch_sub(&inside, 1);
}

static void reset(void)
{
	int p;

	atomic_store(&inside, 0);
	atomic_store(&overlaps, 0);
	atomic_store(&total, 0);
	atomic_store(&out_of_order, 0);
	atomic_store(&order_len, 0);
	for (p = 0; p < NPROD; p++)
		atomic_store(&last_idx[p], -1);
}

static int nitems(void)
{
	return HARNESS_SANITIZED ? NITEMS / 4 : NITEMS;
}

static void init_items(int p)
{
	int i;

	for (i = 0; i < nitems(); i++) {
		items[p][i].producer = p;
		items[p][i].idx = i;
		INIT_WORK(&items[p][i].work, ordered_fn);
	}
}

static void single_producer(struct workqueue_struct *wq)
{
	int i, n = nitems();

	reset();
	init_items(0);
	for (i = 0; i < n; i++)
		CHECK(queue_work(wq, &items[0][i].work));
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&total), n);
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK_EQ(atomic_load(&out_of_order), 0);
	for (i = 0; i < n; i++)
		CHECK_EQ(order_log[i], i);
}

static void test_single_producer(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("p6", 0);
	struct workqueue_struct *hi =
		alloc_ordered_workqueue("p6h", WQ_HIGHPRI);
	struct workqueue_struct *legacy = create_singlethread_workqueue("p6l");

	CHECK(wq && hi && legacy);
	single_producer(wq);
	single_producer(hi);
	single_producer(legacy);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	CHECK_EQ(cmwq_destroy_workqueue(hi), 0);
	CHECK_EQ(cmwq_destroy_workqueue(legacy), 0);
}

static struct workqueue_struct *mp_wq;
static atomic_int mp_go;

static void *producer(void *arg)
{
	int p = (int)(long)arg, i;

	while (!atomic_load(&mp_go))
		;
	for (i = 0; i < nitems(); i++) {
		CHECK(queue_work(mp_wq, &items[p][i].work));
		if (i % 16 == 0)
			usleep(10);
	}
	return NULL;
}

/* Several producers: each one's items keep their order; never overlap. */
static void test_multi_producer(void)
{
	pthread_t th[NPROD];
	int p;

	mp_wq = alloc_ordered_workqueue("p6mp", 0);
	CHECK(mp_wq);
	reset();
	atomic_store(&mp_go, 0);
	for (p = 0; p < NPROD; p++) {
		init_items(p);
		CHECK(!pthread_create(&th[p], NULL, producer, (void *)(long)p));
	}
	atomic_store(&mp_go, 1);
	for (p = 0; p < NPROD; p++)
		pthread_join(th[p], NULL);
	flush_workqueue(mp_wq);
	CHECK_EQ(atomic_load(&total), NPROD * nitems());
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK_EQ(atomic_load(&out_of_order), 0);
	CHECK_EQ(cmwq_destroy_workqueue(mp_wq), 0);
}

/* An item queued from a running item of the queue runs after it. */
static struct workqueue_struct *chain_wq;
static struct work_struct chain[8];
static atomic_int chain_pos, chain_bad;

static void chain_fn(struct work_struct *w)
{
	int me = (int)(w - chain);

	if (atomic_fetch_add(&inside, 1) != 0)
		atomic_fetch_add(&overlaps, 1);
	if (atomic_fetch_add(&chain_pos, 1) != me)
		atomic_fetch_add(&chain_bad, 1);
	if (me + 1 < 8)
		CHECK(queue_work(chain_wq, &chain[me + 1]));
	atomic_fetch_sub(&inside, 1);
}

static void test_chain(void)
{
	int i;

	chain_wq = alloc_ordered_workqueue("p6c", 0);
	CHECK(chain_wq);
	reset();
	atomic_store(&chain_pos, 0);
	atomic_store(&chain_bad, 0);
	for (i = 0; i < 8; i++)
		INIT_WORK(&chain[i], chain_fn);
	CHECK(queue_work(chain_wq, &chain[0]));
	CHECK(WAIT_UNTIL(atomic_load(&chain_pos) == 8, HARNESS_SLOW(5000)));
	flush_workqueue(chain_wq);
	CHECK_EQ(atomic_load(&chain_bad), 0);
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK_EQ(cmwq_destroy_workqueue(chain_wq), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_single_producer);
	RUN_TEST(test_multi_producer);
	RUN_TEST(test_chain);
	return 0;
}
