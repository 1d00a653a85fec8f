// SPDX-License-Identifier: MIT
/*
 * bh_workqueue.c - BH workqueues (WQ_BH, system_bh_wq,
 * system_bh_highpri_wq): items run on the CPU they were queued on, in
 * queueing order, one BH item at a time per CPU (normal and high priority
 * together); a BH pool never has a second worker, even when an item
 * sleeps, and that item is reported by name; alloc_workqueue() refuses
 * WQ_BH with other flags or a max_active; flush, cancel, disable and
 * enable work on BH items; from_work(); queueing from a signal handler.
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include "../harness.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>

#define MAX_CPUS 64

static int cpus[MAX_CPUS], nr_cpus;

static void find_cpus(void)
{
	int c;

	for (c = 0; c < cmwq_nr_cpus() && nr_cpus < MAX_CPUS; c++)
		if (cmwq_cpu_possible(c))
			cpus[nr_cpus++] = c;
	CHECK(nr_cpus > 0);
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	CHECK(pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0);
}

/* --- items run on the CPU they were queued on -------------------------- */

struct where {
	struct work_struct work;
	atomic_int cpu;
};

static void where_fn(struct work_struct *work)
{
	struct where *w = from_work(w, work, work);

	atomic_store(&w->cpu, sched_getcpu());
}

static void test_runs_on_queueing_cpu(void)
{
	struct workqueue_struct *wqs[] = { system_bh_wq, system_bh_highpri_wq };
	int i, k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < nr_cpus; i++) {
			struct where w = { .cpu = -1 };

			INIT_WORK(&w.work, where_fn);
			CHECK(queue_work_on(cpus[i], wqs[k], &w.work));
			flush_work(&w.work);
			CHECK_EQ(atomic_load(&w.cpu), cpus[i]);
		}
	}
	/* WORK_CPU_UNBOUND: the queueing thread's CPU. */
	for (i = 0; i < nr_cpus; i++) {
		struct where w = { .cpu = -1 };

		pin_self(cpus[i]);
		INIT_WORK(&w.work, where_fn);
		CHECK(queue_work(system_bh_wq, &w.work));
		flush_work(&w.work);
		CHECK_EQ(atomic_load(&w.cpu), cpus[i]);
	}
	pin_self(cpus[0]);
	{
		cpu_set_t all;

		CPU_ZERO(&all);
		for (i = 0; i < nr_cpus; i++)
			CPU_SET(cpus[i], &all);
		CHECK(pthread_setaffinity_np(pthread_self(), sizeof(all),
					     &all) == 0);
	}
}

/* --- FIFO over 1000 items per CPU --------------------------------------- */

#define NR_FIFO 1000

struct fifo_item {
	struct work_struct work;
	int cpu_idx, seq;
};

static struct fifo_item fifo_items[MAX_CPUS][NR_FIFO];
static int fifo_log[MAX_CPUS][NR_FIFO];
static atomic_int fifo_pos[MAX_CPUS];
static atomic_int fifo_wrong_cpu;

static void fifo_fn(struct work_struct *work)
{
	struct fifo_item *it = from_work(it, work, work);
	int pos = atomic_fetch_add(&fifo_pos[it->cpu_idx], 1);

	if (sched_getcpu() != cpus[it->cpu_idx])
		atomic_fetch_add(&fifo_wrong_cpu, 1);
	if (pos < NR_FIFO)
		fifo_log[it->cpu_idx][pos] = it->seq;
}

static void test_fifo(void)
{
	int i, j;

	for (i = 0; i < nr_cpus; i++)
		for (j = 0; j < NR_FIFO; j++) {
			fifo_items[i][j].cpu_idx = i;
			fifo_items[i][j].seq = j;
			INIT_WORK(&fifo_items[i][j].work, fifo_fn);
		}
	for (j = 0; j < NR_FIFO; j++)
		for (i = 0; i < nr_cpus; i++)
			CHECK(queue_work_on(cpus[i], system_bh_wq,
					    &fifo_items[i][j].work));
	flush_workqueue(system_bh_wq);
	CHECK_EQ(atomic_load(&fifo_wrong_cpu), 0);
	for (i = 0; i < nr_cpus; i++) {
		CHECK_EQ(atomic_load(&fifo_pos[i]), NR_FIFO);
		for (j = 0; j < NR_FIFO; j++)
			CHECK_EQ(fifo_log[i][j], j);
	}
}

/* --- never two BH items at once on a CPU -------------------------------- */

#define NR_CONC HARNESS_SCALE(300)

struct conc_item {
	struct work_struct work;
	int cpu_idx;
};

