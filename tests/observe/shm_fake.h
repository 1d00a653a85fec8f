/* SPDX-License-Identifier: MIT */
/*
 * shm_fake.h - what the tests of /dev/shm/cmwq.PID share: writing a file
 * by hand, a process's start time (parsed here, independently of the
 * library's parser), running a program and capturing its output
 */
#ifndef CMWQ_TEST_SHM_FAKE_H
#define CMWQ_TEST_SHM_FAKE_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "shm.h"

extern char **environ;

static inline void shm_path(char *buf, size_t size, pid_t pid)
{
	snprintf(buf, size, CMWQ_SHM_DIR CMWQ_SHM_PREFIX "%d", (int)pid);
}

static inline bool shm_exists(pid_t pid)
{
	char path[64];
	struct stat st;

	shm_path(path, sizeof(path), pid);
	return lstat(path, &st) == 0;
}

static inline void shm_remove(pid_t pid)
{
	char path[64];

	shm_path(path, sizeof(path), pid);
	unlink(path);
}

/* Field 22 of /proc/PID/stat: after the last ')', the 20th field. */
static inline unsigned long long test_starttime(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	CHECK(f);
	CHECK(fgets(buf, sizeof(buf), f));
	fclose(f);
	p = strrchr(buf, ')');
	CHECK(p);
	p += 2;
	for (i = 0; i < 19; i++) {
		p = strchr(p, ' ');
		CHECK(p);
		p++;
	}
	CHECK(sscanf(p, "%llu", &start) == 1);
	return start;
}

/* The page 0 a real process writes, for @pid started at @start. */
static inline void fake_ctl(struct cmwq_shm_ctl *ctl, pid_t pid,
			    unsigned long long start, size_t size)
{
	memset(ctl, 0, sizeof(*ctl));
	ctl->magic = CMWQ_SHM_MAGIC;
	ctl->version = CMWQ_SHM_VERSION;
	ctl->pid = (int32_t)pid;
	ctl->snap_offset = (uint64_t)sysconf(_SC_PAGESIZE);
	ctl->size = size;
	ctl->starttime = start;
}

/*
 * Write /dev/shm/cmwq.@pid with @len bytes of @data (replacing any file of
 * that name), mode @mode.  Returns nothing; a failure fails the test.
 */
static inline void shm_write(pid_t pid, const void *data, size_t len,
			     mode_t mode)
{
	char path[64];
	int fd;

	shm_path(path, sizeof(path), pid);
	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK(fchmod(fd, mode) == 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

/* A file with a valid page 0 and nothing after it but zeros. */
static inline void shm_write_ctl(pid_t pid, unsigned long long start)
{
	size_t size = 2 * (size_t)sysconf(_SC_PAGESIZE);
	char *buf = calloc(1, size);

	CHECK(buf);
	fake_ctl((struct cmwq_shm_ctl *)buf, pid, start, size);
	shm_write(pid, buf, size, 0600);
	free(buf);
}

/* A child that does nothing until killed: a live pid. */
static inline pid_t spawn_idle(void)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (!pid) {
		/* Gone with the test, even when the test aborts. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return pid;
}

/* A pid that was a process and is no more (reaped). */
static inline pid_t dead_pid(void)
{
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (!pid)
		_exit(0);
	CHECK(waitpid(pid, NULL, 0) == pid);
	return pid;
}

static inline void kill_wait(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * Run @argv to the end; its stdout and stderr (malloc'd, NUL-terminated)
 * into @out and @err, its wait status into @status.
 */
static inline void run_capture(char *const argv[], char **out, char **err,
			       int *status)
{
	char tmpl_out[] = "/tmp/cmwq-test-outXXXXXX";
	char tmpl_err[] = "/tmp/cmwq-test-errXXXXXX";
	posix_spawn_file_actions_t fa;
	int fds[2] = { mkstemp(tmpl_out), mkstemp(tmpl_err) };
	char **bufs[2] = { out, err };
	pid_t pid;
	int i;

	CHECK(fds[0] >= 0 && fds[1] >= 0);
	unlink(tmpl_out);
	unlink(tmpl_err);
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, fds[0], 1) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, fds[1], 2) == 0);
	CHECK(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	CHECK(waitpid(pid, status, 0) == pid);
	for (i = 0; i < 2; i++) {
		off_t len = lseek(fds[i], 0, SEEK_END);

		CHECK(len >= 0);
		*bufs[i] = calloc(1, (size_t)len + 1);
		CHECK(*bufs[i]);
		CHECK(pread(fds[i], *bufs[i], (size_t)len, 0) == (ssize_t)len);
		close(fds[i]);
	}
}

#endif /* CMWQ_TEST_SHM_FAKE_H */
