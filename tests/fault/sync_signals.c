// SPDX-License-Identifier: MIT
/*
 * sync_signals.c - a work function that faults gets its SIGSEGV on its own
 * worker thread: the program's handler runs there (the library's threads
 * block asynchronous signals only, never SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGTRAP or SIGSYS)
 *
 * The faulting part runs in a child process, so this one survives and
 * checks how the child ended.
 */
#include <cmwq.h>
#include "harness.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* Exit codes of the child. */
enum {
	CHILD_HANDLER_ON_WORKER = 42, /* the handler ran on the faulting item */
	CHILD_HANDLER_ELSEWHERE = 43, /* ran, but not on a worker of the item */
	CHILD_NO_FAULT = 44, /* the store to PROT_NONE did not fault */
	CHILD_SETUP_FAILED = 45,
};

static volatile char *guard_page;
static struct work_struct fault_work;

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)ctx;
	if (cmwq_current_is_worker() && cmwq_current_work() == &fault_work &&
	    info->si_addr == (void *)guard_page)
		_exit(CHILD_HANDLER_ON_WORKER);
	_exit(CHILD_HANDLER_ELSEWHERE);
}

static void fault_fn(struct work_struct *w)
{
	(void)w;
	guard_page[0] = 1; /* a real fault: the page is PROT_NONE */
}

static int child_main(void)
{
	struct workqueue_struct *wq;
	struct sigaction sa;

	guard_page =
		mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard_page == MAP_FAILED)
		return CHILD_SETUP_FAILED;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) < 0)
		return CHILD_SETUP_FAILED;
	wq = alloc_workqueue("faulting", WQ_UNBOUND, 1);
	if (!wq)
		return CHILD_SETUP_FAILED;
	INIT_WORK(&fault_work, fault_fn);
	queue_work(wq, &fault_work);
	flush_work(&fault_work);
	return CHILD_NO_FAULT;
}

static void test_segv_handler_runs_on_worker(void)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(child_main());
	while (waitpid(pid, &status, 0) < 0)
		CHECK(errno == EINTR);
	if (WIFSIGNALED(status))
		fprintf(stderr, "child killed by signal %d\n",
			WTERMSIG(status));
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), CHILD_HANDLER_ON_WORKER);
}

/* The signal mask of thread @tid, from /proc; false if unreadable. */
static bool thread_sigblk(pid_t tid, unsigned long long *mask, char *name,
			  size_t len)
{
	char path[64], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	name[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Name:", 5)) {
			size_t n = strcspn(line + 6, "\n");

			if (n >= len)
				n = len - 1;
			memcpy(name, line + 6, n);
			name[n] = '\0';
		}
		if (sscanf(line, "SigBlk: %llx", mask) == 1)
			found = true;
	}
	fclose(f);
	return found;
}

static void rescued_fn(struct work_struct *w)
{
	(void)w;
}

/*
 * Every thread of the library (workers, the manager, a rescuer, the
 * monitor) blocks SIGUSR1 but none blocks a synchronous signal.
 */
static void test_library_threads_mask_async_only(void)
{
	static const int sync_sigs[] = { SIGSEGV, SIGBUS,  SIGFPE,
					 SIGILL,  SIGTRAP, SIGSYS };
	struct workqueue_struct *wq =
		alloc_workqueue("rescued", WQ_MEM_RECLAIM | WQ_UNBOUND, 1);
	pid_t self = (pid_t)syscall(SYS_gettid);
	struct work_struct w;
	struct dirent *de;
	int checked = 0;
	DIR *dir;

	CHECK(wq);
	INIT_WORK(&w, rescued_fn);
	queue_work(wq, &w);
	flush_work(&w);
	dir = opendir("/proc/self/task");
	if (!dir) {
		fprintf(stderr,
			"no /proc/self/task: skipping the mask check\n");
		CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
		return;
	}
	while ((de = readdir(dir))) {
		unsigned long long mask = 0, sync_mask = 0;
		pid_t tid = (pid_t)atoi(de->d_name);
		char name[32];
		unsigned int i, tries;

		if (tid <= 0 || tid == self ||
		    !thread_sigblk(tid, &mask, name, sizeof(name)))
			continue;
		/* Sanitizer runtimes start threads of their own: skip those. */
		if (strncmp(name, "kworker", 7) && strncmp(name, "cmwq", 4) &&
		    strncmp(name, "rescued", 7))
			continue;
		for (i = 0; i < sizeof(sync_sigs) / sizeof(sync_sigs[0]); i++)
			sync_mask |= 1ull << (sync_sigs[i] - 1);
		/*
		 * glibc's pthread_create() blocks every signal in the
		 * creating thread for the moment of the clone (the manager
		 * creates workers): look again a few times.
		 */
		for (tries = 0; (mask & sync_mask) && tries < 1000; tries++) {
			harness_sleep_ms(1);
			if (!thread_sigblk(tid, &mask, name, sizeof(name)))
				mask = 0;
		}
		if (mask & sync_mask) {
			fprintf(stderr, "thread %d (%s) blocks %#llx\n",
				(int)tid, name, mask & sync_mask);
			CHECK(0);
		}
		if (mask)
			CHECK(mask & (1ull << (SIGUSR1 - 1)));
		checked++;
	}
	closedir(dir);
	CHECK(checked >= 2); /* a worker and the manager, at least */
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

int main(void)
{
	harness_watchdog(60);
	/* Before this process starts any thread of the library. */
	RUN_TEST(test_segv_handler_runs_on_worker);
	RUN_TEST(test_library_threads_mask_async_only);
	return 0;
}
