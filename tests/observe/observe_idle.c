/* SPDX-License-Identifier: MIT */
/*
 * Issue 6: watching costs nothing while nobody watches.  The observer
 * thread exists once work ran, and makes no context switch while no
 * monitor asks and in-process sampling is off; it publishes the file
 * /dev/shm/cmwq.<pid>, removed at exit.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <sys/stat.h>

#include "harness.h"

#define MAXT 512

static struct harness_task tasks[MAXT];

/* Voluntary + involuntary switches of the cmwq-observe thread, or -1. */
static long long observer_switches(void)
{
	int i, n = harness_list_tasks(tasks, MAXT);

	for (i = 0; i < n; i++)
		if (!strcmp(tasks[i].comm, "cmwq-observe"))
			return (long long)(tasks[i].vcsw + tasks[i].nvcsw);
	return -1;
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
	CHECK(WAIT_UNTIL(observer_switches() >= 0, 5000));
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
