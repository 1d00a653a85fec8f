// SPDX-License-Identifier: MIT
/*
 * prop10_rescuer.c - DESIGN.md property 10: a WQ_MEM_RECLAIM workqueue
 * finishes its work even when no new thread can ever be created
 *
 * In a child process each (so pools start empty): thread creation fails
 * by fault injection, then by a real RLIMIT_NPROC as an unprivileged user.
 * 100 blocking items of a WQ_MEM_RECLAIM queue complete through the
 * rescuer, while a plain queue on the same pool waits, and completes once
 * creation works again.  Also: alloc_workqueue under allocation failure
 * returns NULL and leaks nothing (LeakSanitizer checks at exit).
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include "harness.h"

#include <errno.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define NR_RECLAIM 100
#define NR_PLAIN 10

static atomic_int reclaim_done, plain_done;

static void reclaim_fn(struct work_struct *w)
{
	struct timespec ts = { 0, 1000000 };

	(void)w;
	nanosleep(&ts, NULL); /* blocks: would want another worker */
	atomic_fetch_add(&reclaim_done, 1);
}

static void plain_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&plain_done, 1);
}

static void run_starved(bool rlimit)
{
	static struct work_struct reclaim[NR_RECLAIM], plain[NR_PLAIN];
	struct workqueue_struct *wq, *pwq;
	struct cmwq_pool_stats st;
	int i, pool_id = -1;

	/* The rescuer (and manager) start now, while threads can start. */
	wq = alloc_workqueue("reclaim", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	pwq = alloc_workqueue("plain", WQ_UNBOUND, 0);
	CHECK(wq && pwq);
	if (rlimit) {
		struct rlimit rl = { 1, 1 };

		CHECK(setrlimit(RLIMIT_NPROC, &rl) == 0);
	} else {
		cmwq_fault_set(CMWQ_FAULT_THREAD, 1, 0, 0);
	}
	for (i = 0; i < NR_RECLAIM; i++) {
		INIT_WORK(&reclaim[i], reclaim_fn);
		CHECK(queue_work(wq, &reclaim[i]));
	}
	for (i = 0; i < NR_PLAIN; i++) {
		INIT_WORK(&plain[i], plain_fn);
		CHECK(queue_work(pwq, &plain[i]));
	}
	CHECK(WAIT_UNTIL(atomic_load(&reclaim_done) == NR_RECLAIM, 60000));
	/* No worker could start: the plain queue still waits. */
	CHECK_EQ(atomic_load(&plain_done), 0);
	for (i = 0; i < cmwq_nr_pools(); i++) {
		CHECK(cmwq_get_pool_stats(i, &st) == 0);
		if (st.cpu < 0 && st.items_started >= NR_RECLAIM)
			pool_id = i;
	}
	CHECK(pool_id >= 0);
	CHECK_EQ(st.nr_workers, 0);

	/* Creation works again: the plain queue completes. */
	if (rlimit) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		/* An unprivileged user may not raise it back: stop here. */
		if (setrlimit(RLIMIT_NPROC, &rl) < 0)
			_exit(0);
	} else {
		cmwq_fault_set(CMWQ_FAULT_THREAD, 0, 0, 0);
	}
	CHECK(WAIT_UNTIL(atomic_load(&plain_done) == NR_PLAIN, 30000));
	CHECK_EQ(cmwq_destroy_workqueue(pwq), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		harness_watchdog(120);
		fn();
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	return status;
}

static void starved_by_injection(void)
{
	run_starved(false);
}

static void starved_by_rlimit(void)
{
	if (geteuid() == 0) {
		/* RLIMIT_NPROC does not bind root: become nobody first. */
		if (setgid(65534) < 0 || setuid(65534) < 0) {
			fprintf(stderr, "test: cannot become nobody; skipped\n");
			_exit(0);
		}
	}
	run_starved(true);
}

static void test_rescuer_fault_injection(void)
{
	int status = in_child(starved_by_injection);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_rescuer_rlimit_nproc(void)
{
	int status = in_child(starved_by_rlimit);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Walk allocation failures: every Nth allocation fails, N = 1, 2, ... */
static void test_alloc_failure(void)
{
	struct workqueue_struct *wq;
	unsigned int flags[] = { 0, WQ_UNBOUND, WQ_MEM_RECLAIM,
				 WQ_UNBOUND | __WQ_ORDERED };
	unsigned long nth;
	unsigned int f;

	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		for (nth = 1; nth < 40; nth++) {
			cmwq_fault_set(CMWQ_FAULT_ALLOC, nth, 0, 0);
			wq = alloc_workqueue("fail%lu", flags[f], 0, nth);
			cmwq_fault_set(CMWQ_FAULT_ALLOC, 0, 0, 0);
			if (!wq) {
				CHECK_EQ(errno, ENOMEM);
				continue;
			}
			CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
		}
	}
	fprintf(stderr, "test: %llu allocation failures injected at %u "
			"distinct points\n",
		cmwq_fault_injected(CMWQ_FAULT_ALLOC), cmwq_fault_points());
	CHECK(cmwq_fault_injected(CMWQ_FAULT_ALLOC) > 0);
}

int main(void)
{
	harness_watchdog(240);
	RUN_TEST(test_rescuer_fault_injection);
	RUN_TEST(test_rescuer_rlimit_nproc);
	RUN_TEST(test_alloc_failure);
	return 0;
}
