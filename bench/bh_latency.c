// SPDX-License-Identifier: MIT
/*
 * bh_latency.c - ready-to-running latency of BH work items against the
 * per-CPU system workqueues, idle and under CPU load
 *
 *   cmwq-bh-latency [-n ITEMS] [-s]     default 2000 items per row
 *
 * For system_bh_wq, system_wq and system_highpri_wq, without and with a
 * load of two CPU-bound threads (busy loops for the whole row): the main
 * thread, pinned to the first CPU it may use, queues one item at a time on
 * that CPU and waits for it; the latency is the time from just before
 * queue_work() to the first instruction of the item (CLOCK_MONOTONIC).
 * Between items it sleeps 100-400 us, so each item finds its worker idle.
 * With -s the main thread spins until the item has run instead of
 * sleeping in wait_for_completion(), so the worker must preempt a running
 * thread of its CPU.  Prints the median, the 99th and 99.9th percentiles
 * and the maximum per row, and the scheduling policy the BH worker got
 * (SCHED_FIFO needs CAP_SYS_NICE or RLIMIT_RTPRIO).
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

struct probe {
	struct work_struct work;
	struct completion done;
	unsigned long long started;
	int policy, prio, nice, cpu;
};

static void probe_fn(struct work_struct *work)
{
	struct probe *p = from_work(p, work, work);
	struct sched_param sp;

	p->started = now_ns();
	p->cpu = sched_getcpu();
	if (pthread_getschedparam(pthread_self(), &p->policy, &sp) == 0)
		p->prio = sp.sched_priority;
	p->nice = getpriority(PRIO_PROCESS, 0);
	complete(&p->done);
}

static atomic_int load_stop;
static bool spin_wait;

static void *load_fn(void *arg)
{
	volatile unsigned long spin = 0;

	(void)arg;
	while (!atomic_load_explicit(&load_stop, memory_order_relaxed))
		spin++;
	return NULL;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static void row(const char *name, struct workqueue_struct *wq, int cpu,
		int n, bool load)
{
	unsigned long long *lat = calloc((size_t)n, sizeof(*lat));
	pthread_t th[2];
	struct probe p;
	int i, wrong_cpu = 0;
	unsigned int seed = 12345;

	if (!lat) {
		perror("calloc");
		exit(1);
	}
	if (load) {
		atomic_store(&load_stop, 0);
		for (i = 0; i < 2; i++)
			if (pthread_create(&th[i], NULL, load_fn, NULL)) {
				perror("pthread_create");
				exit(1);
			}
		usleep(20000); /* let the load settle on the CPUs */
	}
	INIT_WORK(&p.work, probe_fn);
	for (i = 0; i < n; i++) {
		struct timespec gap = { 0, 100000 + (long)(rand_r(&seed) %
							   300000) };
		unsigned long long t0;

		init_completion(&p.done);
		nanosleep(&gap, NULL);
		t0 = now_ns();
		queue_work(wq, &p.work);
		if (spin_wait)
			while (!completion_done(&p.done))
				;
		wait_for_completion(&p.done);
		lat[i] = p.started - t0;
		wrong_cpu += p.cpu != cpu;
	}
	if (load) {
		atomic_store(&load_stop, 1);
		for (i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
	}
	flush_work(&p.work);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_ull);
	printf("%-20s %-7s %10llu %10llu %10llu %10llu%s\n", name,
	       load ? "2 busy" : "none", lat[n / 2],
	       lat[(size_t)((double)n * 0.99)],
	       lat[(size_t)((double)n * 0.999)], lat[n - 1],
	       wrong_cpu ? "  (some items on another CPU!)" : "");
	free(lat);
}

int main(int argc, char **argv)
{
	struct {
		const char *name;
		struct workqueue_struct *wq;
	} wqs[] = {
		{ "system_bh_wq", system_bh_wq },
		{ "system_wq", system_wq },
		{ "system_highpri_wq", system_highpri_wq },
	};
	int n = 2000, cpu, opt, i, k;
	struct probe p;
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "n:sh")) != -1) {
		if (opt == 'n' && atoi(optarg) > 1) {
			n = atoi(optarg);
		} else if (opt == 's') {
			spin_wait = true;
		} else {
			fprintf(stderr, "usage: %s [-n ITEMS] [-s]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (cmwq_init() < 0)
		return 1;
	for (cpu = 0; cpu < cmwq_nr_cpus() && !cmwq_cpu_possible(cpu); cpu++)
		;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
		fprintf(stderr, "cannot pin to CPU %d\n", cpu);
		return 1;
	}

	/* What the BH worker got. */
	init_completion(&p.done);
	INIT_WORK(&p.work, probe_fn);
	queue_work(system_bh_wq, &p.work);
	wait_for_completion(&p.done);
	printf("cmwq-bh-latency: %d items per row, queued from CPU %d to CPU "
	       "%d, %d CPUs online, queuer %s; BH worker: %s %s %d\n",
	       n, cpu, cpu, (int)sysconf(_SC_NPROCESSORS_ONLN),
	       spin_wait ? "spins" : "sleeps",
	       p.policy == SCHED_FIFO ? "SCHED_FIFO" : "SCHED_OTHER",
	       p.policy == SCHED_FIFO ? "priority" : "nice",
	       p.policy == SCHED_FIFO ? p.prio : p.nice);
	printf("%-20s %-7s %10s %10s %10s %10s\n", "workqueue", "load",
	       "median ns", "p99 ns", "p99.9 ns", "max ns");
	for (k = 0; k < 2; k++)
		for (i = 0; i < 3; i++)
			row(wqs[i].name, wqs[i].wq, cpu, n, k);
	return 0;
}
