/* SPDX-License-Identifier: MIT */
/*
 * Issue 6: watching costs nothing while nobody watches.  The thread that
 * serves the monitors exists once work ran, and makes no context switch
 * while no monitor asks and in-process sampling is off; it publishes the
 * file /dev/shm/cmwq.<pid>, removed at exit.  Issue 13: it is the manager
 * (one helper thread per process) wherever futex_waitv works; a thread of
 * its own, cmwq-observe, only where it does not.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <linux/futex.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "harness.h"

#define MAXT 512

static struct harness_task tasks[MAXT];

/* Does futex_waitv work here (Linux 5.16+, headers that have it)? */
static bool have_futex_waitv(void)
{
#if defined(SYS_futex_waitv) && defined(FUTEX_32)
	unsigned int word = 1;
	struct futex_waitv w = { .val = 0,
				 .uaddr = (unsigned long)&word,
				 .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG };

	return syscall(SYS_futex_waitv, &w, 1, 0, NULL, 0) < 0 &&
	       errno == EAGAIN;
#else
	return false;
#endif
}

/* The thread that serves the monitors. */
static const char *server = "cmwq-observe";

/* Voluntary + involuntary switches of the server thread, or -1. */
static long long observer_switches(void)
{
	int i, n = harness_list_tasks(tasks, MAXT);

	for (i = 0; i < n; i++)
		if (!strcmp(tasks[i].comm, server))
			return (long long)(tasks[i].vcsw + tasks[i].nvcsw);
	return -1;
}

static bool thread_named(const char *comm)
{
	int i, n = harness_list_tasks(tasks, MAXT);

	for (i = 0; i < n; i++)
		if (!strcmp(tasks[i].comm, comm))
			return true;
	return false;
}

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct workqueue_struct *wq = alloc_workqueue("obs_idle", 0, 0);
	static struct work_struct w;
	char path[64];
	struct stat st;
	long long a, b;

	harness_watchdog(30);
	CHECK(wq);
	INIT_WORK(&w, fn);
	CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	if (have_futex_waitv())
		server = "cmwq-manager";
	fprintf(stderr, "test: the monitors' server is %s\n", server);
	CHECK(WAIT_UNTIL(observer_switches() >= 0, 5000));
	/* One helper thread: the manager serves, no cmwq-observe. */
	if (have_futex_waitv())
		CHECK(!thread_named("cmwq-observe"));
	snprintf(path, sizeof(path), "/dev/shm/cmwq.%d", (int)getpid());
	CHECK(getenv("CMWQ_OBSERVE") || stat(path, &st) == 0);

	/* Nobody watches: the observer sleeps. */
	harness_sleep_ms(50);
	a = observer_switches();
	harness_sleep_ms(300);
	b = observer_switches();
	fprintf(stderr, "test: observer switches idle: %lld -> %lld\n", a, b);
	CHECK_EQ(a, b);

	/* Sampling on: it wakes (every 10 ms); off: it sleeps again. */
	cmwq_stats_sample_cpu(true);
	harness_sleep_ms(100);
	CHECK(observer_switches() > b);
	cmwq_stats_sample_cpu(false);
	harness_sleep_ms(50);
	a = observer_switches();
	harness_sleep_ms(300);
	b = observer_switches();
	fprintf(stderr, "test: observer switches after sampling: %lld -> %lld\n",
		a, b);
	CHECK_EQ(a, b);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	return 0;
}
