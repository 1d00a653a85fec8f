/* SPDX-License-Identifier: MIT */
/*
 * Issue 6: the counters match known workloads exactly, CPU time is
 * sampled when asked, show_all_workqueues() prints pools, workers and
 * workqueues.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <stdatomic.h>
#include <stdio.h>

#include "harness.h"

#define N 2000

static atomic_int ran;

static void count_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
}

static struct work_struct works[N];

static void queue_n(struct workqueue_struct *wq, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		INIT_WORK(&works[i], count_fn);
		CHECK(queue_work(wq, &works[i]));
	}
	flush_workqueue(wq);
}

static unsigned long long pools_started(void)
{
	struct cmwq_pool_stats ps;
	unsigned long long sum = 0;
	int i;

	for (i = 0; i < cmwq_nr_pools(); i++) {
		CHECK_EQ(cmwq_get_pool_stats(i, &ps), 0);
		sum += ps.items_started;
	}
	return sum;
}

static void test_exact_counts(void)
{
	unsigned int flags[] = { 0, WQ_UNBOUND, WQ_HIGHPRI, __WQ_ORDERED };
	struct cmwq_wq_stats st;
	unsigned long long before, after;
	size_t k;

	for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
		struct workqueue_struct *wq =
			alloc_workqueue("obs_exact%zu", flags[k], 0, k);

		CHECK(wq);
		before = pools_started();
		atomic_store(&ran, 0);
		queue_n(wq, N);
		CHECK_EQ(atomic_load(&ran), N);
		CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
		CHECK_EQ(st.items_started, N);
		CHECK_EQ(st.items_completed, N);
		CHECK_EQ(st.nr_in_flight, 0);
		CHECK_EQ(st.nr_active, 0);
		CHECK_EQ(st.mayday_calls, 0);
		CHECK_EQ(st.rescued, 0);
		CHECK_EQ(st.cpu_intensive, 0);
		after = pools_started();
		/* Only this test queues: the pools counted exactly N more. */
		CHECK_EQ(after - before, N);
		/* Counting again after a second batch. */
		queue_n(wq, N / 2);
		CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
		CHECK_EQ(st.items_started, N + N / 2);
		CHECK_EQ(st.items_completed, N + N / 2);
		CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	}
}

static void test_cpu_intensive_counted(void)
{
	struct workqueue_struct *wq =
		alloc_workqueue("obs_itsv", WQ_CPU_INTENSIVE, 0);
	struct cmwq_wq_stats st;

	CHECK(wq);
	queue_n(wq, 100);
	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	CHECK_EQ(st.items_completed, 100);
	CHECK_EQ(st.cpu_intensive, 100);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/*
 * An item that blocks (explicit hook) with work queued behind it: exactly
 * one concurrency-management wake-up, charged to its workqueue.
 */
static atomic_int blocker_queued, blocker_go;

static void blocker_fn(struct work_struct *work)
{
	(void)work;
	/* Spin (no system call, so nothing looks blocked) until w waits. */
	while (!atomic_load(&blocker_queued))
		;
	cmwq_worker_sleeping();
	while (!atomic_load(&blocker_go))
		harness_sleep_ms(1);
	cmwq_worker_running();
}

static void test_cm_wakeups_per_wq(void)
{
	struct workqueue_struct *wq = alloc_workqueue("obs_cmw", 0, 0);
	static struct work_struct b, w;
	struct cmwq_wq_stats st;
	int cpu = harness_cpu(0);

	CHECK(wq);
	atomic_store(&blocker_queued, 0);
	atomic_store(&blocker_go, 0);
	atomic_store(&ran, 0);
	INIT_WORK(&b, blocker_fn);
	INIT_WORK(&w, count_fn);
	CHECK(queue_work_on(cpu, wq, &b));
	CHECK(queue_work_on(cpu, wq, &w));
	atomic_store(&blocker_queued, 1);
	/* The second item runs while the first one blocks. */
	CHECK(WAIT_UNTIL(atomic_load(&ran) == 1, 5000));
	atomic_store(&blocker_go, 1);
	flush_workqueue(wq);
	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	CHECK_EQ(st.cm_wakeups, 1);
	CHECK_EQ(st.items_completed, 2);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* A spinning item, sampled: its workqueue is charged CPU time. */
static void spin_fn(struct work_struct *work)
{
	struct timespec t0, t;

	(void)work;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L +
			 (t.tv_nsec - t0.tv_nsec) <
		 100L * 1000000L);
}

static void test_cpu_time_sampled(void)
{
	struct workqueue_struct *wq = alloc_workqueue("obs_cpu", WQ_UNBOUND, 0);
	struct workqueue_struct *idle = alloc_workqueue("obs_nocpu", 0, 0);
	static struct work_struct s, w;
	struct cmwq_wq_stats st;

	CHECK(wq && idle);
	cmwq_stats_sample_cpu(true);
	INIT_WORK(&s, spin_fn);
	INIT_WORK(&w, count_fn);
	CHECK(queue_work(wq, &s));
	CHECK(queue_work(idle, &w));
	flush_workqueue(wq);
	flush_workqueue(idle);
	cmwq_stats_sample_cpu(false);
	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	fprintf(stderr, "test: spinning 100 ms charged %llu us\n",
		st.cpu_time_ns / 1000);
	/* Charged, and never more than the thread could have used. */
	CHECK(st.cpu_time_ns > 0);
	CHECK(st.cpu_time_ns < 10ull * 1000000000ull);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	CHECK_EQ(cmwq_destroy_workqueue(idle), 0);
}

static atomic_int hold_go, hold_named;

void observe_test_holding_fn(struct work_struct *work);
void observe_test_holding_fn(struct work_struct *work)
{
	(void)work;
	set_worker_desc("holder");
	atomic_store(&hold_named, 1);
	while (!atomic_load(&hold_go))
		harness_sleep_ms(1);
}

static void test_show_workqueues(void)
{
	struct workqueue_struct *wq = alloc_workqueue("obs_show", 0, 0);
	static struct work_struct h;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	CHECK(wq);
	atomic_store(&hold_go, 0);
	atomic_store(&hold_named, 0);
	INIT_WORK(&h, observe_test_holding_fn);
	CHECK(queue_work_on(harness_cpu(0), wq, &h));
	CHECK(WAIT_UNTIL(atomic_load(&hold_named), 5000));
	f = open_memstream(&buf, &len);
	CHECK(f);
	cmwq_show_workqueues_to(f, NULL);
	fclose(f);
	fputs(buf, stderr);
	CHECK(strstr(buf, "Worker pools"));
	CHECK(strstr(buf, "obs_show"));
	CHECK(strstr(buf, "events"));
	CHECK(strstr(buf, "kworker/"));
	/* The busy worker, the symbol of its function, its workqueue. */
	CHECK(strstr(buf, "observe_test_holding_fn"));
	CHECK(strstr(buf, "(obs_show)"));
	/* The thread name keeps 15 characters: kworker/0:2+hol */
	CHECK(strstr(buf, "+hol"));
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK(f);
	cmwq_show_workqueues_to(f, wq);
	fclose(f);
	CHECK(strstr(buf, "obs_show"));
	CHECK(!strstr(buf, "events_unbound"));
	free(buf);
	show_one_workqueue(wq);
	atomic_store(&hold_go, 1);
	flush_workqueue(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(60);
	RUN_TEST(test_exact_counts);
	RUN_TEST(test_cpu_intensive_counted);
	RUN_TEST(test_cm_wakeups_per_wq);
	RUN_TEST(test_cpu_time_sampled);
	RUN_TEST(test_show_workqueues);
	return 0;
}
