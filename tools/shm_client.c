// SPDX-License-Identifier: MIT
/*
 * shm_client.c - attaching to the counters a cmwq process publishes
 *
 * Page 0 of /dev/shm/cmwq.<pid> is mapped read-write (it holds only the
 * request futex words); the snapshot is read with pread() into a private
 * copy.  No ptrace, nothing asked of the program itself: its observer
 * thread answers.  The file is untrusted (see shm_client.h).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "shm_client.h"
#include "parse_num.h"
#include "elf_sym.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/*
 * The owner of the file may shrink it under our mapping of page 0: a load
 * there then raises SIGBUS.  The few places that touch a mapping run with
 * bus_armed set and come back through bus_env instead of dying.
 */
static sigjmp_buf bus_env;
static volatile sig_atomic_t bus_armed;

static void on_sigbus(int sig)
{
	if (bus_armed) {
		bus_armed = 0;
		siglongjmp(bus_env, 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_sigbus(void)
{
	static bool installed;
	struct sigaction sa;

	if (installed)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	installed = true;
}

/* The effective and file-system uids of @pid, from /proc/PID/status. */
static int proc_uids(pid_t pid, uid_t *euid, uid_t *fsuid)
{
	char path[64], line[256];
	unsigned long r, e, s, f;
	bool found = false;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "Uid: %lu %lu %lu %lu", &r, &e, &s, &f) == 4) {
			*euid = (uid_t)e;
			*fsuid = (uid_t)f;
			found = true;
			break;
		}
	fclose(fp);
	return found ? 0 : -EIO;
}

static bool process_gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

int shm_client_attach(struct shm_client *c, pid_t pid, char *err, size_t errlen)
{
	long page = sysconf(_SC_PAGESIZE);
	struct cmwq_shm_snap head;
	struct cmwq_shm_ctl ctl;
	unsigned long long start;
	uid_t euid = (uid_t)-1, fsuid = (uid_t)-1;
	char path[64];
	struct stat st;
	void *map;
	int fd, e;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	snprintf(path, sizeof(path), CMWQ_SHM_DIR CMWQ_SHM_PREFIX "%d",
		 (int)pid);
	if (process_gone(pid)) {
		snprintf(err, errlen, "no process %d", (int)pid);
		return -ESRCH;
	}
	fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			snprintf(err, errlen,
				 "process %d publishes no cmwq counters (not "
				 "linked with cmwq, no work queued yet, or "
				 "CMWQ_OBSERVE=0)",
				 (int)pid);
		else if (e == ELOOP)
			snprintf(err, errlen,
				 "%s is a symbolic link, not a cmwq counter "
				 "file",
				 path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s: not a regular file", path);
		return -EINVAL;
	}
	/* The file must be the process's own, and no one else's to write. */
	if (proc_uids(pid, &euid, &fsuid) < 0) {
		close(fd);
		if (process_gone(pid)) {
			snprintf(err, errlen, "no process %d", (int)pid);
			return -ESRCH;
		}
		snprintf(err, errlen, "cannot tell the uid of process %d",
			 (int)pid);
		return -EPERM;
	}
	if (st.st_uid != euid && st.st_uid != fsuid) {
		close(fd);
		snprintf(err, errlen,
			 "%s belongs to uid %u, but process %d runs as uid "
			 "%u: not its counters",
			 path, (unsigned int)st.st_uid, (int)pid,
			 (unsigned int)euid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		snprintf(err, errlen,
			 "%s is writable by other users (mode %03o): not "
			 "trusted",
			 path, (unsigned int)(st.st_mode & 0777));
		return -EPERM;
	}
	if ((unsigned long long)st.st_size > SHM_CLIENT_MAX_FILE) {
		close(fd);
		snprintf(err, errlen, "%s: %lld bytes, too large", path,
			 (long long)st.st_size);
		return -EFBIG;
	}
	memset(&ctl, 0, sizeof(ctl));
	if (pread(fd, &ctl, sizeof(ctl), 0) != (ssize_t)sizeof(ctl) ||
	    !ctl.magic) {
		close(fd);
		/* Created, not filled in yet: may be ready in a moment. */
		snprintf(err, errlen, "%s: not ready", path);
		return -EAGAIN;
	}
	if (ctl.magic != CMWQ_SHM_MAGIC) {
		close(fd);
		snprintf(err, errlen, "%s: not a cmwq counter file", path);
		return -EINVAL;
	}
	if (ctl.version != CMWQ_SHM_VERSION) {
		close(fd);
		snprintf(err, errlen,
			 "%s: written by another version of cmwq (format "
			 "%u, this cmwq-top reads %u)",
			 path, ctl.version, CMWQ_SHM_VERSION);
		return -EPROTO;
	}
	if (ctl.pid != (int32_t)pid || ctl.snap_offset != (uint64_t)page ||
	    ctl.size != (uint64_t)st.st_size ||
	    (uint64_t)st.st_size < 2 * (uint64_t)page) {
		close(fd);
		snprintf(err, errlen,
			 "%s: bad header (pid %d, snapshot at %llu, size %llu "
			 "of %lld)",
			 path, (int)ctl.pid,
			 (unsigned long long)ctl.snap_offset,
			 (unsigned long long)ctl.size, (long long)st.st_size);
		return -EINVAL;
	}
	if (!cmwq_shm_proc_starttime(pid, &start) && ctl.starttime != start) {
		close(fd);
		snprintf(err, errlen,
			 "%s was left by an earlier process %d (started at "
			 "%llu, this one at %llu): stale",
			 path, (int)pid, (unsigned long long)ctl.starttime,
			 start);
		return -ESTALE;
	}
	if (pread(fd, &head, sizeof(head), page) != (ssize_t)sizeof(head) ||
	    cmwq_shm_snap_size(head.cap_pools) >
		    (uint64_t)st.st_size - (uint64_t)page) {
		close(fd);
		snprintf(err, errlen,
			 "%s: room for %u pools does not fit in %lld bytes",
			 path, head.cap_pools, (long long)st.st_size);
		return -EINVAL;
	}
	map = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   0);
	if (map == MAP_FAILED) {
		e = errno;
		close(fd);
		snprintf(err, errlen, "%s: mmap: %s", path, strerror(e));
		return -e;
	}
	c->pid = pid;
	c->fd = fd;
	c->ctl = map;
	c->page = (size_t)page;
	c->size = (size_t)st.st_size;
	c->cap_pools = head.cap_pools;
	c->snap_size = (size_t)cmwq_shm_snap_size(head.cap_pools);
	c->copy = malloc(c->snap_size);
	if (!c->copy) {
		shm_client_detach(c);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	catch_sigbus();
	return 0;
}

int shm_client_attach_wait(struct shm_client *c, pid_t pid, int wait_ms,
			   char *err, size_t errlen)
{
	unsigned long long deadline =
		now_ns() + (unsigned long long)wait_ms * 1000000ull;
	int ret;

	for (;;) {
		ret = shm_client_attach(c, pid, err, errlen);
		if ((ret != -ENOENT && ret != -EAGAIN) || now_ns() >= deadline)
			return ret;
		usleep(20000);
	}
}

static void futex_wait_until(_Atomic uint32_t *word, uint32_t val,
			     unsigned long long deadline)
{
	struct timespec ts = { (time_t)(deadline / 1000000000ull),
			       (long)(deadline % 1000000000ull) };

	syscall(SYS_futex, word, FUTEX_WAIT_BITSET, val, &ts, NULL,
		FUTEX_BITSET_MATCH_ANY);
}

/* Bump the request word and wait until the observer says it served it. */
__attribute__((noinline)) static int ask_observer(struct shm_client *c,
						  int timeout_ms)
{
	unsigned long long deadline =
		now_ns() + (unsigned long long)timeout_ms * 1000000ull;
	uint32_t req, done;

	req = atomic_fetch_add(&c->ctl->req, 1) + 1;
	syscall(SYS_futex, &c->ctl->req, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	for (;;) {
		done = atomic_load(&c->ctl->done);
		if ((int32_t)(done - req) >= 0)
			return 0;
		if (now_ns() >= deadline)
			return process_gone(c->pid) ? -ESRCH : -ETIMEDOUT;
		futex_wait_until(&c->ctl->done, done, deadline);
	}
}

/* ask_observer(), surviving a file that shrinks meanwhile. */
static int ask_observer_guarded(struct shm_client *c, int timeout_ms)
{
	int ret;

	if (sigsetjmp(bus_env, 1))
		return -EFAULT;
	bus_armed = 1;
	ret = ask_observer(c, timeout_ms);
	bus_armed = 0;
	return ret;
}

/* Terminate @s and make it printable: no control bytes reach a terminal. */
static void clean_str(char *s, size_t size)
{
	size_t i;

	s[size - 1] = '\0';
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			s[i] = '?';
}

#define CLEAN(field) clean_str((field), sizeof(field))

/* Check the counts of a copy and clean its strings.  0 or -EBADMSG. */
static int check_copy(struct shm_client *c, char *err, size_t errlen)
{
	struct cmwq_shm_snap *s = c->copy;
	struct cmwq_shm_wq *wqs;
	struct cmwq_shm_pool *pools;
	struct cmwq_shm_worker *workers;
	uint32_t i;

	if (s->cap_pools != c->cap_pools || s->nr_wqs > CMWQ_SHM_MAX_WQS ||
	    s->nr_pools > c->cap_pools ||
	    s->nr_workers > CMWQ_SHM_MAX_WORKERS) {
		snprintf(err, errlen,
			 "corrupt snapshot: %u workqueues (at most %u), %u "
			 "pools (at most %u of %u), %u workers (at most %u)",
			 s->nr_wqs, CMWQ_SHM_MAX_WQS, s->nr_pools,
			 s->cap_pools, c->cap_pools, s->nr_workers,
			 CMWQ_SHM_MAX_WORKERS);
		return -EBADMSG;
	}
	wqs = cmwq_shm_wqs(s);
	pools = cmwq_shm_pools(s);
	workers = cmwq_shm_workers(s);
	CLEAN(s->comm);
	for (i = 0; i < s->nr_wqs; i++)
		CLEAN(wqs[i].name);
	for (i = 0; i < s->nr_pools; i++)
		CLEAN(pools[i].name);
	for (i = 0; i < s->nr_workers; i++) {
		CLEAN(workers[i].name);
		CLEAN(workers[i].desc);
		CLEAN(workers[i].func);
		CLEAN(workers[i].wq);
		CLEAN(workers[i].module);
	}
	return 0;
}

int shm_client_refresh(struct shm_client *c, int timeout_ms, char *err,
		       size_t errlen)
{
	uint32_t seq, again;
	int tries, ret;

	ret = ask_observer_guarded(c, timeout_ms);
	if (ret == -EFAULT) {
		snprintf(err, errlen, "the counter file shrank under us");
		return ret;
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s",
			 ret == -ESRCH ? "process exited" :
					 "no answer from the process");
		return ret;
	}
	/* Copy under the sequence count; retry while the observer writes. */
	for (tries = 0; tries < 1000; tries++) {
		if (pread(c->fd, &seq, sizeof(seq), (off_t)c->page) !=
		    (ssize_t)sizeof(seq))
			break;
		if (seq & 1) {
			usleep(100);
			continue;
		}
		cmwq_shm_read_barrier();
		if (pread(c->fd, c->copy, c->snap_size, (off_t)c->page) !=
		    (ssize_t)c->snap_size)
			break;
		cmwq_shm_read_barrier();
		if (pread(c->fd, &again, sizeof(again), (off_t)c->page) !=
		    (ssize_t)sizeof(again))
			break;
		if (again == seq) {
			c->copy->seq = seq;
			return check_copy(c, err, errlen);
		}
	}
	if (tries < 1000) {
		snprintf(err, errlen, "the counter file shrank under us");
		return -EIO;
	}
	snprintf(err, errlen, "the snapshot kept changing while read");
	return -EAGAIN;
}

void shm_client_detach(struct shm_client *c)
{
	if (c->ctl)
		munmap(c->ctl, c->page);
	if (c->fd >= 0)
		close(c->fd);
	free(c->copy);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

int shm_client_list(pid_t *pids, int max)
{
	size_t plen = strlen(CMWQ_SHM_PREFIX) - 1;
	DIR *dir = opendir(CMWQ_SHM_DIR);
	struct dirent *de;
	int n = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir)) && n < max) {
		char *end;
		long pid;

		if (strncmp(de->d_name, &CMWQ_SHM_PREFIX[1], plen))
			continue;
		pid = strtol(de->d_name + plen, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			continue; /* left behind by a killed process */
		pids[n++] = (pid_t)pid;
	}
	closedir(dir);
	return n;
}

struct elf_query {
	const char *map;
	uint64_t size, off, addr;
	char *out;
	size_t len;
};

/* elf_find(), failing instead of dying when the file shrinks meanwhile. */
static bool elf_find_guarded(const struct elf_query *q)
{
	bool found;

	if (sigsetjmp(bus_env, 1))
		return false;
	bus_armed = 1;
	found = cmwq_elf_find_func(q->map, q->size, q->off, q->addr, q->out,
				   q->len);
	bus_armed = 0;
	return found;
}

/*
 * The symbol covering @addr in the ELF file at @path (inode @ino, as the
 * process's maps say), into @out.  The file is the target's, so untrusted:
 * only a regular file, bounds-checked, and a file that shrinks while
 * mapped (SIGBUS) only fails the look-up.
 */
static bool elf_symbol(const char *path, unsigned long ino, uint64_t off,
		       uint64_t addr, char *out, size_t len)
{
	struct elf_query q = { .off = off, .addr = addr, .out = out,
			       .len = len };
	struct stat st;
	bool found;

	/* No device or FIFO is ever opened: look before opening. */
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long)st.st_ino != ino)
		return false;
	/* Checked again on the open file: the same inode, a regular file. */
	q.map = cmwq_elf_map_fd(open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
						   O_NOCTTY | O_CLOEXEC),
				ino, &q.size);
	if (!q.map)
		return false;
	found = elf_find_guarded(&q);
	munmap((void *)q.map, (size_t)q.size);
	return found;
}