static struct conc_item conc_items[2][2][MAX_CPUS][300];
static atomic_int conc_running[MAX_CPUS];
static atomic_int conc_max[MAX_CPUS];
static atomic_int conc_done, conc_wrong_cpu;

static void conc_fn(struct work_struct *work)
{
	struct conc_item *it = from_work(it, work, work);
	int n = atomic_fetch_add(&conc_running[it->cpu_idx], 1) + 1;
	int max = atomic_load(&conc_max[it->cpu_idx]);
	unsigned long long end = harness_now_ns() + 20000;

	while (n > max &&
	       !atomic_compare_exchange_weak(&conc_max[it->cpu_idx], &max, n))
		;
	if (sched_getcpu() != cpus[it->cpu_idx])
		atomic_fetch_add(&conc_wrong_cpu, 1);
	/* Run a little, so that overlaps would show. */
	while (harness_now_ns() < end)
		;
	atomic_fetch_sub(&conc_running[it->cpu_idx], 1);
	atomic_fetch_add(&conc_done, 1);
}

static void *conc_queuer(void *arg)
{
	int t = (int)(long)arg, j, i, p;

	for (j = 0; j < NR_CONC; j++)
		for (i = 0; i < nr_cpus; i++)
			for (p = 0; p < 2; p++)
				CHECK(queue_work_on(
					cpus[i],
					p ? system_bh_highpri_wq : system_bh_wq,
					&conc_items[t][p][i][j].work));
	return NULL;
}

static void test_never_concurrent(void)
{
	pthread_t th[2];
	int t, p, i, j;

	for (t = 0; t < 2; t++)
		for (p = 0; p < 2; p++)
			for (i = 0; i < nr_cpus; i++)
				for (j = 0; j < NR_CONC; j++) {
					conc_items[t][p][i][j].cpu_idx = i;
					INIT_WORK(&conc_items[t][p][i][j].work,
						  conc_fn);
				}
	for (t = 0; t < 2; t++)
		CHECK(pthread_create(&th[t], NULL, conc_queuer,
				     (void *)(long)t) == 0);
	for (t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	flush_workqueue(system_bh_wq);
	flush_workqueue(system_bh_highpri_wq);
	CHECK_EQ(atomic_load(&conc_done), 2 * 2 * nr_cpus * NR_CONC);
	CHECK_EQ(atomic_load(&conc_wrong_cpu), 0);
	for (i = 0; i < nr_cpus; i++)
		CHECK_EQ(atomic_load(&conc_max[i]), 1);
}

/* --- a sleeping item: reported, and no second worker -------------------- */

static atomic_int blocker_done, behind_done, behind_early;

static void blocker_fn(struct work_struct *work)
{
	(void)work;
	/* Misuse: a BH item must not sleep. */
	harness_sleep_ms(60);
	atomic_store(&blocker_done, 1);
}

static void behind_fn(struct work_struct *work)
{
	(void)work;
	if (!atomic_load(&blocker_done))
		atomic_fetch_add(&behind_early, 1);
	atomic_fetch_add(&behind_done, 1);
}

/* The stats of the BH pool of @cpu (@hi: high priority). */
static void bh_pool_stats(int cpu, bool hi, struct cmwq_pool_stats *out)
{
	char name[32];
	int id;

	snprintf(name, sizeof(name), "kworker/%d-bh%s", cpu, hi ? "-hi" : "");
	for (id = 0; id < cmwq_nr_pools(); id++) {
		CHECK_EQ(cmwq_get_pool_stats(id, out), 0);
		if (!strcmp(out->name, name)) {
			CHECK_EQ(out->cpu, cpu);
			CHECK_EQ(out->highpri, hi);
			return;
		}
	}
	fprintf(stderr, "no pool named %s\n", name);
	abort();
}

static void test_sleeping_item(void)
{
	struct workqueue_struct *wq = alloc_workqueue("bh_test", WQ_BH, 0);
	static struct work_struct behind[20];
	struct harness_capture cap;
	struct work_struct blocker;
	struct cmwq_pool_stats st;
	int cpu = cpus[nr_cpus - 1], i;

	CHECK(wq);
	INIT_WORK(&blocker, blocker_fn);
	for (i = 0; i < 20; i++)
		INIT_WORK(&behind[i], behind_fn);
	harness_capture_begin(&cap);
	CHECK(queue_work_on(cpu, wq, &blocker));
	for (i = 0; i < 20; i++)
		CHECK(queue_work_on(cpu, wq, &behind[i]));
	flush_workqueue(wq);
	CHECK(harness_capture_end(&cap, "BH work item blocker_fn()"));
	CHECK_EQ(atomic_load(&behind_done), 20);
	/* Nothing overtook it: the items behind waited. */
	CHECK_EQ(atomic_load(&behind_early), 0);
	bh_pool_stats(cpu, false, &st);
	CHECK_EQ(st.peak_workers, 1);
	CHECK_EQ(st.nr_workers, 1);
	CHECK_EQ(st.cm_wakeups, 0);
	CHECK_EQ(st.workers_created, 1);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* --- alloc_workqueue() refuses what the kernel refuses ------------------ */

static void test_alloc_rules(void)
{
	static const unsigned int bad[] = {
		WQ_UNBOUND,	  WQ_MEM_RECLAIM,     WQ_FREEZABLE,
		WQ_CPU_INTENSIVE, WQ_POWER_EFFICIENT, WQ_SYSFS,
	};
	struct workqueue_struct *wq;
	struct harness_capture cap;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		harness_capture_begin(&cap);
		errno = 0;
		wq = alloc_workqueue("bh_bad%zu", WQ_BH | bad[i], 0, i);
		CHECK(harness_capture_end(&cap, "WQ_BH"));
		CHECK(!wq);
		CHECK_EQ(errno, EINVAL);
	}
	harness_capture_begin(&cap);
	errno = 0;
	wq = alloc_workqueue("bh_max", WQ_BH, 1);
	CHECK(harness_capture_end(&cap, "max_active 0"));
	CHECK(!wq);
	CHECK_EQ(errno, EINVAL);
	harness_capture_begin(&cap);
	wq = alloc_ordered_workqueue("bh_ordered", WQ_BH);
	CHECK(harness_capture_end(&cap, "WQ_BH"));
	CHECK(!wq);

	wq = alloc_workqueue("bh_ok", WQ_BH | WQ_HIGHPRI | WQ_PERCPU, 0);
	CHECK(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	/* The system BH workqueues are the library's. */
	harness_capture_begin(&cap);
	CHECK(cmwq_destroy_workqueue(system_bh_wq) == -EINVAL);
	CHECK(harness_capture_end(&cap, "system workqueue"));
}

/* --- flush, cancel, disable, enable ------------------------------------- */

static atomic_int spin_release, spin_started, target_runs;

static void spinner_fn(struct work_struct *work)
{
	unsigned long long end = harness_now_ns() + 5000000000ull;

	(void)work;
	atomic_store(&spin_started, 1);
	/* Holds the CPU's BH pools (spinning: BH items must not sleep). */
	while (!atomic_load(&spin_release) && harness_now_ns() < end)
		;
}

static void target_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&target_runs, 1);
}

