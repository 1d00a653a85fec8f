// SPDX-License-Identifier: MIT
/*
 * shm_client.c - attaching to the counters a cmwq process publishes
 *
 * Page 0 of /dev/shm/cmwq.<pid> is mapped read-write (it holds only the
 * request futex words), the snapshot read-only.  No ptrace, nothing asked
 * of the program itself: its observer thread answers.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "shm_client.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

int shm_client_attach(struct shm_client *c, pid_t pid, char *err, size_t errlen)
{
	long page = sysconf(_SC_PAGESIZE);
	char path[64];
	struct stat st;
	void *ctl, *snap;
	int fd, e;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), CMWQ_SHM_DIR CMWQ_SHM_PREFIX "%d",
		 (int)pid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT && kill(pid, 0) < 0 && errno == ESRCH)
			snprintf(err, errlen, "no process %d", (int)pid);
		else if (e == ENOENT)
			snprintf(err, errlen,
				 "process %d publishes no cmwq counters (not "
				 "linked with cmwq, no work queued yet, or "
				 "CMWQ_OBSERVE=0)",
				 (int)pid);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0 || st.st_size < 2 * page) {
		close(fd);
		snprintf(err, errlen, "%s: not a cmwq counter file", path);
		return -EINVAL;
	}
	ctl = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   0);
	snap = mmap(NULL, (size_t)st.st_size - (size_t)page, PROT_READ,
		    MAP_SHARED, fd, page);
	e = errno;
	close(fd);
	if (ctl == MAP_FAILED || snap == MAP_FAILED) {
		if (ctl != MAP_FAILED)
			munmap(ctl, (size_t)page);
		if (snap != MAP_FAILED)
			munmap(snap, (size_t)st.st_size - (size_t)page);
		snprintf(err, errlen, "%s: mmap: %s", path, strerror(e));
		return -e;
	}
	c->pid = pid;
	c->ctl = ctl;
	c->snap = snap;
	c->size = (size_t)st.st_size;
	if (__atomic_load_n(&c->ctl->magic, __ATOMIC_ACQUIRE) !=
		    CMWQ_SHM_MAGIC ||
	    c->ctl->version != CMWQ_SHM_VERSION ||
	    c->ctl->snap_offset != (uint64_t)page ||
	    cmwq_shm_snap_size(c->snap->cap_pools) > c->size - (size_t)page) {
		shm_client_detach(c);
		snprintf(err, errlen,
			 "%s: not ready, or written by another version of "
			 "cmwq",
			 path);
		return -EPROTO;
	}
	c->snap_size = (size_t)cmwq_shm_snap_size(c->snap->cap_pools);
	c->copy = malloc(c->snap_size);
	if (!c->copy) {
		shm_client_detach(c);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void futex_wait_until(_Atomic uint32_t *word, uint32_t val,
			     unsigned long long deadline)
{
	struct timespec ts = { (time_t)(deadline / 1000000000ull),
			       (long)(deadline % 1000000000ull) };

	syscall(SYS_futex, word, FUTEX_WAIT_BITSET, val, &ts, NULL,
		FUTEX_BITSET_MATCH_ANY);
}

int shm_client_refresh(struct shm_client *c, int timeout_ms)
{
	unsigned long long deadline =
		now_ns() + (unsigned long long)timeout_ms * 1000000ull;
	uint32_t req, done, seq;
	int tries;

	req = atomic_fetch_add(&c->ctl->req, 1) + 1;
	syscall(SYS_futex, &c->ctl->req, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
	for (;;) {
		done = atomic_load(&c->ctl->done);
		if ((int32_t)(done - req) >= 0)
			break;
		if (now_ns() >= deadline)
			return kill(c->pid, 0) < 0 && errno == ESRCH ?
				       -ESRCH :
				       -ETIMEDOUT;
		futex_wait_until(&c->ctl->done, done, deadline);
	}
	/* Copy under the sequence count; retry while the observer writes. */
	for (tries = 0; tries < 1000; tries++) {
		seq = atomic_load_explicit(&c->snap->seq, memory_order_acquire);
		if (seq & 1) {
			usleep(100);
			continue;
		}
		memcpy(c->copy, c->snap, c->snap_size);
		cmwq_shm_read_barrier();
		if (atomic_load_explicit(&c->snap->seq, memory_order_relaxed) ==
		    seq) {
			c->copy->seq = seq;
			return 0;
		}
	}
	return -EAGAIN;
}

