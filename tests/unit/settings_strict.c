// SPDX-License-Identifier: MIT
/*
 * settings_strict.c - settings and arguments are read strictly
 *
 * Every CMWQ_* environment setting with a bad value (a fraction, a sign,
 * trailing text, out of range) gets a diagnostic on stderr naming the
 * variable and the value, and the default is used; alloc_workqueue()
 * refuses unknown flag bits and warns when it truncates a long name.
 *
 * Each setting is tried in a child: this program runs itself again with
 * the variable set ("child" as its argument) and reads its stderr.
 */
#include <cmwq.h>
#include "harness.h"

#include <errno.h>
#include <stdatomic.h>
#include <sys/wait.h>

static atomic_int ran;

static void count_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&ran, 1);
}

/*
 * The child: the library read its settings when it was loaded.  Queue an
 * item, as a program would, so that the defaults are seen to work: work
 * runs (no injected failure), an item set up without INIT_WORK is queued
 * (debug objects off).
 */
static int child_main(void)
{
	struct work_struct plain = { 0 };
	struct workqueue_struct *wq;
	struct work_struct w;

	wq = alloc_workqueue("settings", WQ_UNBOUND, 0);
	if (!wq)
		return 3;
	INIT_WORK(&w, count_fn);
	queue_work(wq, &w);
	flush_work(&w);
	/* Not initialised: refused only in debug mode. */
	plain.func = count_fn;
	queue_work(wq, &plain);
	flush_workqueue(wq);
	if (atomic_load(&ran) != 2)
		return 4;
	if (cmwq_fault_injected(CMWQ_FAULT_THREAD) ||
	    cmwq_fault_injected(CMWQ_FAULT_ALLOC))
		return 5;
	if (cmwq_destroy_workqueue(wq))
		return 6;
	return 0;
}

static const char *self_exe;

/* Run the child with @var=@value; its stderr into @err.  Exit status. */
static int run_child(const char *var, const char *value, char *err, size_t len)
{
	size_t used = 0;
	int fds[2], status;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		setenv(var, value, 1);
		execl(self_exe, self_exe, "child", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], err + used, len - 1 - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == len - 1)
			break;
	}
	err[used] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		CHECK(errno == EINTR);
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* @var=@value is reported (variable and value named) and the default used. */
static void expect_rejected(const char *var, const char *value)
{
	char err[8192], want[256];
	int rc = run_child(var, value, err, sizeof(err));

	snprintf(want, sizeof(want), "%s=%s", var, value);
	if (!strstr(err, want) || !strstr(err, "using the default")) {
		fprintf(stderr, "%s: no diagnostic; child's stderr:\n%s\n",
			want, err);
		CHECK(0);
	}
	if (rc) {
		fprintf(stderr, "%s: child failed with %d; stderr:\n%s\n", want,
			rc, err);
		CHECK(0);
	}
}

/* @var=@value is accepted without a word. */
static void expect_accepted(const char *var, const char *value)
{
	char err[8192];
	int rc = run_child(var, value, err, sizeof(err));

	if (strstr(err, var)) {
		fprintf(stderr, "%s=%s: unexpected diagnostic:\n%s\n", var,
			value, err);
		CHECK(0);
	}
	CHECK_EQ(rc, 0);
}

