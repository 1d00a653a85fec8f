/* SPDX-License-Identifier: MIT */
/*
 * Signal storm: killer threads pthread_kill() SIGUSR1 at threads that are
 * themselves queueing the same items; the handler calls queue_work and
 * queue_delayed_work.  A signal may interrupt a queue call on the very
 * item the handler queues.  Every true return gives exactly one run.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "harness.h"

#define NI 16
#define NTARGET 3
#define NKILLER 2

static struct workqueue_struct *wqs[2];
static struct work_struct items[NI];
static struct delayed_work ditems[NI];
static atomic_long trues[NI], runs[NI], dtrues[NI], druns[NI];
static atomic_long handled, overlaps;
static atomic_int inside[NI];
static atomic_int stop_targets, go;
static pthread_t targets[NTARGET];

static void item_fn(struct work_struct *w)
{
	int k = (int)(w - items);

	if (atomic_exchange(&inside[k], 1))
		atomic_fetch_add(&overlaps, 1);
	atomic_fetch_add(&runs[k], 1);
	atomic_store(&inside[k], 0);
}

static void ditem_fn(struct work_struct *w)
{
	atomic_fetch_add(&druns[to_delayed_work(w) - ditems], 1);
}

static void handler(int sig)
{
	int saved = errno;
	long n = atomic_fetch_add(&handled, 1);
	int k = (int)(n % NI);

	(void)sig;
	if (queue_work(wqs[k % 2], &items[k]))
		atomic_fetch_add(&trues[k], 1);
	if (queue_delayed_work(wqs[k % 2], &ditems[k], (unsigned long)(n % 3)))
		atomic_fetch_add(&dtrues[k], 1);
	errno = saved;
}

static void *target(void *arg)
{
	int i = (int)(long)arg;

	while (!atomic_load(&stop_targets)) {
		int k = i++ % NI;

		if (queue_work(wqs[k % 2], &items[k]))
			atomic_fetch_add(&trues[k], 1);
	}
	return NULL;
}

static void *killer(void *arg)
{
	long i, n = HARNESS_SCALE(60000);
	int t = (int)(long)arg;

	while (!atomic_load(&go))
		;
	for (i = 0; i < n; i++) {
		t = (t + 1) % NTARGET;
		CHECK(!pthread_kill(targets[t], SIGUSR1));
		if (i % 64 == 0)
			sched_yield();
	}
	return NULL;
}

int main(void)
{
	pthread_t killers[NKILLER];
	struct sigaction sa;
	long t = 0, r = 0, h;
	int i;

	harness_watchdog(HARNESS_SLOW(60));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	CHECK(!sigaction(SIGUSR1, &sa, NULL));
	wqs[0] = alloc_workqueue("sig-b", WQ_PERCPU, 0);
	wqs[1] = alloc_workqueue("sig-u", WQ_UNBOUND, 0);
	CHECK(wqs[0] && wqs[1]);
	for (i = 0; i < NI; i++) {
		INIT_WORK(&items[i], item_fn);
		INIT_DELAYED_WORK(&ditems[i], ditem_fn);
	}
	targets[0] = pthread_self();
	for (i = 1; i < NTARGET; i++)
		CHECK(!pthread_create(&targets[i], NULL, target,
				      (void *)(long)i));
	for (i = 0; i < NKILLER; i++)
		CHECK(!pthread_create(&killers[i], NULL, killer,
				      (void *)(long)i));
	atomic_store(&go, 1);
	/* The main thread is a target too, until the killers are done. */
	for (i = 0; i < NKILLER; i++) {
		while (pthread_tryjoin_np(killers[i], NULL) == EBUSY) {
			int k = (int)(atomic_load(&handled) % NI);

			if (queue_work(wqs[k % 2], &items[k]))
				atomic_fetch_add(&trues[k], 1);
		}
	}
	atomic_store(&stop_targets, 1);
	for (i = 1; i < NTARGET; i++)
		pthread_join(targets[i], NULL);
	do {
		h = atomic_load(&handled);
		harness_sleep_ms(5);
		for (i = 0; i < NI; i++) {
			flush_delayed_work(&ditems[i]);
			flush_work(&items[i]);
		}
		flush_workqueue(wqs[0]);
		flush_workqueue(wqs[1]);
	} while (atomic_load(&handled) != h);
	for (i = 0; i < NI; i++) {
		CHECK_EQ(atomic_load(&runs[i]), atomic_load(&trues[i]));
		CHECK_EQ(atomic_load(&druns[i]), atomic_load(&dtrues[i]));
		t += atomic_load(&trues[i]) + atomic_load(&dtrues[i]);
		r += atomic_load(&runs[i]) + atomic_load(&druns[i]);
	}
	fprintf(stderr, "test: %ld signals handled, %ld true, %ld runs\n",
		atomic_load(&handled), t, r);
	CHECK(atomic_load(&handled) > 0);
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wqs[0]), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wqs[1]), 0);
	return 0;
}
