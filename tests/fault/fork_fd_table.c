// SPDX-License-Identifier: MIT
/*
 * fork_fd_table.c - a fork() child's descriptor table is grown before any
 * of its threads exists.  Regression test: the growth had moved from the
 * fork child handler to the child's first worker, which then waited for
 * an RCU grace period (the table was shared by two threads by then), and
 * 100 items blocked on a completion in a forked child waited 14-17 ms for
 * the one that completed them, not 4-6 (bench/blocked_latency.c forks).
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include "../harness.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_int ran;
static struct work_struct item;

static void item_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
}

/* The "FDSize:" line of /proc/self/status: the table's slots, or -1. */
static long fd_table_size(void)
{
	char buf[4096], *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nFDSize:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

int main(void)
{
	struct rlimit rl;
	long want = 4096, parent, child;
	int status;
	pid_t pid;

	harness_watchdog(HARNESS_SLOW(60));
	if (harness_skip_without_detection("the descriptor table"))
		return HARNESS_SKIP;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)want)
		want = (long)rl.rlim_cur;
	/* The parent has workers: a multi-threaded fork, as in the bench. */
	INIT_WORK(&item, item_fn);
	CHECK(queue_work(system_unbound_wq, &item));
	flush_work(&item);
	CHECK_EQ(atomic_load(&ran), 1);
	parent = fd_table_size();
	if (parent < 0) {
		printf("fork_fd_table: no FDSize in /proc/self/status: "
		       "SKIPPED\n");
		return HARNESS_SKIP;
	}
	fprintf(stderr, "test: parent's table %ld slots (want %ld)\n", parent,
		want);
	CHECK(parent >= want);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/* Before the child starts any worker of its own. */
		child = fd_table_size();
		fprintf(stderr, "test: child's table %ld slots\n", child);
		CHECK(child >= want);
		/* And the child's pools work. */
		CHECK(queue_work(system_unbound_wq, &item));
		flush_work(&item);
		CHECK_EQ(atomic_load(&ran), 2);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}