static void test_flush_cancel(void)
{
	struct work_struct spinner, target;
	int cpu = cpus[0];

	/* The spinner runs long on purpose: no report for it. */
	cmwq_set_cpu_intensive_thresh_us(10000000);
	INIT_WORK(&spinner, spinner_fn);
	INIT_WORK(&target, target_fn);

	/* flush_work on a queued and run item. */
	CHECK(queue_work_on(cpu, system_bh_wq, &target));
	flush_work(&target);
	CHECK_EQ(atomic_load(&target_runs), 1);
	CHECK(!flush_work(&target));

	/* cancel_work_sync of an item waiting behind the spinner. */
	atomic_store(&spin_release, 0);
	atomic_store(&spin_started, 0);
	CHECK(queue_work_on(cpu, system_bh_wq, &spinner));
	CHECK(WAIT_UNTIL(atomic_load(&spin_started), 10000));
	CHECK(queue_work_on(cpu, system_bh_wq, &target));
	CHECK(cancel_work_sync(&target));
	CHECK(!work_pending(&target));
	/* Also across the CPU's two BH pools: highpri waits too. */
	CHECK(queue_work_on(cpu, system_bh_highpri_wq, &target));
	CHECK(cancel_work(&target));
	/* disable: queueing refused until enabled. */
	CHECK(!disable_work(&target));
	CHECK(!queue_work_on(cpu, system_bh_wq, &target));
	CHECK(enable_work(&target));
	CHECK(queue_work_on(cpu, system_bh_wq, &target));
	CHECK_EQ(atomic_load(&target_runs), 1);
	atomic_store(&spin_release, 1);
	flush_work(&target);
	CHECK_EQ(atomic_load(&target_runs), 2);

	/* cancel_work_sync of a running item waits for it. */
	atomic_store(&spin_release, 0);
	atomic_store(&spin_started, 0);
	CHECK(queue_work_on(cpu, system_bh_wq, &spinner));
	CHECK(WAIT_UNTIL(atomic_load(&spin_started), 10000));
	CHECK(!cancel_work(&spinner));
	atomic_store(&spin_release, 1);
	CHECK(!cancel_work_sync(&spinner));
	CHECK(!(work_busy(&spinner) & WORK_BUSY_RUNNING));
	cmwq_set_cpu_intensive_thresh_us(10000);
}

