// SPDX-License-Identifier: MIT
/*
 * blocked_latency.c - how long an item queued behind blocked or CPU-bound
 * work waits to start (DESIGN.md property 15), beside a thread per item
 *
 *   cmwq-blocked-latency [-r RUNS]     default 20 runs per row
 *
 * Rows:
 *   completion N   N items wait for a completion that item N+1, queued
 *                  last, completes (kernel/async.c's pattern), N = 100 and
 *                  1000, on system_unbound_wq and system_percpu_wq
 *   read N         the same with the waiters in read() on a pipe the last
 *                  item writes: the detection layer must find them
 *   hogs           a short item behind two CPU-bound items per CPU on
 *                  system_unbound_wq
 * The figure is the time from just before queue_work() of the last item
 * to its first instruction.  Each run is a fresh process (fork), so the
 * pool starts with no worker, as a cold program's does.  The peer row
 * "thread per item" starts a detached pthread per item instead.  Prints
 * the median, the 99th percentile (the largest of 20) and the maximum.
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

enum pattern { PAT_COMPLETION, PAT_READ, PAT_HOGS };

static DECLARE_COMPLETION(go);
static atomic_ullong started_ns;
static atomic_int hogs_stop;
static int fds[2], nr_items;

static void waiter_completion(void)
{
	wait_for_completion(&go);
}

static void waiter_read(void)
{
	char c;

	while (read(fds[0], &c, 1) < 0)
		;
}

static void hog(void)
{
	while (!atomic_load_explicit(&hogs_stop, memory_order_relaxed))
		;
}

static void last(enum pattern p)
{
	char buf[1024] = { 0 };
	int left = nr_items;

	atomic_store(&started_ns, now_ns());
	if (p == PAT_COMPLETION)
		complete_all(&go);
	else if (p == PAT_HOGS)
		atomic_store(&hogs_stop, 1);
	else
		while (left > 0) {
			ssize_t w = write(fds[1], buf,
					  left < 1024 ? (size_t)left : 1024);
			if (w <= 0)
				break;
			left -= (int)w;
		}
}

static enum pattern cur;

static void work_waiter(struct work_struct *w)
{
	(void)w;
	if (cur == PAT_COMPLETION)
		waiter_completion();
	else if (cur == PAT_READ)
		waiter_read();
	else
		hog();
}

static void work_last(struct work_struct *w)
{
	(void)w;
	last(cur);
}

static void *thread_waiter(void *arg)
{
	work_waiter(arg);
	return NULL;
}

static void *thread_last(void *arg)
{
	work_last(arg);
	return NULL;
}

/* One run in this (child) process; returns the latency in ns. */
static unsigned long long run_once(enum pattern p, int n, int kind)
{
	struct work_struct *items = calloc((size_t)n + 1, sizeof(*items));
	struct workqueue_struct *wq =
		kind == 1 ? system_percpu_wq : system_unbound_wq;
	pthread_attr_t attr;
	unsigned long long t0;
	pthread_t t;
	int i;

	cur = p;
	nr_items = n;
	if (p == PAT_READ && pipe(fds) < 0)
		return 0;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < n; i++) {
		INIT_WORK(&items[i], work_waiter);
		if (kind == 2)
			pthread_create(&t, &attr, thread_waiter, &items[i]);
		else
			queue_work(wq, &items[i]);
	}
	INIT_WORK(&items[n], work_last);
	t0 = now_ns();
	if (kind == 2)
		pthread_create(&t, &attr, thread_last, &items[n]);
	else
		queue_work(wq, &items[n]);
	while (!atomic_load(&started_ns))
		usleep(100);
	return atomic_load(&started_ns) - t0;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a,
			   y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static void row(const char *name, enum pattern p, int n, int kind, int runs)
{
	static const char *kinds[] = { "system_unbound_wq",
				       "system_percpu_wq", "thread per item" };
	unsigned long long *v = calloc((size_t)runs, sizeof(*v));
	int r, got = 0;

	for (r = 0; r < runs; r++) {
		int pfd[2], status;
		pid_t pid;

		if (pipe(pfd) < 0)
			break;
		pid = fork();
		if (pid == 0) {
			unsigned long long ns = run_once(p, n, kind);

			if (write(pfd[1], &ns, sizeof(ns)) != sizeof(ns))
				_exit(1);
			_exit(0);
		}
		close(pfd[1]);
		if (pid > 0 && read(pfd[0], &v[got], sizeof(v[got])) ==
				       sizeof(v[got]))
			got++;
		close(pfd[0]);
		if (pid > 0)
			waitpid(pid, &status, 0);
	}
	if (!got) {
		printf("| %s | %d | %s | no result | | |\n", name, n,
		       kinds[kind]);
		free(v);
		return;
	}
	qsort(v, (size_t)got, sizeof(*v), cmp_ull);
	printf("| %s | %d | %s | %.2f | %.2f | %.2f |\n", name, n, kinds[kind],
	       (double)v[got / 2] / 1e6,
	       (double)v[(got * 99 + 99) / 100 - 1] / 1e6,
	       (double)v[got - 1] / 1e6);
	fflush(stdout);
	free(v);
}

int main(int argc, char **argv)
{
	int runs = 20, kind, cpus;

	if (argc == 3 && !strcmp(argv[1], "-r"))
		runs = atoi(argv[2]);
	if (runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: cmwq-blocked-latency [-r RUNS]\n");
		return 2;
	}
	cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	printf("# cmwq-blocked-latency: %d runs per row, each a fresh "
	       "process; %d CPUs; detection layer %d\n",
	       runs, cpus, cmwq_detect_mode());
	printf("| pattern | items blocked | pool | median ms | p99 ms | "
	       "max ms |\n| --- | --- | --- | --- | --- | --- |\n");
	for (kind = 0; kind < 3; kind++) {
		row("completion", PAT_COMPLETION, 100, kind, runs);
		row("completion", PAT_COMPLETION, 1000, kind, runs);
		row("read()", PAT_READ, 100, kind, runs);
		row("read()", PAT_READ, 1000, kind, runs);
	}
	row("hogs", PAT_HOGS, 2 * cpus, 0, runs);
	row("hogs", PAT_HOGS, 2 * cpus, 2, runs);
	return 0;
}
