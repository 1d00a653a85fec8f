// SPDX-License-Identifier: MIT
/*
 * fd_budget.c - descriptors running out: the workers' detection files
 * (a perf event, /proc files) take at most half the soft RLIMIT_NOFILE
 * the library started with, so a program whose items all block keeps
 * descriptors of its own; workers that find the budget spent go without
 * (the library's own waits still count them out), and every item runs.
 *
 * The limit must be in place when the library starts (a constructor):
 * the test lowers it and runs itself again.
 */
#include <cmwq.h>
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#define LIMIT 128
#define WAITERS 150
#define OWN_FDS 40

static DECLARE_COMPLETION(go);
static struct work_struct items[WAITERS + 1];
static atomic_int ran;

static void waiter_fn(struct work_struct *work)
{
	(void)work;
	wait_for_completion(&go);
	atomic_fetch_add(&ran, 1);
}

static void last_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
	complete_all(&go);
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	int fds[OWN_FDS], i;

	(void)argc;
	if (!getenv("CMWQ_TEST_FD_BUDGET_CHILD")) {
		CHECK(!getrlimit(RLIMIT_NOFILE, &rl));
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < LIMIT) {
			printf("SKIP: the hard descriptor limit is below %d\n",
			       LIMIT);
			return HARNESS_SKIP;
		}
		rl.rlim_cur = LIMIT;
		CHECK(!setrlimit(RLIMIT_NOFILE, &rl));
		setenv("CMWQ_TEST_FD_BUDGET_CHILD", "1", 1);
		execv("/proc/self/exe", argv);
		perror("execv");
		return 1;
	}
	harness_watchdog(HARNESS_SLOW(60));
	for (i = 0; i < WAITERS; i++) {
		INIT_WORK(&items[i], waiter_fn);
		CHECK(queue_work(system_unbound_wq, &items[i]));
	}
	/* Queued last, behind items that all block: needs a worker each. */
	INIT_WORK(&items[WAITERS], last_fn);
	CHECK(queue_work(system_unbound_wq, &items[WAITERS]));
	flush_workqueue(system_unbound_wq);
	CHECK_EQ(atomic_load(&ran), WAITERS + 1);
	/* The workers are still there, idle: the program's own files. */
	for (i = 0; i < OWN_FDS; i++) {
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			fprintf(stderr, "test: open #%d: %s\n", i,
				strerror(errno));
		CHECK(fds[i] >= 0);
	}
	for (i = 0; i < OWN_FDS; i++)
		close(fds[i]);
	fprintf(stderr, "test: %d items ran under a limit of %d "
		"descriptors; %d of them still free for the program\n",
		WAITERS + 1, LIMIT, OWN_FDS);
	return 0;
}
