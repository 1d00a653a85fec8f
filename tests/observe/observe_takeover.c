// SPDX-License-Identifier: MIT
/*
 * Issue 13, defect 7: another local user must not be able to take over the
 * observer's file.  Played here as root with nobody (65534) as the other
 * user, who creates /dev/shm/cmwq.PID for the pid of a process about to
 * start cmwq:
 *
 *   a regular file, mode 0666: the process neither truncates nor uses it
 *	(its contents stay as they were), warns once and runs unobserved;
 *   a symbolic link to a file of root's: not followed, the target stays;
 *   a file that looks like counters (magic, pid and start time right):
 *	cmwq-top and cmwq-dump, run as root, refuse it, because its owner
 *	is not the process's uid.
 *
 *   observe_takeover               the test (root; else skipped)
 *   observe_takeover victim FD     the process: runs work, then says so
 *                                  on FD (if not -1) and waits
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <grp.h>

#include "shm_fake.h"

#define NOBODY 65534
#define N 100

static atomic_int ran;

static void count_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
}

static int victim(int ready_fd)
{
	struct workqueue_struct *wq = alloc_workqueue("takeover_wq", 0, 0);
	static struct work_struct works[N];
	struct cmwq_wq_stats st;
	int i;

	harness_watchdog(30);
	CHECK(wq);
	for (i = 0; i < N; i++) {
		INIT_WORK(&works[i], count_fn);
		CHECK(queue_work(wq, &works[i]));
	}
	flush_workqueue(wq);
	CHECK_EQ(atomic_load(&ran), N);
	/* Starts the observer now, if the manager has not yet. */
	cmwq_stats_sample_cpu(true);
	cmwq_stats_sample_cpu(false);
	CHECK(cmwq_get_wq_stats(wq, &st) == 0);
	CHECK_EQ(st.items_completed, N);
	if (ready_fd >= 0) {
		CHECK(write(ready_fd, "r", 1) == 1);
		for (;;)
			pause();
	}
	destroy_workqueue(wq);
	return 0;
}

/* Become nobody, for good.  false when this system cannot. */
static bool become_nobody(void)
{
	return setgroups(0, NULL) == 0 &&
	       setresgid(NOBODY, NOBODY, NOBODY) == 0 &&
	       setresuid(NOBODY, NOBODY, NOBODY) == 0;
}

/*
 * A process that waits for a byte on a pipe, then execs the victim with
 * its stderr in @err_fd.  Returns its pid; *@go is the pipe's end.
 */
static pid_t start_victim(int *go, int err_fd, int ready_fd)
{
	int fds[2];
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		char fdbuf[16], c;
		char *argv[] = { "/proc/self/exe", "victim", fdbuf, NULL };

		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(3);
		snprintf(fdbuf, sizeof(fdbuf), "%d", ready_fd);
		dup2(err_fd, 2);
		execv(argv[0], argv);
		_exit(4);
	}
	close(fds[0]);
	*go = fds[1];
	return pid;
}

enum plant { PLANT_FILE, PLANT_SYMLINK, PLANT_COUNTERS };

/* As nobody, put something at /dev/shm/cmwq.@pid.  0, or 77 to skip. */
static int plant(pid_t pid, enum plant what, const char *target,
		 unsigned long long start)
{
	pid_t helper = fork();
	int status;

	CHECK(helper >= 0);
	if (!helper) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		size_t size = (page + (size_t)cmwq_shm_snap_size(0) + page - 1) /
			      page * page;
		char path[64], *buf = calloc(1, size);
		int fd;

		if (!buf || !become_nobody())
			_exit(77);
		shm_path(path, sizeof(path), pid);
		if (what == PLANT_SYMLINK)
			_exit(symlink(target, path) == 0 ? 0 : 1);
		fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			_exit(1);
		if (what == PLANT_FILE) {
			memset(buf, 'X', 4096);
			size = 4096;
			if (fchmod(fd, 0666) < 0)
				_exit(1);
		} else {
			struct cmwq_shm_ctl *ctl = (void *)buf;

			fake_ctl(ctl, pid, start, size);
			/* Answers every request at once; no pools. */
			atomic_store(&ctl->done, 0x7fffffffu);
		}
		_exit(write(fd, buf, size) == (ssize_t)size ? 0 : 1);
	}
	CHECK(waitpid(helper, &status, 0) == helper);
	CHECK(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		return 77;
	CHECK_EQ(WEXITSTATUS(status), 0);
	return 0;
}

/* How many lines of @text contain @what. */
static int count_lines(const char *text, const char *what)
{
	const char *line = text;
	int n = 0;

	while (*line) {
		const char *end = strchrnul(line, '\n');
		char *copy = strndup(line, (size_t)(end - line));

		CHECK(copy);
		n += strstr(copy, what) != NULL;
		free(copy);
		line = *end ? end + 1 : end;
	}
	return n;
}

static char *read_all(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *buf;

	CHECK(len >= 0);
	buf = calloc(1, (size_t)len + 1);
	CHECK(buf);
	CHECK(pread(fd, buf, (size_t)len, 0) == (ssize_t)len);
	return buf;
}