void shm_client_resolve(struct shm_client *c)
{
	struct cmwq_shm_worker *w = cmwq_shm_workers(c->copy);
	char maps[64], line[4096];
	uint32_t i;
	FILE *f;

	catch_sigbus();
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)c->pid);
	for (i = 0; i < c->copy->nr_workers; i++) {
		if (!w[i].func_addr || w[i].func[0] || !w[i].module[0])
			continue;
		f = fopen(maps, "r");
		if (!f)
			return;
		while (fgets(line, sizeof(line), f)) {
			char *path = strchr(line, '/'), *base;
			unsigned long ino;

			/* address perms offset dev inode path */
			if (!path || sscanf(line, "%*s %*s %*s %*s %lu",
					    &ino) != 1)
				continue;
			path[strcspn(path, "\n")] = '\0';
			base = strrchr(path, '/') + 1;
			if (strcmp(base, w[i].module))
				continue;
			if (elf_symbol(path, ino, w[i].func_off,
				       w[i].func_addr, w[i].func,
				       sizeof(w[i].func)))
				break;
		}
		fclose(f);
		CLEAN(w[i].func);
	}
}

pid_t shm_client_pick_pid(const char *prog, int argc, char **argv,
			  int optind, int (*several_hint)(void))
{
	unsigned long val;
	pid_t pids[2];
	int n;

	if (optind < argc - 1) {
		fprintf(stderr, "%s: one PID at most ('%s' is one too many)\n"
				"Try '%s --help'.\n",
			prog, argv[optind + 1], prog);
		return -2;
	}
	if (optind < argc) {
		if (parse_ulong(prog, "PID", argv[optind], 1, INT32_MAX, &val))
			return -2;
		return (pid_t)val;
	}
	n = shm_client_list(pids, 2);
	if (n == 1)
		return pids[0];
	fprintf(stderr, "%s: %s; give a PID\n", prog,
		n ? "several processes publish counters" :
		    "no process publishes cmwq counters");
	if (n && several_hint)
		several_hint();
	return -1;
}
