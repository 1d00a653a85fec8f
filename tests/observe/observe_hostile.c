// SPDX-License-Identifier: MIT
/*
 * Issue 13, defect 7: cmwq-top and cmwq-dump treat a target's
 * /dev/shm/cmwq.PID as untrusted input.  Garbage, truncated files, fields
 * out of range, strings without an end or full of terminal escapes, the
 * wrong kind of file, and a file that shrinks while the monitor waits: each
 * gives a clear error (exit 1) or clean output, never a crash.
 *
 * The files are written for the pid of an idle child of this test, which
 * is alive and this user's, as a real target would be; the test answers
 * for the observer by storing a done word far ahead of any request.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sys/mman.h>

#include "shm_fake.h"

#define SHM_CLIENT_MAX_FILE_TEST (300ull << 20)

static pid_t target;
static char target_str[16];
static size_t page, file_size;
static const uint32_t cap = 4;

/* A file a live process could have written: 2 workqueues, pools, workers. */
static char *valid_file(void)
{
	char *buf;
	struct cmwq_shm_snap *s;
	struct cmwq_shm_wq *q;
	struct cmwq_shm_pool *p;
	struct cmwq_shm_worker *w;

	file_size = (page + (size_t)cmwq_shm_snap_size(cap) + page - 1) / page *
		    page;
	buf = calloc(1, file_size);
	CHECK(buf);
	fake_ctl((struct cmwq_shm_ctl *)buf, target, test_starttime(target),
		 file_size);
	atomic_store(&((struct cmwq_shm_ctl *)buf)->done, 0x7fffffffu);
	s = (struct cmwq_shm_snap *)(buf + page);
	s->cap_pools = cap;
	s->nr_wqs = 2;
	s->nr_pools = 2;
	s->nr_workers = 2;
	s->nr_cpus = 2;
	strcpy(s->comm, "hostile");
	q = cmwq_shm_wqs(s);
	strcpy(q[0].name, "good_wq");
	q[0].started = 5;
	strcpy(q[1].name, "other_wq");
	p = cmwq_shm_pools(s);
	strcpy(p[0].name, "kworker/0");
	p[0].workers_created = 1;
	p[1].id = 1;
	p[1].cpu = -1;
	strcpy(p[1].name, "kworker/u4");
	p[1].workers_created = 1;
	w = cmwq_shm_workers(s);
	strcpy(w[0].name, "kworker/0:0");
	w[0].tid = target;
	strcpy(w[1].name, "kworker/u4:0");
	w[1].pool = 1;
	return buf;
}

static struct cmwq_shm_snap *snap_of(char *buf)
{
	return (struct cmwq_shm_snap *)(buf + page);
}

static struct cmwq_shm_ctl *ctl_of(char *buf)
{
	return (struct cmwq_shm_ctl *)buf;
}

/*
 * Run a monitor on the file now in place: it must exit (not die) with
 * @want, and say why on stderr when it fails.  Its stdout, malloc'd.
 */
static char *monitor(const char *what, int want, char *const argv[])
{
	char *out, *err;
	int status;

	run_capture(argv, &out, &err, &status);
	fprintf(stderr, "test: %s: %s: exit %d%s%s", what, argv[0],
		WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		err[0] ? ": " : "\n", err);
	CHECK(WIFEXITED(status));
	CHECK(!strstr(err, "Sanitizer") && !strstr(err, "runtime error"));
	CHECK_EQ(WEXITSTATUS(status), want);
	if (want)
		CHECK(!strncmp(err, "cmwq-top: ", 10) ||
		      !strncmp(err, "cmwq-dump: ", 11));
	free(err);
	return out;
}

/* Both monitors on @len bytes of @buf as the target's file. */
static void both(const char *what, const void *buf, size_t len, int want)
{
	char *top_argv[] = { CMWQ_TOP, "-1", target_str, NULL };
	char *json_argv[] = { CMWQ_TOP, "-1", "-j", target_str, NULL };
	char *dump_argv[] = { CMWQ_DUMP, target_str, NULL };
	char *out;

	shm_write(target, buf, len, 0600);
	free(monitor(what, want, top_argv));
	shm_write(target, buf, len, 0600);
	free(monitor(what, want, json_argv));
	shm_write(target, buf, len, 0600);
	out = monitor(what, want, dump_argv);
	free(out);
}

/* Only printable text and newlines: nothing for a terminal to obey. */
static void check_printable(const char *out)
{
	for (; *out; out++)
		CHECK(*out == '\n' || ((unsigned char)*out >= 0x20 &&
					(unsigned char)*out < 0x7f));
}

