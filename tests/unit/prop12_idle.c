/* SPDX-License-Identifier: MIT */
/*
 * Property 12: idle.  A process that has queued nothing has no library
 * thread; workers are named kworker/...; beyond two idle workers per pool,
 * workers exit after the idle timeout; with nothing queued or armed the
 * library's threads make no context switch (no periodic wake-ups).
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define IDLE_MS 200
#define MAXT 512

static struct harness_task tasks[MAXT], tasks2[MAXT];

static void dump_tasks(const char *why)
{
	int i, n = harness_list_tasks(tasks, MAXT);

	fprintf(stderr, "test: threads (%s):\n", why);
	for (i = 0; i < n; i++)
		fprintf(stderr, "test:   %d %-16s %c vcsw %llu nvcsw %llu\n",
			tasks[i].tid, tasks[i].comm, tasks[i].state,
			tasks[i].vcsw, tasks[i].nvcsw);
}

static void check_no_library_threads(void)
{
	int n = harness_list_tasks(tasks, MAXT);

	if (harness_count_lib_threads() != 0 ||
	    (!HARNESS_SANITIZED && n != 1)) {
		dump_tasks("expected none besides main");
		CHECK(0);
	}
}

/*
 * Before the program allocates a workqueue the library has no thread at
 * all.  alloc_workqueue() starts the manager (so that a signal handler's
 * first queue_work never has to start a thread), but no worker exists
 * until work is queued.
 */
static void check_no_workers(void)
{
	if (harness_count_kworkers() != 0) {
		dump_tasks("expected no kworker");
		CHECK(0);
	}
}

static void test_no_threads_before_work(void)
{
	struct workqueue_struct *wq;

	check_no_library_threads();
	cmwq_set_idle_timeout_ms(IDLE_MS);
	check_no_library_threads();
	wq = alloc_workqueue("p12a", WQ_UNBOUND, 0);
	CHECK(wq);
	check_no_workers();
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	check_no_workers();
}

/* kworker/<cpu>:<id>, kworker/<cpu>:<id>H, kworker/u<pool>:<id> */
static bool valid_name(const char *s, int cpu, bool highpri, bool unbound)
{
	char *end;
	long v;

	if (strncmp(s, "kworker/", 8))
		return false;
	s += 8;
	if (unbound) {
		if (*s++ != 'u')
			return false;
	}
	v = strtol(s, &end, 10);
	if (end == s || (!unbound && v != cpu) || *end != ':')
		return false;
	s = end + 1;
	strtol(s, &end, 10);
	if (end == s)
		return false;
	if (highpri && *end++ != 'H')
		return false;
	return *end == '\0' || *end == '+';
}

struct name_probe {
	struct work_struct work;
	char name[32];
	atomic_int done;
};

static void name_fn(struct work_struct *w)
{
	struct name_probe *p = container_of(w, struct name_probe, work);

	if (pthread_getname_np(pthread_self(), p->name, sizeof(p->name)))
		strcpy(p->name, "?");
	atomic_store(&p->done, 1);
}

static void probe(struct workqueue_struct *wq, int cpu, bool highpri,
		  bool unbound)
{
	struct name_probe p;

	memset(&p, 0, sizeof(p));
	INIT_WORK(&p.work, name_fn);
	CHECK(queue_work_on(cpu, wq, &p.work));
	flush_work(&p.work);
	CHECK(atomic_load(&p.done));
	fprintf(stderr, "test: cpu %d%s%s: %s\n", cpu, highpri ? " H" : "",
		unbound ? " unbound" : "", p.name);
	CHECK(valid_name(p.name, cpu, highpri, unbound));
}

static void test_names(void)
{
	int k, cpu, i, n;

	for (k = 0; k < 4 && (cpu = harness_cpu(k)) >= 0; k++) {
		probe(system_percpu_wq, cpu, false, false);
		probe(system_highpri_wq, cpu, true, false);
	}
	probe(system_unbound_wq, WORK_CPU_UNBOUND, false, true);
	/* Every thread but main belongs to the library and is named so. */
	n = harness_list_tasks(tasks, MAXT);
	for (i = 0; i < n; i++) {
		if (tasks[i].tid == getpid())
			continue;
		if (HARNESS_SANITIZED && !harness_is_lib_thread(tasks[i].comm))
			continue;
		if (strncmp(tasks[i].comm, "kworker/", 8) &&
		    strncmp(tasks[i].comm, "cmwq-", 5)) {
			dump_tasks("unexpected thread name");
			CHECK(0);
		}
	}
}

/* Make a pool start many workers: items that all block at once. */
static struct completion all_go;
static atomic_int blocked;

static void block_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&blocked, 1);
	wait_for_completion(&all_go);
}

static int pool_of_cpu(int cpu)
{
	struct cmwq_pool_stats st;
	int id;

	for (id = 0; id < cmwq_nr_pools(); id++)
		if (!cmwq_get_pool_stats(id, &st) && st.cpu == cpu &&
		    !st.highpri)
			return id;
	return -1;
}

