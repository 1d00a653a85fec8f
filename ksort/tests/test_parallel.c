/* SPDX-License-Identifier: MIT */
/*
 * ksort/tests/test_parallel.c - the parallel driver on cmwq
 *
 * Eight threads sort 10^6 elements each at once on one shared workqueue
 * (each call waits for its own work only); every kind of workqueue works;
 * below the cut-off no work item is queued; a sort may run inside a work
 * item of the queue it uses; progress adds up to n.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <pthread.h>

#include "common.h"

#define NTHREADS 8

struct sorter {
	pthread_t thread;
	struct workqueue_struct *wq;
	size_t n;
	unsigned int seed;
	int ret;
	int ok;
};

static void *sorter_fn(void *arg)
{
	struct sorter *s = arg;
	uint64_t *in = malloc(s->n * 8), *v = malloc(s->n * 8);
	struct ksort_opts o = { .parallelism = 2, .cutoff = 4096 };

	CHECK(in && v);
	ksort_generate(in, s->n, s->seed % KSORT_NR_PATTERNS, s->seed);
	memcpy(v, in, s->n * 8);
	o.algo = s->seed % 2 ? KSORT_PDQSORT : KSORT_QUICKSORT;
	s->ret = ksort_wq(s->wq, v, s->n, 8, kt_cmp_u64, &o);
	kt_check_perm_u64(v, in, s->n);
	s->ok = 1;
	free(in);
	free(v);
	return NULL;
}

static void concurrent(struct workqueue_struct *wq, size_t n)
{
	struct sorter s[NTHREADS];

	for (int i = 0; i < NTHREADS; i++) {
		s[i] = (struct sorter){ .wq = wq, .n = n,
					.seed = (unsigned int)i + 1 };
		CHECK(pthread_create(&s[i].thread, NULL, sorter_fn, &s[i]) ==
		      0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(s[i].thread, NULL);
		CHECK_EQ(s[i].ret, 0);
		CHECK(s[i].ok);
	}
}

static void test_eight_at_once(void)
{
	struct workqueue_struct *wq =
		cmwq_alloc_workqueue("ksort_shared", WQ_UNBOUND, 0);

	CHECK(wq);
	concurrent(wq, KT_SANITIZED ? 100000 : 1000000);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static void test_queue_kinds(void)
{
	static const unsigned int flags[] = {
		WQ_UNBOUND, WQ_PERCPU, WQ_PERCPU | WQ_CPU_INTENSIVE,
		WQ_UNBOUND | WQ_HIGHPRI,
	};
	size_t n = KT_SANITIZED ? 50000 : 300000;

	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
		struct workqueue_struct *wq =
			cmwq_alloc_workqueue("ksort_kind%zu", flags[k], 0, k);

		CHECK(wq);
		concurrent(wq, n);
		CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	}
	/* the system workqueues too (never destroyed) */
	concurrent(cmwq_system_wq, n / 4);
	concurrent(NULL, n / 4);
}

static void test_no_items_below_cutoff(void)
{
	struct workqueue_struct *wq =
		cmwq_alloc_workqueue("ksort_cut", WQ_UNBOUND, 0);
	struct cmwq_wq_stats ws;
	size_t n = 5000;
	uint64_t *v = malloc(n * 8);
	struct ksort_stats st;
	struct ksort_opts o = { .cutoff = n, .parallelism = 4, .stats = &st };

	CHECK(wq && v);
	ksort_generate(v, n, KSORT_PAT_RANDOM, 3);
	CHECK_EQ(ksort_wq(wq, v, n, 8, kt_cmp_u64, &o), 0);
	kt_check_sorted_u64(v, n);
	CHECK_EQ(st.work_items, 0);
	CHECK_EQ(st.tasks, 0);
	CHECK_EQ(st.threads, 1);
	/* parallelism 1: the caller alone, however large */
	ksort_generate(v, n, KSORT_PAT_RANDOM, 4);
	o.cutoff = 100;
	o.parallelism = 1;
	CHECK_EQ(ksort_wq(wq, v, n, 8, kt_cmp_u64, &o), 0);
	kt_check_sorted_u64(v, n);
	CHECK_EQ(st.work_items, 0);
	CHECK_EQ(cmwq_get_wq_stats(wq, &ws), 0);
	CHECK_EQ(ws.items_started, 0);
	/* above the cut-off with 2 threads: helpers are queued */
	ksort_generate(v, n, KSORT_PAT_RANDOM, 5);
	o.parallelism = 2;
	CHECK_EQ(ksort_wq(wq, v, n, 8, kt_cmp_u64, &o), 0);
	kt_check_sorted_u64(v, n);
	CHECK_EQ(st.work_items, 1);
	CHECK(st.tasks > 0);
	free(v);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* A sort inside a work item, on the work item's own (per-CPU) queue. */
struct nested {
	struct work_struct work;
	struct workqueue_struct *wq;
	size_t n;
	int ret;
	struct completion done;
};

static void nested_fn(struct work_struct *work)
{
	struct nested *ns = container_of(work, struct nested, work);
	uint64_t *in = malloc(ns->n * 8), *v = malloc(ns->n * 8);
	struct ksort_opts o = { .cutoff = 2000, .parallelism = 2 };

	CHECK(in && v);
	ksort_generate(in, ns->n, KSORT_PAT_RANDOM, 11);
	memcpy(v, in, ns->n * 8);
	ns->ret = ksort_wq(ns->wq, v, ns->n, 8, kt_cmp_u64, &o);
	kt_check_perm_u64(v, in, ns->n);
	free(in);
	free(v);
	cmwq_complete(&ns->done);
}

static void test_nested(void)
{
	struct nested ns = { .n = KT_SANITIZED ? 50000 : 200000, .ret = -1 };

	ns.wq = cmwq_alloc_workqueue("ksort_nested", WQ_PERCPU, 0);
	CHECK(ns.wq);
	cmwq_init_completion(&ns.done);
	cmwq_init_work(&ns.work, nested_fn);
	CHECK(cmwq_queue_work(ns.wq, &ns.work));
	cmwq_wait_for_completion(&ns.done);
	cmwq_flush_work(&ns.work);
	CHECK_EQ(ns.ret, 0);
	CHECK_EQ(cmwq_destroy_workqueue(ns.wq), 0);
}

static void test_progress(void)
{
	size_t n = 100000, done = 0;
	uint64_t *v = malloc(n * 8);

	CHECK(v);
	for (int t = 1; t <= 2; t++) {
		struct ksort_opts o = { .cutoff = 1000, .parallelism = t,
					.progress = &done };

		done = 0;
		ksort_generate(v, n, KSORT_PAT_FEW, 1);
		CHECK_EQ(ksort_wq(NULL, v, n, 8, kt_cmp_u64, &o), 0);
		kt_check_sorted_u64(v, n);
		CHECK_EQ(done, n);
	}
	free(v);
}

int main(void)
{
	harness_watchdog(KT_SANITIZED ? 290 : 120);
	RUN_TEST(test_no_items_below_cutoff);
	RUN_TEST(test_progress);
	RUN_TEST(test_nested);
	RUN_TEST(test_queue_kinds);
	RUN_TEST(test_eight_at_once);
	return 0;
}
