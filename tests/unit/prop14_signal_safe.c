/* SPDX-License-Identifier: MIT */
/*
 * Property 14: queue_work and queue_delayed_work are async-signal-safe: a
 * signal handler may call them (the user-space analogue of IRQ context),
 * even when it interrupts a queue call on the same item.  Every true
 * return gives exactly one run.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#include "harness.h"

#define NI 8

static struct workqueue_struct *wq;
static struct work_struct items[NI];
static struct delayed_work ditems[NI];
static atomic_long trues[NI], runs[NI], dtrues[NI], druns[NI];
static atomic_long handled;

static void item_fn(struct work_struct *w)
{
	atomic_fetch_add(&runs[w - items], 1);
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
	if (queue_work(wq, &items[k]))
		atomic_fetch_add(&trues[k], 1);
	if (queue_delayed_work(wq, &ditems[k], (unsigned long)(n % 2)))
		atomic_fetch_add(&dtrues[k], 1);
	errno = saved;
}

static void setup(void)
{
	struct sigaction sa;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	CHECK(!sigaction(SIGUSR1, &sa, NULL));
	CHECK(!sigaction(SIGUSR2, &sa, NULL));
	for (i = 0; i < NI; i++) {
		INIT_WORK(&items[i], item_fn);
		INIT_DELAYED_WORK(&ditems[i], ditem_fn);
	}
}

static void reset_counts(void)
{
	int i;

	atomic_store(&handled, 0);
	for (i = 0; i < NI; i++) {
		atomic_store(&trues[i], 0);
		atomic_store(&runs[i], 0);
		atomic_store(&dtrues[i], 0);
		atomic_store(&druns[i], 0);
	}
}

static void settle_and_check(void)
{
	long t = 0, r = 0, h;
	int i;

	/* Until no late (deferred) signal ran during a whole settle pass. */
	do {
		h = atomic_load(&handled);
		harness_sleep_ms(5);
		for (i = 0; i < NI; i++) {
			flush_delayed_work(&ditems[i]);
			flush_work(&items[i]);
		}
		flush_workqueue(wq);
	} while (atomic_load(&handled) != h);
	for (i = 0; i < NI; i++) {
		CHECK(!work_pending(&items[i]));
		CHECK(!delayed_work_pending(&ditems[i]));
		CHECK_EQ(atomic_load(&runs[i]), atomic_load(&trues[i]));
		CHECK_EQ(atomic_load(&druns[i]), atomic_load(&dtrues[i]));
		t += atomic_load(&trues[i]) + atomic_load(&dtrues[i]);
		r += atomic_load(&runs[i]) + atomic_load(&druns[i]);
	}
	fprintf(stderr, "test: %ld signals, %ld true returns, %ld runs\n",
		atomic_load(&handled), t, r);
	CHECK(t > 0);
}

/* Deterministic: the handler's return values are what they must be. */
static struct completion gate;
static atomic_int blocker_started;

static void blocker_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&blocker_started, 1);
	wait_for_completion(&gate);
}

static void test_raise_returns(void)
{
	struct work_struct blocker;

	reset_counts();
	init_completion(&gate);
	atomic_store(&blocker_started, 0);
	INIT_WORK(&blocker, blocker_fn);
	CHECK(queue_work(wq, &blocker));
	CHECK(WAIT_UNTIL(atomic_load(&blocker_started), HARNESS_SLOW(5000)));
	/* n = 0: items[0] queued, ditems[0] with delay 0 queued. */
	CHECK(!raise(SIGUSR1));
	CHECK_EQ(atomic_load(&trues[0]), 1);
	CHECK_EQ(atomic_load(&dtrues[0]), 1);
	CHECK(work_pending(&items[0]));
	CHECK(delayed_work_pending(&ditems[0]));
	/* n = 1..NI: the NI-th lands on items[0] again: pending, false. */
	for (int i = 0; i < NI; i++)
		CHECK(!raise(SIGUSR1));
	CHECK_EQ(atomic_load(&trues[0]), 1);
	CHECK_EQ(atomic_load(&dtrues[0]), 1);
	CHECK_EQ(atomic_load(&runs[0]), 0);
	complete(&gate);
	settle_and_check();
	CHECK_EQ(atomic_load(&runs[0]), 1);
	CHECK_EQ(atomic_load(&druns[0]), 1);
}

/* raise() in a loop while the main thread queues the same items. */
static void test_raise_storm(void)
{
	int i, n = HARNESS_SCALE(50000);

	reset_counts();
	for (i = 0; i < n; i++) {
		int k = i % NI;

		if (queue_work(wq, &items[k]))
			atomic_fetch_add(&trues[k], 1);
		if (i % 3 == 0)
			CHECK(!raise(SIGUSR1));
	}
	settle_and_check();
}

/*
 * A POSIX timer fires every 100 us, process-directed: the signal lands on
 * the main thread (itself queueing the same items) or on a worker.
 */
static void test_timer_storm(void)
{
	struct sigevent sev;
	struct itimerspec its;
	timer_t timer;
	long target = HARNESS_SCALE(20000);
	unsigned long long end;
	int i = 0;

	reset_counts();
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR2;
	CHECK(!timer_create(CLOCK_MONOTONIC, &sev, &timer));
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_nsec = 100000;
	its.it_value.tv_nsec = 100000;
	CHECK(!timer_settime(timer, 0, &its, NULL));
	end = harness_now_ns() + HARNESS_SLOW(3) * 1000000000ull;
	while (atomic_load(&handled) < target && harness_now_ns() < end) {
		int k = i++ % NI;

		if (queue_work(wq, &items[k]))
			atomic_fetch_add(&trues[k], 1);
		if (i % 5 == 0 && queue_delayed_work(wq, &ditems[k], 0))
			atomic_fetch_add(&dtrues[k], 1);
	}
	CHECK(!timer_delete(timer));
	CHECK(atomic_load(&handled) > 0);
	settle_and_check();
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	setup();
	wq = alloc_ordered_workqueue("p14o", 0);
	CHECK(wq);
	RUN_TEST(test_raise_returns);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	wq = alloc_workqueue("p14u", WQ_UNBOUND, 0);
	CHECK(wq);
	RUN_TEST(test_raise_storm);
	RUN_TEST(test_timer_storm);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	wq = alloc_workqueue("p14b", WQ_PERCPU, 0);
	CHECK(wq);
	RUN_TEST(test_raise_storm);
	RUN_TEST(test_timer_storm);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	return 0;
}
