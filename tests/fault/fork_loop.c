// SPDX-License-Identifier: MIT
/*
 * fork_loop.c - fork() with work in flight, in a loop: the child gets a
 * working library (no phantom workers; what the parent had queued does not
 * run in the child; new work runs), and the parent's items each run
 * exactly once
 */
#include <cmwq.h>
#include "harness.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#define NR_ITEMS 64

static atomic_int runs[NR_ITEMS];
static atomic_int queued[NR_ITEMS];
static atomic_int stop, child_ran;
static struct work_struct items[NR_ITEMS];
static struct workqueue_struct *wqs[3];

static void item_fn(struct work_struct *w)
{
	atomic_fetch_add(&runs[w - items], 1);
}

static void child_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&child_ran, 1);
}

/* Keeps work in flight while the main thread forks. */
static void *producer(void *arg)
{
	unsigned int i = 0;

	(void)arg;
	while (!atomic_load(&stop)) {
		unsigned int n = i++ % NR_ITEMS;

		if (queue_work(wqs[n % 3], &items[n]))
			atomic_fetch_add(&queued[n], 1);
	}
	return NULL;
}

static int count_workers(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    !strncmp(comm, "kworker/", 8))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

static void in_child(void)
{
	struct work_struct w;
	int i;

	/* No phantom workers: the parent's threads do not exist here. */
	if (count_workers() != 0)
		_exit(10);
	/* The parent's items are idle here: queueing one succeeds. */
	for (i = 0; i < NR_ITEMS; i++)
		if (work_pending(&items[i]))
			_exit(11);
	INIT_WORK(&w, child_fn);
	if (!queue_work(system_wq, &w))
		_exit(12);
	flush_work(&w);
	if (!atomic_load(&child_ran))
		_exit(13);
	_exit(0);
}

static void test_fork_loop(void)
{
	/*
	 * gcc 12's ThreadSanitizer does not hold its internal allocator's
	 * lock across fork(): a child whose parent had a thread starting or
	 * exiting in the runtime at that moment spins forever in the
	 * runtime's ProcCreate() when it starts a thread (seen once in ~50
	 * runs of 100 forks here, the child's stack all in libtsan).  Fewer
	 * forks there keep that rare; the plain build does 1000.
	 */
	int loops = HARNESS_SANITIZED ? 20 : 1000;
	pthread_t thread;
	int i;

	wqs[0] = system_wq;
	wqs[1] = alloc_workqueue("fork_unbound", WQ_UNBOUND, 0);
	wqs[2] = alloc_ordered_workqueue("fork_ordered", 0);
	CHECK(wqs[1] && wqs[2]);
	for (i = 0; i < NR_ITEMS; i++)
		INIT_WORK(&items[i], item_fn);
	CHECK(pthread_create(&thread, NULL, producer, NULL) == 0);
	for (i = 0; i < loops; i++) {
		int status;
		pid_t pid = fork();

		CHECK(pid >= 0);
		if (pid == 0)
			in_child();
		CHECK(waitpid(pid, &status, 0) == pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fprintf(stderr, "test: child %d exit status %d\n", i,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	atomic_store(&stop, 1);
	pthread_join(thread, NULL);
	for (i = 0; i < NR_ITEMS; i++)
		flush_work(&items[i]);
	for (i = 0; i < NR_ITEMS; i++)
		CHECK_EQ(atomic_load(&runs[i]), atomic_load(&queued[i]));
	CHECK_EQ(cmwq_destroy_workqueue(wqs[1]), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wqs[2]), 0);
}

int main(void)
{
#ifdef __SANITIZE_ADDRESS__
	/*
	 * gcc 12's AddressSanitizer allocator is not fork-safe: a child of a
	 * multi-threaded process deadlocks in malloc when another thread held
	 * the allocator's lock at fork() (glibc's own malloc is fork-safe).
	 * The child here must allocate, so this test runs in the plain and
	 * ThreadSanitizer builds only.
	 */
	fprintf(stderr, "test: skipped under AddressSanitizer (its allocator "
			"deadlocks in a forked child)\n");
	return HARNESS_SKIP;
#endif
	harness_watchdog(240);
	RUN_TEST(test_fork_loop);
	return 0;
}
