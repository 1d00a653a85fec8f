// SPDX-License-Identifier: MIT
/*
 * fork_reset.c - a fork() child's pools start as new ones.  Regression
 * test: fork.c reset a pool with its own copy of the field list, which
 * had drifted from pool_create()'s, so a child inherited what the
 * parent's pool had learned -- its in-flight target -- and started from
 * the parent's estimate instead of the kernel's rule.  Both now use
 * pool_reset_state().
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include "../harness.h"

#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ITEMS 200

static struct work_struct items[ITEMS];

static void sleeper(struct work_struct *work)
{
	(void)work;
	nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
}

/* The unbound pool with the most items started, and its stats. */
static int busiest_unbound(struct cmwq_pool_stats *out)
{
	struct cmwq_pool_stats st;
	int i, best = -1;

	for (i = 0; i < cmwq_nr_pools(); i++) {
		if (cmwq_get_pool_stats(i, &st) < 0 || st.cpu >= 0)
			continue;
		if (best < 0 || st.items_started > out->items_started) {
			*out = st;
			best = i;
		}
	}
	return best;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct cmwq_pool_stats st = { 0 }, fresh = { 0 };
	int i, round, id, status;
	unsigned int first_target;
	pid_t pid;

	harness_watchdog(HARNESS_SLOW(120));
	if (cmwq_detect_mode() == CMWQ_DETECT_OFF) {
		printf("fork_reset: detection is off, nothing is learned: "
		       "SKIPPED\n");
		return HARNESS_SKIP;
	}
	wq = alloc_workqueue("fork-reset", WQ_UNBOUND, 0);
	CHECK(wq);
	/* A fresh pool's target: what the child must start from again. */
	INIT_WORK(&items[0], sleeper);
	queue_work(wq, &items[0]);
	flush_workqueue(wq);
	id = busiest_unbound(&fresh);
	CHECK(id >= 0);
	first_target = fresh.inflight_target;
	/* Items that sleep: the pool learns to keep more in flight. */
	for (round = 0; round < 20; round++) {
		for (i = 0; i < ITEMS; i++) {
			INIT_WORK(&items[i], sleeper);
			queue_work(wq, &items[i]);
		}
		CHECK(cmwq_get_pool_stats(id, &st) == 0);
		flush_workqueue(wq);
		if (st.inflight_target > first_target)
			break;
	}
	if (st.inflight_target <= first_target) {
		printf("fork_reset: the pool learned nothing in 20 rounds "
		       "(target %u): SKIPPED\n",
		       first_target);
		return HARNESS_SKIP;
	}
	fprintf(stderr, "test: parent's pool %d: in-flight target %u, "
			"fresh %u\n",
		id, st.inflight_target, first_target);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct cmwq_pool_stats c;

		CHECK(cmwq_get_pool_stats(id, &c) == 0);
		fprintf(stderr, "test: child's pool %d: in-flight target %u, "
				"%u workers, %u idle\n",
			id, c.inflight_target, c.nr_workers, c.nr_idle);
		CHECK_EQ(c.inflight_target, first_target);
		CHECK_EQ(c.nr_workers, 0u);
		CHECK_EQ(c.nr_idle, 0u);
		CHECK_EQ(c.nr_inflight, 0u);
		/* And the pool works. */
		for (i = 0; i < ITEMS; i++) {
			INIT_WORK(&items[i], sleeper);
			queue_work(wq, &items[i]);
		}
		flush_workqueue(wq);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	destroy_workqueue(wq);
	return 0;
}
