/* SPDX-License-Identifier: MIT */
/*
 * Property 7 against queueing in flight: flush_workqueue() returns only
 * after every item queued before the call has run.
 *
 * Queuer threads queue their own items on a per-CPU workqueue; the main
 * thread reads how many queues of each item had returned true, flushes,
 * and checks that each item ran at least that often.  A signaller thread
 * interrupts the queuers all the time and its handler sleeps a little,
 * which stretches each step of a queue call, so that a flush can pass
 * between any two of them.
 *
 * The bug this catches: the colour of an item was read when it was
 * queued and the item pushed later.  A flush that advanced the colour and
 * visited the pool in between did not count the item (not pushed yet),
 * and the next flush, begun after that queue call returned, waited for
 * the next colour only: it returned before the item ran (the torture's
 * probe check found it first, under TSan).  The colour is now given
 * under the pool's lock, when the pool takes the item.  The window is a
 * few instructions wide: without the fix, 5 of 10 runs failed on two
 * CPUs; with it, none of the runs has.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#include "harness.h"

#define NQUEUERS 2
#define PER_QUEUER 8
#define NI (NQUEUERS * PER_QUEUER)

static struct workqueue_struct *wq;
static struct work_struct items[NI];
static atomic_long queued[NI], ran[NI];
static atomic_int stop;
static pthread_t queuers[NQUEUERS];
static atomic_long early, flushes, signals;

static void item_fn(struct work_struct *w)
{
	volatile int spin;

	/* A little work: items wait on the worklist behind others. */
	for (spin = 0; spin < 50; spin++)
		;
	atomic_fetch_add(&ran[w - items], 1);
}

static void handler(int sig)
{
	struct timespec ts = { 0, 5000 };
	int saved = errno;

	(void)sig;
	atomic_fetch_add(&signals, 1);
	nanosleep(&ts, NULL);
	errno = saved;
}

static void *queuer(void *arg)
{
	int base = (int)(long)arg * PER_QUEUER, i;
	int cpu = harness_cpu(0);

	while (!atomic_load(&stop))
		for (i = base; i < base + PER_QUEUER; i++)
			if (queue_work_on(cpu, wq, &items[i]))
				atomic_fetch_add(&queued[i], 1);
	return NULL;
}

static void *signaller(void *arg)
{
	unsigned int n = 0;

	(void)arg;
	while (!atomic_load(&stop)) {
		struct timespec ts = { 0, 10000 };

		pthread_kill(queuers[n++ % NQUEUERS], SIGUSR1);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void test_flush_waits_for_items_queued_before(void)
{
	struct sigaction sa = { .sa_handler = handler };
	long before[NI];
	pthread_t sig_thread;
	unsigned long long end;
	int i;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	wq = alloc_workqueue("straggler", WQ_PERCPU, 0);
	CHECK(wq);
	for (i = 0; i < NI; i++)
		INIT_WORK(&items[i], item_fn);
	for (i = 0; i < NQUEUERS; i++)
		CHECK_EQ(pthread_create(&queuers[i], NULL, queuer,
					(void *)(long)i),
			 0);
	CHECK_EQ(pthread_create(&sig_thread, NULL, signaller, NULL), 0);
	end = harness_now_ns() + 4000000000ull;
	while (harness_now_ns() < end) {
		for (i = 0; i < NI; i++)
			before[i] = atomic_load(&queued[i]);
		flush_workqueue(wq);
		atomic_fetch_add(&flushes, 1);
		for (i = 0; i < NI; i++)
			if (atomic_load(&ran[i]) < before[i])
				atomic_fetch_add(&early, 1);
	}
	atomic_store(&stop, 1);
	for (i = 0; i < NQUEUERS; i++)
		pthread_join(queuers[i], NULL);
	pthread_join(sig_thread, NULL);
	flush_workqueue(wq);
	fprintf(stderr,
		"test: %ld flushes, %ld signals, %ld items short after a "
		"flush\n",
		atomic_load(&flushes), atomic_load(&signals),
		atomic_load(&early));
	CHECK_EQ(atomic_load(&early), 0);
	for (i = 0; i < NI; i++)
		CHECK_EQ(atomic_load(&ran[i]), atomic_load(&queued[i]));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	RUN_TEST(test_flush_waits_for_items_queued_before);
	return 0;
}
