// SPDX-License-Identifier: MIT
/*
 * lifecycle.c - what a workqueue costs to create, flush and destroy, by the
 * number of workqueues alive (issue 13 defect 2: destroying 40,000 queues
 * in reverse took 28.6 s when liveness was a list scan).
 *
 *   cmwq-lifecycle [N...]      default: 1000 10000 100000
 *
 * For each N, per-CPU and unbound: create N queues, flush idle ones 1000
 * times while the N are alive, destroy them newest first; prints ns per create, per idle flush, per destroy, and the heap the
 * queues took (mallinfo2) per queue.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Heap in use, mmapped blocks included. */
static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void run(long n, unsigned int flags, const char *kind)
{
	struct workqueue_struct **wqs = calloc((size_t)n, sizeof(*wqs));
	size_t heap0 = heap_bytes(), heap1;
	double t0, t1, t2, t3;
	long i;

	if (!wqs) {
		perror("calloc");
		exit(1);
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		wqs[i] = alloc_workqueue("lc%ld", flags, 0, i);
		if (!wqs[i]) {
			perror("alloc_workqueue");
			exit(1);
		}
	}
	t1 = now_ns();
	heap1 = heap_bytes();
	for (i = 0; i < 1000; i++)
		flush_workqueue(wqs[(i * 7919) % n]);
	t2 = now_ns();
	for (i = n - 1; i >= 0; i--)
		cmwq_destroy_workqueue(wqs[i]);
	t3 = now_ns();
	printf("%-8s %8ld  create %7.0f ns  idle flush %7.0f ns  destroy "
	       "%7.0f ns  total %7.1f ms  heap/queue %6.0f B\n",
	       kind, n, (t1 - t0) / n, (t2 - t1) / 1000, (t3 - t2) / n,
	       (t3 - t0) / 1e6, (double)(heap1 - heap0) / n);
	free(wqs);
}

int main(int argc, char **argv)
{
	static const long dfl[] = { 1000, 10000, 100000 };
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			run(atol(argv[i]), WQ_PERCPU, "per-cpu");
			run(atol(argv[i]), WQ_UNBOUND, "unbound");
		}
		return 0;
	}
	for (i = 0; i < 3; i++) {
		run(dfl[i], WQ_PERCPU, "per-cpu");
		run(dfl[i], WQ_UNBOUND, "unbound");
	}
	return 0;
}