void shm_client_detach(struct shm_client *c)
{
	long page = sysconf(_SC_PAGESIZE);

	if (c->ctl)
		munmap(c->ctl, (size_t)page);
	if (c->snap)
		munmap(c->snap, c->size - (size_t)page);
	free(c->copy);
	memset(c, 0, sizeof(*c));
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

/* The symbol covering @target in the ELF file at @path, into @out. */
static bool elf_symbol(const char *path, uint64_t off, uint64_t addr, char *out,
		       size_t len)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	struct stat st;
	bool found = false;
	uint64_t target;
	void *map;
	int fd, i, pass;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(*eh)) {
		close(fd);
		return false;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return false;
	eh = map;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(*sh) >
		    (uint64_t)st.st_size)
		goto out;
	/* A position-independent object: symbol values are offsets. */
	target = eh->e_type == ET_DYN ? off : addr;
	sh = (const Elf64_Shdr *)((const char *)map + eh->e_shoff);
	/* .symtab first (static functions too), then .dynsym. */
	for (pass = 0; pass < 2 && !found; pass++) {
		uint32_t want = pass ? SHT_DYNSYM : SHT_SYMTAB;

		for (i = 0; i < eh->e_shnum && !found; i++) {
			const Elf64_Sym *sym;
			const char *str;
			uint64_t n, k;

			if (sh[i].sh_type != want ||
			    sh[i].sh_link >= eh->e_shnum ||
			    sh[i].sh_offset + sh[i].sh_size >
				    (uint64_t)st.st_size ||
			    sh[sh[i].sh_link].sh_offset +
					    sh[sh[i].sh_link].sh_size >
				    (uint64_t)st.st_size)
				continue;
			sym = (const Elf64_Sym *)((const char *)map +
						  sh[i].sh_offset);
			str = (const char *)map + sh[sh[i].sh_link].sh_offset;
			n = sh[i].sh_size / sizeof(*sym);
			for (k = 0; k < n; k++) {
				if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC ||
				    target < sym[k].st_value ||
				    target >= sym[k].st_value +
						      (sym[k].st_size ?
							       sym[k].st_size :
							       1) ||
				    sym[k].st_name >= sh[sh[i].sh_link].sh_size)
					continue;
				snprintf(out, len, "%s", str + sym[k].st_name);
				found = true;
				break;
			}
		}
	}
out:
	munmap(map, (size_t)st.st_size);
	return found;
}

void shm_client_resolve(struct shm_client *c)
{
	struct cmwq_shm_worker *w = cmwq_shm_workers(c->copy);
	char maps[64], line[4096];
	uint32_t i;
	FILE *f;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)c->pid);
	for (i = 0; i < c->copy->nr_workers; i++) {
		if (!w[i].func_addr || w[i].func[0] || !w[i].module[0])
			continue;
		f = fopen(maps, "r");
		if (!f)
			return;
		while (fgets(line, sizeof(line), f)) {
			char *path = strchr(line, '/'), *base;

			if (!path)
				continue;
			path[strcspn(path, "\n")] = '\0';
			base = strrchr(path, '/') + 1;
			if (strcmp(base, w[i].module))
				continue;
			if (elf_symbol(path, w[i].func_off, w[i].func_addr,
				       w[i].func, sizeof(w[i].func)))
				break;
		}
		fclose(f);
	}
}

pid_t shm_client_pick_pid(const char *prog, int argc, char **argv,
			  int optind, int (*several_hint)(void))
{
	pid_t pids[2];
	int n;

	if (optind < argc)
		return (pid_t)strtol(argv[optind], NULL, 10);
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