/* --- waiting for a BH item of the same CPU is refused, not a hang ------- */

static struct work_struct flusher, flushee;
static atomic_int flush_result = -1;

static void flushee_fn(struct work_struct *work)
{
	(void)work;
}

static void flusher_fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&flush_result, flush_work(&flushee));
}

static void test_flush_from_bh(void)
{
	struct harness_capture cap;
	struct work_struct spinner;
	int cpu = cpus[0];

	INIT_WORK(&spinner, spinner_fn);
	INIT_WORK(&flusher, flusher_fn);
	INIT_WORK(&flushee, flushee_fn);
	harness_capture_begin(&cap);
	/*
	 * The CPU's BH worker spins until both are queued, so the flushee
	 * is behind the flusher in the same pool whatever the scheduling:
	 * it cannot start first.
	 */
	atomic_store(&spin_release, 0);
	atomic_store(&spin_started, 0);
	CHECK(queue_work_on(cpu, system_bh_wq, &spinner));
	CHECK(WAIT_UNTIL(atomic_load(&spin_started), 10000));
	CHECK(queue_work_on(cpu, system_bh_wq, &flusher));
	CHECK(queue_work_on(cpu, system_bh_wq, &flushee));
	atomic_store(&flush_result, -1);
	atomic_store(&spin_release, 1);
	/*
	 * Not CHECK(flush_work()): the flusher may be done before this
	 * thread gets the CPU back (then flush_work() rightly says false).
	 */
	flush_work(&flusher);
	CHECK(WAIT_UNTIL(atomic_load(&flush_result) != -1, 10000));
	CHECK(harness_capture_end(&cap, "would deadlock"));
	CHECK_EQ(atomic_load(&flush_result), 0);
	flush_work(&flushee);
}

/* --- current_work() is NULL in a BH item, as the kernel's ---------------- */

static atomic_int bh_cur_seen = -1;

static void bh_current_fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&bh_cur_seen, current_work() == NULL);
}

static void test_current_work(void)
{
	struct work_struct w;

	INIT_WORK(&w, bh_current_fn);
	CHECK(queue_work(system_bh_wq, &w));
	flush_work(&w);
	CHECK_EQ(atomic_load(&bh_cur_seen), 1);
}

/* --- queueing from a signal handler ------------------------------------- */

static struct where sig_item;
static volatile sig_atomic_t sig_cpu = -1;

static void on_signal(int sig)
{
	(void)sig;
	sig_cpu = sched_getcpu();
	queue_work(system_bh_wq, &sig_item.work);
}

static void test_signal_handler(void)
{
	int i;

	for (i = 0; i < nr_cpus; i++) {
		pin_self(cpus[i]);
		atomic_store(&sig_item.cpu, -1);
		INIT_WORK(&sig_item.work, where_fn);
		signal(SIGUSR1, on_signal);
		raise(SIGUSR1);
		CHECK(WAIT_UNTIL(atomic_load(&sig_item.cpu) >= 0, 10000));
		CHECK_EQ(atomic_load(&sig_item.cpu), sig_cpu);
		CHECK_EQ(sig_cpu, cpus[i]);
		flush_work(&sig_item.work);
	}
	signal(SIGUSR1, SIG_DFL);
}

/* --- one worker per BH pool; names; the dump ---------------------------- */

static void test_pools(void)
{
	struct cmwq_pool_stats st;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	for (i = 0; i < nr_cpus; i++) {
		bh_pool_stats(cpus[i], false, &st);
		CHECK_EQ(st.peak_workers, 1);
		CHECK(st.items_started > 0);
		bh_pool_stats(cpus[i], true, &st);
		CHECK_EQ(st.peak_workers, 1);
		CHECK(st.items_started > 0);
	}
	f = open_memstream(&buf, &len);
	CHECK(f);
	cmwq_show_workqueues_to(f, NULL);
	fclose(f);
	CHECK(strstr(buf, "events_bh"));
	CHECK(strstr(buf, "-bh-hi"));
	free(buf);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	CHECK(cmwq_init() == 0);
	find_cpus();
	RUN_TEST(test_runs_on_queueing_cpu);
	RUN_TEST(test_fifo);
	RUN_TEST(test_never_concurrent);
	RUN_TEST(test_sleeping_item);
	RUN_TEST(test_alloc_rules);
	RUN_TEST(test_flush_cancel);
	RUN_TEST(test_flush_from_bh);
	RUN_TEST(test_current_work);
	RUN_TEST(test_signal_handler);
	RUN_TEST(test_pools);
	return 0;
}
