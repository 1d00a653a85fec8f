// SPDX-License-Identifier: MIT
/*
 * fork_max_active.c - a fork() child starts with its workqueues' max_active
 * room empty.  Regression test: the count of items in flight per NUMA node
 * (wq_node_active, shared by the pods of a node) came into the child as
 * the parent had it, but the items it counted run only in the parent; a
 * child of a parent whose unbound queue was full would never run an item
 * on it.  fork.c now resets the node counts with the pools.
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include "../harness.h"

#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ACTIVE 2
#define HELD 6

static struct work_struct held[HELD];
static struct completion gate;
static atomic_int started;

static void held_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&started, 1);
	wait_for_completion(&gate);
}

static atomic_int child_ran;

static void child_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&child_ran, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct mine[MAX_ACTIVE + 2];
	int i, status;
	pid_t pid;

	harness_watchdog(HARNESS_SLOW(60));
	wq = alloc_workqueue("fork-max-active", WQ_UNBOUND, MAX_ACTIVE);
	CHECK(wq);
	init_completion(&gate);
	/* MAX_ACTIVE items in flight, the rest held back behind them. */
	for (i = 0; i < HELD; i++) {
		INIT_WORK(&held[i], held_fn);
		CHECK(queue_work(wq, &held[i]));
	}
	while (atomic_load(&started) < MAX_ACTIVE)
		harness_sleep_ms(1);
	harness_sleep_ms(20);
	CHECK_EQ(atomic_load(&started), MAX_ACTIVE);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/*
		 * The parent's items are not the child's: its own must run,
		 * as many at once as max_active lets them, and more after.
		 */
		harness_watchdog(HARNESS_SLOW(30));
		for (i = 0; i < MAX_ACTIVE + 2; i++) {
			INIT_WORK(&mine[i], child_fn);
			CHECK(queue_work(wq, &mine[i]));
		}
		for (i = 0; i < MAX_ACTIVE + 2; i++)
			flush_work(&mine[i]);
		CHECK_EQ(atomic_load(&child_ran), MAX_ACTIVE + 2);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The parent's own items are still there, and all run. */
	complete_all(&gate);
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&started), HELD);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	return 0;
}