/* Strings with no end, escapes, states and offsets nobody writes. */
static void hostile_strings(void)
{
	char *buf = valid_file(), *out, name[64];
	struct cmwq_shm_snap *s = snap_of(buf);
	struct cmwq_shm_worker *w = cmwq_shm_workers(s);
	struct cmwq_shm_pool *p = cmwq_shm_pools(s);
	struct cmwq_shm_wq *q = cmwq_shm_wqs(s);
	char *top_argv[] = { CMWQ_TOP, "-1", target_str, NULL };
	char *json_argv[] = { CMWQ_TOP, "-1", "-j", target_str, NULL };
	char *dump_argv[] = { CMWQ_DUMP, target_str, NULL };
	char *dump_w_argv[] = { CMWQ_DUMP, "-w", name, target_str, NULL };

	memset(q[0].name, 'A', sizeof(q[0].name)); /* no NUL */
	memset(name, 'A', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(q[1].name, "\033[2J\033]0;owned\007", 15);
	memset(s->comm, 0xff, sizeof(s->comm));
	memset(p[0].name, '\n', sizeof(p[0].name));
	p[0].cpu = -5;
	memset(p[0].cpumask, 0xff, sizeof(p[0].cpumask));
	memset(w[0].name, 'B', sizeof(w[0].name));
	memset(w[0].desc, '\033', sizeof(w[0].desc));
	memset(w[0].wq, 'C', sizeof(w[0].wq));
	memset(w[0].module, 'D', sizeof(w[0].module));
	w[0].func_addr = 0xdeadbeef;
	w[0].state = 99;
	strcpy(w[1].module, "libc.so.6"); /* look it up: harmless */
	w[1].func_addr = 1;
	w[1].func_off = ~0ull;
	w[1].state = CMWQ_SHM_RUNNING;

	shm_write(target, buf, file_size, 0600);
	out = monitor("hostile strings", 0, top_argv);
	check_printable(out);
	CHECK(strstr(out, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")); /* 32 shown */
	free(out);
	out = monitor("hostile strings", 0, json_argv);
	check_printable(out);
	CHECK(strstr(out, name));
	free(out);
	out = monitor("hostile strings", 0, dump_argv);
	check_printable(out);
	free(out);
	/* The 64 A's with no end read as 63 A's: -w finds them. */
	out = monitor("hostile strings", 0, dump_w_argv);
	check_printable(out);
	CHECK(strstr(out, name));
	free(out);
	free(buf);
}

/* Truncated under the monitor while it waits for an answer. */
static void shrinks_while_waiting(void)
{
	char *buf = valid_file(), path[64];
	char *argv[] = { CMWQ_TOP, "-1", target_str, NULL };
	int status, fd;
	pid_t pid;

	atomic_store(&ctl_of(buf)->done, 0); /* nobody answers */
	shm_write(target, buf, file_size, 0600);
	CHECK(posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) == 0);
	harness_sleep_ms(300);
	shm_path(path, sizeof(path), target);
	fd = open(path, O_RDWR);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 0) == 0);
	close(fd);
	CHECK(waitpid(pid, &status, 0) == pid);
	fprintf(stderr, "test: shrinks while waiting: exit %d\n",
		WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	free(buf);
}

/* Files that are not regular files of the target's. */
static void wrong_kinds(void)
{
	char *top_argv[] = { CMWQ_TOP, "-1", target_str, NULL };
	char *buf = valid_file(), path[64];
	char *out, *err;
	int status;

	shm_path(path, sizeof(path), target);

	shm_write(target, buf, file_size, 0666);
	run_capture(top_argv, &out, &err, &status);
	fprintf(stderr, "test: mode 0666: %s", err);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	CHECK(strstr(err, "writable by other users"));
	free(out);
	free(err);

	shm_remove(target);
	CHECK(symlink("/etc/passwd", path) == 0);
	run_capture(top_argv, &out, &err, &status);
	fprintf(stderr, "test: symlink: %s", err);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	CHECK(strstr(err, "symbolic link"));
	free(out);
	free(err);

	shm_remove(target);
	CHECK(mkfifo(path, 0600) == 0);
	run_capture(top_argv, &out, &err, &status);
	fprintf(stderr, "test: fifo: %s", err);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	free(out);
	free(err);

	shm_remove(target);
	CHECK(mkdir(path, 0700) == 0);
	run_capture(top_argv, &out, &err, &status);
	fprintf(stderr, "test: directory: %s", err);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	free(out);
	free(err);
	CHECK(rmdir(path) == 0);

	/* Too large to be ours (sparse: costs no memory). */
	{
		int fd;

		shm_write(target, buf, file_size, 0600);
		fd = open(path, O_RDWR);
		CHECK(fd >= 0);
		CHECK(ftruncate(fd, (off_t)SHM_CLIENT_MAX_FILE_TEST) == 0);
		close(fd);
		run_capture(top_argv, &out, &err, &status);
		fprintf(stderr, "test: huge: %s", err);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		free(out);
		free(err);
	}
	free(buf);
}

int main(void)
{
	char *buf, junk[65536];
	unsigned int seed = 12345;
	size_t i;
	int round;

	harness_watchdog(110);
	page = (size_t)sysconf(_SC_PAGESIZE);
	target = spawn_idle();
	snprintf(target_str, sizeof(target_str), "%d", (int)target);

	/* The base file is good: both monitors show it. */
	buf = valid_file();
	both("valid", buf, file_size, 0);

	/* Short files: not ready, then given up on (2 s). */
	both("empty", buf, 0, 1);
	both("half a header", buf, sizeof(struct cmwq_shm_ctl) / 2, 1);
	both("one page", buf, page, 1);
	both("cut in the snapshot", buf, page + 100, 1);
	both("cut in the records", buf, file_size - page, 1);

	/* Page 0 wrong, one field at a time. */
	ctl_of(buf)->magic ^= 1;
	both("magic", buf, file_size, 1);
	ctl_of(buf)->magic ^= 1;
	ctl_of(buf)->version = 99;
	both("version", buf, file_size, 1);
	ctl_of(buf)->version = CMWQ_SHM_VERSION;
	ctl_of(buf)->pid = target + 1;
	both("pid", buf, file_size, 1);
	ctl_of(buf)->pid = target;
	ctl_of(buf)->snap_offset = 8;
	both("snapshot offset", buf, file_size, 1);
	ctl_of(buf)->snap_offset = page;
	ctl_of(buf)->size = ~0ull;
	both("size", buf, file_size, 1);
	ctl_of(buf)->size = file_size;
	ctl_of(buf)->starttime++;
	both("start time", buf, file_size, 1);
	ctl_of(buf)->starttime--;

	/* The snapshot's counts out of range. */
	snap_of(buf)->cap_pools = 0xffffffffu;
	both("cap_pools", buf, file_size, 1);
	snap_of(buf)->cap_pools = cap;
	snap_of(buf)->nr_wqs = 0xffffffffu;
	both("nr_wqs", buf, file_size, 1);
	snap_of(buf)->nr_wqs = CMWQ_SHM_MAX_WQS + 1;
	both("nr_wqs + 1", buf, file_size, 1);
	snap_of(buf)->nr_wqs = 2;
	snap_of(buf)->nr_pools = cap + 1;
	both("nr_pools", buf, file_size, 1);
	snap_of(buf)->nr_pools = 2;
	snap_of(buf)->nr_workers = CMWQ_SHM_MAX_WORKERS + 1;
	both("nr_workers", buf, file_size, 1);
	snap_of(buf)->nr_workers = 2;
	/* Written forever: the sequence count stays odd. */
	atomic_store(&snap_of(buf)->seq, 1);
	both("seq odd", buf, file_size, 1);
	atomic_store(&snap_of(buf)->seq, 0);
	both("valid again", buf, file_size, 0);

	/* Noise: whole files of it, and noise over a good header. */
	for (round = 0; round < 4; round++) {
		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (char)rand_r(&seed);
		both("noise", junk, sizeof(junk), 1);
		memcpy(junk, buf, sizeof(struct cmwq_shm_ctl));
		both("noise after a good header", junk, sizeof(junk), 1);
	}

	/* Noise in every record, counts in range: clean output. */
	for (round = 0; round < 4; round++) {
		char *noisy = valid_file(), *out;
		struct cmwq_shm_snap *ns = snap_of(noisy);
		char *argvs[3][5] = {
			{ CMWQ_TOP, "-1", target_str, NULL },
			{ CMWQ_TOP, "-1", "-j", target_str, NULL },
			{ CMWQ_DUMP, target_str, NULL },
		};
		int k;

		for (i = page + sizeof(*ns); i < file_size; i++)
			noisy[i] = (char)rand_r(&seed);
		ns->nr_wqs = CMWQ_SHM_MAX_WQS;
		ns->nr_pools = cap;
		ns->nr_workers = CMWQ_SHM_MAX_WORKERS;
		for (k = 0; k < 3; k++) {
			shm_write(target, noisy, file_size, 0600);
			out = monitor("noise in the records", 0, argvs[k]);
			check_printable(out);
			free(out);
		}
		free(noisy);
	}

	hostile_strings();
	wrong_kinds();
	shrinks_while_waiting();

	shm_remove(target);
	kill_wait(target);
	free(buf);
	return 0;
}