static void test_bad_settings_warn_and_default(void)
{
	static const char *const bad[][2] = {
		{ "CMWQ_FAULT_THREAD", "random:0.2:1" },
		{ "CMWQ_FAULT_THREAD", "random:1001" },
		{ "CMWQ_FAULT_THREAD", "random:5:x" },
		{ "CMWQ_FAULT_THREAD", "-3" },
		{ "CMWQ_FAULT_ALLOC", "sometimes" },
		{ "CMWQ_FAULT_ALLOC", "10 " },
		{ "CMWQ_IDLE_TIMEOUT_MS", "+5" },
		{ "CMWQ_IDLE_TIMEOUT_MS", "1.5" },
		{ "CMWQ_IDLE_TIMEOUT_MS", "99999999999999999999999" },
		{ "CMWQ_WATCHDOG_THRESH_MS", "-1" },
		{ "CMWQ_WATCHDOG_THRESH_MS", "5s" },
		{ "CMWQ_DEBUG_OBJECTS", "maybe" },
		{ "CMWQ_DEBUG_OBJECTS", "2" },
		{ "CMWQ_DETECT", "Perf" },
		{ "CMWQ_CPU_INTENSIVE_THRESH_US", "-1" },
		{ "CMWQ_CPU_INTENSIVE_THRESH_US", "0" },
		{ "CMWQ_CPU_INTENSIVE_THRESH_US", "4294967296" },
		{ "CMWQ_OBSERVE", "yes" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_rejected(bad[i][0], bad[i][1]);
}

static void test_good_settings_silent(void)
{
	static const char *const good[][2] = {
		{ "CMWQ_FAULT_THREAD", "0" },
		{ "CMWQ_FAULT_ALLOC", "random:0:7" },
		{ "CMWQ_IDLE_TIMEOUT_MS", "1000" },
		{ "CMWQ_WATCHDOG_THRESH_MS", "0" },
		{ "CMWQ_DEBUG_OBJECTS", "0" },
		{ "CMWQ_DETECT", "off" },
		{ "CMWQ_CPU_INTENSIVE_THRESH_US", "20000" },
		{ "CMWQ_OBSERVE", "1" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		expect_accepted(good[i][0], good[i][1]);
}

static void test_unknown_flags_refused(void)
{
	struct workqueue_struct *wq;

	errno = 0;
	wq = alloc_workqueue("badflags", 0xffffffffu, 1);
	CHECK(wq == NULL);
	CHECK_EQ(errno, EINVAL);
	wq = alloc_workqueue("badflag", WQ_UNBOUND | (1u << 20), 1);
	CHECK(wq == NULL);
	/* Every flag the header defines is still accepted. */
	wq = alloc_workqueue("allflags",
			     WQ_UNBOUND | WQ_FREEZABLE | WQ_MEM_RECLAIM |
				     WQ_HIGHPRI | WQ_CPU_INTENSIVE | WQ_SYSFS |
				     WQ_POWER_EFFICIENT | __WQ_LEGACY,
			     1);
	CHECK(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	wq = alloc_workqueue("percpu", WQ_PERCPU, 1);
	CHECK(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	wq = alloc_ordered_workqueue("ordered", WQ_MEM_RECLAIM);
	CHECK(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	wq = create_singlethread_workqueue("legacy");
	CHECK(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* Capture what the library writes to stderr while @fn runs. */
static void capture_stderr(void (*fn)(void *), void *arg, char *out, size_t len)
{
	int fds[2], saved;
	ssize_t n;

	CHECK(pipe(fds) == 0);
	saved = dup(2);
	CHECK(saved >= 0);
	dup2(fds[1], 2);
	fn(arg);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	n = read(fds[0], out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fds[0]);
}

static char long_name[101];
static struct workqueue_struct *long_wq;

static void alloc_long_name(void *arg)
{
	(void)arg;
	long_wq = alloc_workqueue("%s", WQ_UNBOUND, 1, long_name);
}

static void test_long_name_warned(void)
{
	char err[4096], kept[64];

	memset(long_name, 'q', 100);
	memset(kept, 'q', 63);
	kept[63] = '\0';
	capture_stderr(alloc_long_name, NULL, err, sizeof(err));
	CHECK(long_wq);
	CHECK(strstr(err, "wq name is too long"));
	/* The queue is named: the part kept is in the message. */
	CHECK(strstr(err, kept));
	CHECK_EQ(strlen(cmwq_workqueue_name(long_wq)), 63);
	CHECK_EQ(cmwq_destroy_workqueue(long_wq), 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child"))
		return child_main();
	harness_watchdog(HARNESS_SLOW(120));
	self_exe = "/proc/self/exe";
	if (access(self_exe, X_OK))
		return HARNESS_SKIP;
	RUN_TEST(test_bad_settings_warn_and_default);
	RUN_TEST(test_good_settings_silent);
	RUN_TEST(test_unknown_flags_refused);
	RUN_TEST(test_long_name_warned);
	return 0;
}
