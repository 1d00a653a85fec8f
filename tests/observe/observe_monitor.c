/* SPDX-License-Identifier: MIT */
/*
 * Issue 6: cmwq-top and cmwq-dump attached to this running program show
 * its workqueues and their counts; the JSON output parses.
 *
 * With --no-futex-waitv, a seccomp filter refuses futex_waitv first (as a
 * kernel before 5.16, or an old container profile, does): the monitors are
 * then served by a thread of their own, cmwq-observe, and see the same.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <ctype.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "harness.h"

extern char **environ;

#define N 1000

static atomic_int hold_go, holding;

static void count_fn(struct work_struct *work)
{
	(void)work;
}

void observe_monitor_holder(struct work_struct *work);
void observe_monitor_holder(struct work_struct *work)
{
	(void)work;
	atomic_store(&holding, 1);
	while (!atomic_load(&hold_go))
		harness_sleep_ms(1);
}

/*
 * Run @argv, return its standard output (malloc'd) and exit status.
 * posix_spawn, not fork: no atfork handlers, no copy of this process.
 */
static char *run(char *const argv[], int *status)
{
	posix_spawn_file_actions_t fa;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fds[2];
	pid_t pid;
	ssize_t n;

	CHECK(pipe(fds) == 0);
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, fds[1], 1) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, fds[0]) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, fds[1]) == 0);
	CHECK(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			CHECK(buf);
		}
		n = read(fds[0], buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	buf[len] = '\0';
	CHECK(waitpid(pid, status, 0) == pid);
	return buf;
}

/* A small JSON checker: true when @s is one valid JSON value. */
static const char *json_value(const char *s);

static const char *json_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	while (*s && *s != '"') {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)s[i]))
						return NULL;
				s += 4;
			} else if (!strchr("\"\\/bfnrt", *s)) {
				return NULL;
			}
		}
		s++;
	}
	return *s == '"' ? s + 1 : NULL;
}

static const char *json_value(const char *s)
{
	s = json_ws(s);
	if (*s == '{' || *s == '[') {
		char close = *s == '{' ? '}' : ']';
		bool obj = *s == '{';

		s = json_ws(s + 1);
		if (*s == close)
			return s + 1;
		for (;;) {
			if (obj) {
				s = json_string(json_ws(s));
				if (!s)
					return NULL;
				s = json_ws(s);
				if (*s++ != ':')
					return NULL;
			}
			s = json_value(s);
			if (!s)
				return NULL;
			s = json_ws(s);
			if (*s == close)
				return s + 1;
			if (*s++ != ',')
				return NULL;
		}
	}
	if (*s == '"')
		return json_string(s);
	if (!strncmp(s, "true", 4) || !strncmp(s, "null", 4))
		return s + 4;
	if (!strncmp(s, "false", 5))
		return s + 5;
	if (*s == '-' || isdigit((unsigned char)*s)) {
		char *end;

		strtod(s, &end);
		return end == s ? NULL : end;
	}
	return NULL;
}

static bool json_valid(const char *s)
{
	s = json_value(s);
	return s && *json_ws(s) == '\0';
}

/*
 * futex_waitv fails with ENOSYS from now on, in this process and what it
 * spawns.  (The filter looks at the number only: the tests run natively.)
 */
static void refuse_futex_waitv(void)
{
#ifdef SYS_futex_waitv
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_futex_waitv, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = filter };

	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
#endif
}

static bool thread_named(const char *comm)
{
	static struct harness_task tasks[512];
	int i, n = harness_list_tasks(tasks, 512);

	for (i = 0; i < n; i++)
		if (!strcmp(tasks[i].comm, comm))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct workqueue_struct *wq, *other;
	static struct work_struct works[N], hold;
	char pid[16], *out, *line;
	bool no_waitv = argc > 1 && !strcmp(argv[1], "--no-futex-waitv");
	int i, status;

	harness_watchdog(60);
	if (no_waitv)
		refuse_futex_waitv();
	wq = alloc_workqueue("obs_mon_wq", 0, 0);
	other = alloc_workqueue("obs_other", 0, 0);
	CHECK(wq && other);
	for (i = 0; i < N; i++) {
		INIT_WORK(&works[i], count_fn);
		CHECK(queue_work(wq, &works[i]));
	}
	flush_workqueue(wq);
	INIT_WORK(&hold, observe_monitor_holder);
	CHECK(queue_work(other, &hold));
	CHECK(WAIT_UNTIL(atomic_load(&holding), 5000));
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	/* Who serves: a thread of its own only without futex_waitv. */
	if (no_waitv)
		CHECK(WAIT_UNTIL(thread_named("cmwq-observe"), 5000));

	{
		char *argv[] = { CMWQ_TOP, "-1", "-j", pid, NULL };

		out = run(argv, &status);
		fprintf(stderr, "test: cmwq-top -1 -j: %s", out);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK(json_valid(out));
		CHECK(strstr(out, "{\"name\":\"obs_mon_wq\""));
		line = strstr(out, "{\"name\":\"obs_mon_wq\"");
		CHECK(strstr(line, "\"total\":1000,\"completed\":1000,"
				   "\"infl\":0"));
		CHECK(strstr(out, "{\"name\":\"obs_other\""));
		line = strstr(out, "{\"name\":\"obs_other\"");
		CHECK(strstr(line, "\"total\":1,\"completed\":0,\"infl\":1"));
		free(out);
	}
	{
		/* Table, filtered by name, three refreshes. */
		char *argv[] = { CMWQ_TOP, "-n",       "3", "-i", "0.05",
				 "-f",	   "^obs_mon", pid, NULL };

		out = run(argv, &status);
		fprintf(stderr, "test: cmwq-top table:\n%s", out);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK(strstr(out, "CPUtime"));
		CHECK(strstr(out, "obs_mon_wq"));
		CHECK(!strstr(out, "obs_other"));
		line = strstr(out, "obs_mon_wq");
		CHECK(sscanf(line, "obs_mon_wq %d", &i) == 1);
		CHECK_EQ(i, N);
		free(out);
	}
	{
		char *argv[] = { CMWQ_DUMP, pid, NULL };

		out = run(argv, &status);
		fprintf(stderr, "test: cmwq-dump:\n%s", out);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK(strstr(out, "Worker pools"));
		CHECK(strstr(out, "obs_mon_wq"));
		CHECK(strstr(out, "observe_monitor_holder"));
		CHECK(strstr(out, "(obs_other)"));
		free(out);
	}
	{
		/* A pid that publishes nothing: a clear error. */
		char *argv[] = { CMWQ_TOP, "-1", "1", NULL };

		out = run(argv, &status);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		free(out);
	}
	atomic_store(&hold_go, 1);
	flush_workqueue(other);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	CHECK_EQ(cmwq_destroy_workqueue(other), 0);
	return 0;
}