/* Plant @what for a new victim, run it to its end; its stderr. */
static char *run_victim(enum plant what, const char *target, pid_t *pidp,
			int *skip)
{
	char tmpl[] = "/tmp/cmwq-takeover-errXXXXXX";
	int err_fd = mkstemp(tmpl), go, status;
	char *err;
	pid_t pid;

	CHECK(err_fd >= 0);
	unlink(tmpl);
	pid = start_victim(&go, err_fd, -1);
	*skip = plant(pid, what, target, 0);
	if (*skip) {
		close(go);
		waitpid(pid, NULL, 0);
		close(err_fd);
		return NULL;
	}
	CHECK(write(go, "g", 1) == 1);
	close(go);
	CHECK(waitpid(pid, &status, 0) == pid);
	err = read_all(err_fd);
	close(err_fd);
	fprintf(stderr, "test: victim %d said: %s", (int)pid, err);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	*pidp = pid;
	return err;
}

static void check_one_warning(const char *err, pid_t pid)
{
	char name[64];

	shm_path(name, sizeof(name), pid);
	CHECK_EQ(count_lines(err, name), 1);
	CHECK_EQ(count_lines(err, "belongs to uid 65534"), 1);
}

int main(int argc, char **argv)
{
	char path[64], *err;
	struct stat st;
	pid_t pid;
	int skip, i;

	if (argc == 3 && !strcmp(argv[1], "victim"))
		return victim(atoi(argv[2]));
	harness_watchdog(60);
	if (geteuid() != 0) {
		fprintf(stderr, "test: needs root to play another user; "
				"skipped\n");
		return HARNESS_SKIP;
	}
	unsetenv("CMWQ_OBSERVE");

	/* A file of nobody's, mode 0666, where the victim's will be. */
	err = run_victim(PLANT_FILE, NULL, &pid, &skip);
	if (skip) {
		fprintf(stderr, "test: cannot become nobody; skipped\n");
		return HARNESS_SKIP;
	}
	check_one_warning(err, pid);
	free(err);
	shm_path(path, sizeof(path), pid);
	CHECK(lstat(path, &st) == 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_uid, NOBODY);
	CHECK_EQ(st.st_size, 4096); /* not truncated, not resized */
	{
		char buf[4096];
		int fd = open(path, O_RDONLY);

		CHECK(fd >= 0);
		CHECK(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
		close(fd);
		for (i = 0; i < 4096; i++)
			CHECK(buf[i] == 'X');
	}
	unlink(path);

	/* A symbolic link to a file of root's: not followed. */
	{
		char target[] = "/tmp/cmwq-takeover-targetXXXXXX";
		int fd = mkstemp(target);
		char buf[16] = "";

		CHECK(fd >= 0);
		CHECK(write(fd, "precious", 8) == 8);
		close(fd);
		err = run_victim(PLANT_SYMLINK, target, &pid, &skip);
		CHECK(!skip);
		check_one_warning(err, pid);
		free(err);
		shm_path(path, sizeof(path), pid);
		CHECK(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
		CHECK(stat(target, &st) == 0);
		CHECK_EQ(st.st_size, 8);
		fd = open(target, O_RDONLY);
		CHECK(fd >= 0);
		CHECK(read(fd, buf, sizeof(buf)) == 8);
		close(fd);
		CHECK(!memcmp(buf, "precious", 8));
		unlink(path);
		unlink(target);
	}

	/* Counters that look right, but nobody's: root's monitors refuse. */
	{
		char tmpl[] = "/tmp/cmwq-takeover-errXXXXXX";
		int err_fd = mkstemp(tmpl), ready[2], go, status;
		char pidbuf[16], c, *out, *terr;
		char *top_argv[] = { CMWQ_TOP, "-1", "-j", pidbuf, NULL };
		char *dump_argv[] = { CMWQ_DUMP, pidbuf, NULL };

		CHECK(err_fd >= 0);
		unlink(tmpl);
		CHECK(pipe(ready) == 0);
		pid = start_victim(&go, err_fd, ready[1]);
		close(ready[1]);
		CHECK(!plant(pid, PLANT_COUNTERS, NULL, test_starttime(pid)));
		CHECK(write(go, "g", 1) == 1);
		close(go);
		CHECK(read(ready[0], &c, 1) == 1);
		close(ready[0]);
		snprintf(pidbuf, sizeof(pidbuf), "%d", (int)pid);

		run_capture(top_argv, &out, &terr, &status);
		fprintf(stderr, "test: cmwq-top: %s%s", out, terr);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		CHECK(strstr(terr, "belongs to uid 65534"));
		CHECK(!out[0]);
		free(out);
		free(terr);

		run_capture(dump_argv, &out, &terr, &status);
		fprintf(stderr, "test: cmwq-dump: %s%s", out, terr);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		CHECK(strstr(terr, "belongs to uid 65534"));
		CHECK(!out[0]);
		free(out);
		free(terr);

		kill_wait(pid);
		err = read_all(err_fd);
		close(err_fd);
		check_one_warning(err, pid);
		free(err);
		shm_path(path, sizeof(path), pid);
		CHECK(lstat(path, &st) == 0 && st.st_uid == NOBODY);
		unlink(path);
	}
	return 0;
}
