/* SPDX-License-Identifier: MIT */
/*
 * Object lifetimes by reference (issue 13, defects 1 and 2; property 13):
 *
 * - a handle used long after destroy_workqueue() is refused by name, not
 *   read as freed memory (ASan checks the "not freed" part);
 * - apply_workqueue_attrs() works with items in flight, and releases the
 *   pwq it replaces once its items are done (the old code refused with
 *   -EBUSY, and never freed the old pwq: memory grew with every call);
 * - a barrier keeps its pwq alive past destroy_workqueue() (the test for
 *   that race is tests/torture/repro/barrier_uaf.c);
 * - many workqueues alive at once: destroy and flush do not scan them
 *   (the figure is in docs/reliability.md; here: it finishes).
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>

#include "harness.h"

/* Heap in use, mmapped blocks included. */
static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static atomic_int ran;

static void count_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
}

/* Queueing on a workqueue destroyed 1000 destructions ago: refused. */
static void test_stale_handle(void)
{
	struct workqueue_struct *old = alloc_workqueue("stale", 0, 0);
	struct work_struct w;
	int i;

	CHECK(old);
	INIT_WORK(&w, count_fn);
	CHECK_EQ(cmwq_destroy_workqueue(old), 0);
	for (i = 0; i < 1000; i++) {
		struct workqueue_struct *wq =
			alloc_workqueue("churn%d", WQ_UNBOUND, 0, i);

		CHECK(wq);
		CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	}
	/* Every later queue was destroyed too: none can live at @old. */
	CHECK(!queue_work(old, &w));
	CHECK(!work_pending(&w));
	CHECK_EQ(cmwq_destroy_workqueue(old), -EINVAL);
	flush_workqueue(old); /* a diagnostic, no wait, no crash */
}

static struct completion gate;
static atomic_int blocked;

static void gated_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&blocked, 1);
	wait_for_completion(&gate);
	atomic_fetch_add(&ran, 1);
}

/* Attributes change under items in flight; they and new ones all run. */
static void test_apply_attrs_in_flight(void)
{
	struct workqueue_struct *wq = alloc_workqueue("apply", WQ_UNBOUND, 8);
	struct workqueue_attrs *attrs = alloc_workqueue_attrs();
	struct work_struct before[4], after[4];
	int i;

	CHECK(wq && attrs);
	init_completion(&gate);
	atomic_store(&ran, 0);
	atomic_store(&blocked, 0);
	for (i = 0; i < 4; i++) {
		INIT_WORK(&before[i], gated_fn);
		INIT_WORK(&after[i], count_fn);
		CHECK(queue_work(wq, &before[i]));
	}
	while (atomic_load(&blocked) < 4)
		harness_sleep_ms(1);
	attrs->nice = 5;
	CHECK_EQ(apply_workqueue_attrs(wq, attrs), 0);
	for (i = 0; i < 4; i++)
		CHECK(queue_work(wq, &after[i]));
	complete_all(&gate);
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&ran), 8);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	free_workqueue_attrs(attrs);
}

/*
 * The replaced pwqs are released: 20,000 switches between two attribute
 * sets leave the heap where it was (each leaked pwq would be 512 bytes,
 * 10 MB in all).
 */
static void test_apply_attrs_releases(void)
{
	struct workqueue_struct *wq = alloc_workqueue("flip", WQ_UNBOUND, 0);
	struct workqueue_attrs *attrs = alloc_workqueue_attrs();
	struct work_struct w;
	size_t before = 0, grown = 0;
	int i;

	CHECK(wq && attrs);
	INIT_WORK(&w, count_fn);
	for (i = 0; i < 20000; i++) {
		if (i == 1000)
			before = heap_bytes();
		attrs->nice = i & 1;
		CHECK_EQ(apply_workqueue_attrs(wq, attrs), 0);
		queue_work(wq, &w);
	}
	flush_workqueue(wq);
	/* Releases the manager finishes are in by now, or soon. */
	for (i = 0; i < 100; i++) {
		grown = heap_bytes() - before;
		if ((long)grown < 1024 * 1024)
			break;
		harness_sleep_ms(10);
	}
	fprintf(stderr, "heap grew by %ld bytes over 19,000 switches\n",
		(long)grown);
	CHECK((long)grown < 1024 * 1024);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	free_workqueue_attrs(attrs);
}

/* Many queues at once, destroyed in reverse order, flushed while alive. */
static void test_many_queues(void)
{
	enum { N = 20000 };
	struct workqueue_struct **wqs = calloc(N, sizeof(*wqs));
	int i;

	CHECK(wqs);
	for (i = 0; i < N; i++) {
		wqs[i] = alloc_workqueue("many%d", WQ_UNBOUND, 0, i);
		CHECK(wqs[i]);
	}
	for (i = 0; i < 1000; i++)
		flush_workqueue(wqs[i * 7 % N]);
	for (i = N - 1; i >= 0; i--)
		CHECK_EQ(cmwq_destroy_workqueue(wqs[i]), 0);
	free(wqs);
}

int main(void)
{
	harness_watchdog(200);
	RUN_TEST(test_stale_handle);
	RUN_TEST(test_apply_attrs_in_flight);
	RUN_TEST(test_apply_attrs_releases);
	RUN_TEST(test_many_queues);
	return 0;
}