static bool pools_trimmed(void)
{
	struct cmwq_pool_stats st;
	int id;

	for (id = 0; id < cmwq_nr_pools(); id++) {
		CHECK_EQ(cmwq_get_pool_stats(id, &st), 0);
		if (st.nr_workers > 2 || st.nr_idle > 2)
			return false;
	}
	return true;
}

static void test_idle_reaping(void)
{
	struct workqueue_struct *u = alloc_workqueue("p12u", WQ_UNBOUND, 0);
	struct workqueue_struct *b = alloc_workqueue("p12b", WQ_PERCPU, 0);
	struct work_struct wu[8], wb[6];
	struct cmwq_pool_stats st;
	int i, cpu = harness_cpu(0), id, libthreads, sum;

	CHECK(u && b);
	init_completion(&all_go);
	atomic_store(&blocked, 0);
	for (i = 0; i < 8; i++) {
		INIT_WORK(&wu[i], block_fn);
		CHECK(queue_work(u, &wu[i]));
	}
	for (i = 0; i < 6; i++) {
		INIT_WORK(&wb[i], block_fn);
		CHECK(queue_work_on(cpu, b, &wb[i]));
	}
	CHECK(WAIT_UNTIL(atomic_load(&blocked) == 14, HARNESS_SLOW(5000)));
	id = pool_of_cpu(cpu);
	CHECK(id >= 0);
	CHECK_EQ(cmwq_get_pool_stats(id, &st), 0);
	CHECK(st.nr_workers >= 6);
	complete_all(&all_go);
	flush_workqueue(u);
	flush_workqueue(b);

	/* Surplus idle workers exit after IDLE_MS (hang guard only). */
	if (!WAIT_UNTIL(pools_trimmed(), HARNESS_SLOW(5000))) {
		for (id = 0; id < cmwq_nr_pools(); id++) {
			cmwq_get_pool_stats(id, &st);
			fprintf(stderr, "test: pool %d %s workers %u idle %u\n",
				id, st.name, st.nr_workers, st.nr_idle);
		}
		CHECK(0);
	}
	id = pool_of_cpu(cpu);
	CHECK_EQ(cmwq_get_pool_stats(id, &st), 0);
	CHECK(st.peak_workers >= 6);
	CHECK(st.workers_exited >= st.peak_workers - 2);
	CHECK(st.nr_workers <= 2);

	/* The stats agree with the threads that exist. */
	sum = 0;
	for (id = 0; id < cmwq_nr_pools(); id++) {
		CHECK_EQ(cmwq_get_pool_stats(id, &st), 0);
		sum += (int)st.nr_workers;
	}
	CHECK(WAIT_UNTIL((libthreads = harness_count_kworkers()) <= sum,
			 HARNESS_SLOW(5000)));
	fprintf(stderr, "test: %d pools, %d workers, %d kworker threads\n",
		cmwq_nr_pools(), sum, libthreads);
	CHECK_EQ(cmwq_destroy_workqueue(u), 0);
	CHECK_EQ(cmwq_destroy_workqueue(b), 0);
}

static struct harness_task *find(struct harness_task *t, int n, int tid)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i].tid == tid)
			return &t[i];
	return NULL;
}

static atomic_int dw_runs;

static void dw_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&dw_runs, 1);
}

/* Nothing queued or armed: the library's threads sleep without waking. */
static void test_no_wakeups(void)
{
	struct delayed_work dw;
	struct harness_task *o;
	int n1, n2, i, bad = 0;

	/* The timer service has had work too; it must go quiet after. */
	INIT_DELAYED_WORK(&dw, dw_fn);
	atomic_store(&dw_runs, 0);
	CHECK(queue_delayed_work(system_wq, &dw, 5));
	CHECK(WAIT_UNTIL(atomic_load(&dw_runs) == 1, HARNESS_SLOW(5000)));
	flush_delayed_work(&dw);

	/* Let idle timers that were armed by the work above expire. */
	harness_sleep_ms(3 * IDLE_MS);
	CHECK(WAIT_UNTIL(pools_trimmed(), HARNESS_SLOW(5000)));
	harness_sleep_ms(IDLE_MS);

	n1 = harness_list_tasks(tasks, MAXT);
	harness_sleep_ms(1000);
	n2 = harness_list_tasks(tasks2, MAXT);
	for (i = 0; i < n2; i++) {
		if (!harness_is_lib_thread(tasks2[i].comm))
			continue;
		o = find(tasks, n1, tasks2[i].tid);
		if (!o) {
			fprintf(stderr, "test: %s (%d) started while idle\n",
				tasks2[i].comm, tasks2[i].tid);
			bad++;
			continue;
		}
		if (o->vcsw != tasks2[i].vcsw || o->nvcsw != tasks2[i].nvcsw) {
			fprintf(stderr,
				"test: %s (%d) woke while idle: vcsw %llu->%llu"
				" nvcsw %llu->%llu\n",
				tasks2[i].comm, tasks2[i].tid, o->vcsw,
				tasks2[i].vcsw, o->nvcsw, tasks2[i].nvcsw);
			bad++;
		}
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_no_threads_before_work);
	RUN_TEST(test_names);
	RUN_TEST(test_idle_reaping);
	RUN_TEST(test_no_wakeups);
	return 0;
}
