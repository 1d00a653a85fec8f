// SPDX-License-Identifier: MIT
/*
 * shm_format.c - the text of a snapshot: pools, workers, workqueues; and
 * the clean-up of the files dead processes left in /dev/shm
 *
 * Shared by show_all_workqueues() in the library and by cmwq-dump, which
 * reads the snapshot another process published, and by the library's
 * observer and cmwq-top, which both remove stale files at start-up.  Only
 * uses shm.h and libc.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "shm.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* WQ_* flag values, as include/cmwq/workqueue.h defines them. */
#include <cmwq/workqueue.h>

static const char *state_name(uint32_t state)
{
	switch (state) {
	case CMWQ_SHM_IDLE:
		return "idle";
	case CMWQ_SHM_RUNNING:
		return "running";
	case CMWQ_SHM_BLOCKED:
		return "blocked";
	case CMWQ_SHM_CPU_HOG:
		return "cpu-hog";
	case CMWQ_SHM_CPU_INTENSIVE:
		return "cpu-intensive";
	default:
		return "busy";
	}
}

/* "0-3,6" for a CPU mask; "all" for an empty one. */
static void format_mask(const uint64_t *mask, char *buf, size_t size)
{
	size_t len = 0;
	int cpu, start = -1;

	buf[0] = '\0';
	for (cpu = 0; cpu <= CMWQ_SHM_MASK_WORDS * 64; cpu++) {
		bool in = cpu < CMWQ_SHM_MASK_WORDS * 64 &&
			  (mask[cpu / 64] >> (cpu % 64)) & 1;

		if (in && start < 0)
			start = cpu;
		if (!in && start >= 0) {
			int n;

			if (start == cpu - 1)
				n = snprintf(buf + len, size - len, "%s%d",
					     len ? "," : "", start);
			else
				n = snprintf(buf + len, size - len, "%s%d-%d",
					     len ? "," : "", start, cpu - 1);
			if (n < 0 || (size_t)n >= size - len)
				return;
			len += (size_t)n;
			start = -1;
		}
	}
	if (!len)
		snprintf(buf, size, "all");
}

static void format_flags(uint32_t flags, char *buf, size_t size)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ WQ_BH, "BH" },
		{ WQ_UNBOUND, "UNBOUND" },
		{ WQ_FREEZABLE, "FREEZABLE" },
		{ WQ_MEM_RECLAIM, "MEM_RECLAIM" },
		{ WQ_HIGHPRI, "HIGHPRI" },
		{ WQ_CPU_INTENSIVE, "CPU_INTENSIVE" },
		{ __WQ_ORDERED, "ORDERED" },
	};
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n;

		if (!(flags & names[i].bit))
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? "|" : "",
			     names[i].name);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
	if (!len)
		snprintf(buf, size, "0");
}

static bool wq_uses_pool(const struct cmwq_shm_wq *q,
			 const struct cmwq_shm_pool *p)
{
	uint32_t i;

	if (q->flags & WQ_UNBOUND) {
		for (i = 0; i < q->nr_unbound_pools; i++)
			if (q->unbound_pools[i] == p->id)
				return true;
		return q->pool == p->id;
	}
	return p->cpu >= 0 && !!(p->highpri & 1u) == !!(q->flags & WQ_HIGHPRI) &&
	       !!(p->highpri & CMWQ_SHM_POOL_BH) == !!(q->flags & WQ_BH);
}

static const char *scope_name(unsigned int scope)
{
	static const char *const names[CMWQ_SHM_SCOPES] = {
		"default", "cpu",  "smt",    "cache",
		"cache_shard", "numa", "system",
	};

	return scope < CMWQ_SHM_SCOPES ? names[scope] : "?";
}

/*
 * The pods of each scope, as the kernel's wq_dump.py prints them: per
 * scope the number of pods, each pod's CPUs and node, each CPU's pod.
 */
static void print_scopes(FILE *f, const struct cmwq_shm_topo *t)
{
	unsigned int scope, pod, cpu, n = t->nr_cpus;
	char buf[256];

	if (n > CMWQ_SHM_TOPO_CPUS)
		n = CMWQ_SHM_TOPO_CPUS;
	fprintf(f, "\nAffinity Scopes\n");
	fprintf(f, "default %s, cache_shard_size %u, %u CPUs\n",
		scope_name(t->default_scope), t->cache_shard_size, n);
	for (scope = 1; scope < CMWQ_SHM_SCOPES; scope++) {
		unsigned int nr = t->nr_pods[scope];

		if (nr > CMWQ_SHM_TOPO_CPUS)
			nr = CMWQ_SHM_TOPO_CPUS;
		fprintf(f, "\n%s%s\n", scope_name(scope),
			scope == t->default_scope ? " (default)" : "");
		fprintf(f, "  nr_pods  %u\n  pod_cpus", nr);
		for (pod = 0; pod < nr; pod++) {
			uint64_t mask[CMWQ_SHM_MASK_WORDS] = { 0 };

			for (cpu = 0; cpu < n; cpu++)
				if (t->cpu_pod[scope][cpu] == pod)
					mask[cpu / 64] |= 1ull << (cpu % 64);
			format_mask(mask, buf, sizeof(buf));
			fprintf(f, " [%u]=%s", pod, buf);
		}
		fprintf(f, "\n  pod_node");
		for (pod = 0; pod < nr; pod++)
			fprintf(f, " [%u]=%u", pod, t->pod_node[scope][pod]);
		fprintf(f, "\n  cpu_pod ");
		for (cpu = 0; cpu < n; cpu++)
			fprintf(f, " [%u]=%u", cpu, t->cpu_pod[scope][cpu]);
		fprintf(f, "\n");
	}
}

void cmwq_shm_print_dump(FILE *f, struct cmwq_shm_snap *s, const char *only_wq)
{
	struct cmwq_shm_wq *wqs = cmwq_shm_wqs(s);
	struct cmwq_shm_pool *pools = cmwq_shm_pools(s);
	struct cmwq_shm_worker *workers = cmwq_shm_workers(s);
	const struct cmwq_shm_wq *only = NULL;
	char buf[256], pod[256];
	uint32_t i, j;

	for (i = 0; only_wq && i < s->nr_wqs; i++)
		if (!strcmp(wqs[i].name, only_wq))
			only = &wqs[i];
	if (only_wq && !only) {
		fprintf(f, "no workqueue named \"%s\"\n", only_wq);
		return;
	}

	fprintf(f, "Worker pools\n");
	fprintf(f, "%-4s %-12s %4s %4s %-8s %7s %6s %7s %6s %10s %10s  %s\n",
		"id", "name", "cpu", "nice", "cpus", "workers", "idle",
		"running", "queued", "started", "cm_wakeups", "pod");
	for (i = 0; i < s->nr_pools; i++) {
		struct cmwq_shm_pool *p = &pools[i];

		if (only && !wq_uses_pool(only, p))
			continue;
		/* Pools nothing ever used: one line would be noise. */
		if (!only && !p->workers_created && !p->nr_worklist)
			continue;
		format_mask(p->cpumask, buf, sizeof(buf));
		format_mask(p->pod_cpumask, pod, sizeof(pod));
		fprintf(f,
			"%-4d %-12s %4d %4d %-8s %7u %6u %7u %6u %10" PRIu64
			" %10" PRIu64 "  %s%s\n",
			p->id, p->name, p->cpu, p->nice,
			p->cpu >= 0 ? "-" : buf[0] ? buf : "all",
			p->nr_workers, p->nr_idle, p->nr_running,
			p->nr_worklist, p->started, p->cm_wakeups,
			p->cpu >= 0 ? "-" : pod[0] ? pod : "all",
			(p->highpri & CMWQ_SHM_POOL_STRICT) ? " strict" : "");
	}

	fprintf(f, "\nWorkers\n");
	fprintf(f, "%-20s %8s %4s %-13s %s\n", "name", "tid", "pool", "state",
		"function [object+offset] (workqueue)");
	for (i = 0; i < s->nr_workers; i++) {
		struct cmwq_shm_worker *w = &workers[i];
		char name[80];

		if (only && strcmp(w->wq, only->name))
			continue;
		if (w->desc[0])
			snprintf(name, sizeof(name), "%s+%s", w->name, w->desc);
		else
			snprintf(name, sizeof(name), "%s", w->name);
		fprintf(f, "%-20s %8d %4d %s", name, w->tid, w->pool,
			state_name(w->state));
		if (w->func_addr) {
			fprintf(f, "%*s",
				13 - (int)strlen(state_name(w->state)), "");
			fprintf(f, " %s", w->func[0] ? w->func : "?");
			if (w->module[0])
				fprintf(f, " [%s+0x%" PRIx64 "]", w->module,
					w->func_off);
			else
				fprintf(f, " [0x%" PRIx64 "]", w->func_addr);
			fprintf(f, " (%s)", w->wq);
		}
		fprintf(f, "\n");
	}

	fprintf(f, "\nWorkqueues\n");
	fprintf(f, "%-24s %-10s %6s %10s %6s %6s  %s\n", "name", "type", "max",
		"started", "infl", "inact", "flags; pools");
	for (i = 0; i < s->nr_wqs; i++) {
		struct cmwq_shm_wq *q = &wqs[i];
		const char *type;
		char flags[96];

		if (only && q != only)
			continue;
		if (q->flags & __WQ_ORDERED)
			type = "ordered";
		else if (q->flags & WQ_UNBOUND)
			type = "unbound";
		else
			type = "percpu";
		format_flags(q->flags, flags, sizeof(flags));
		fprintf(f, "%-24s %-10s %6d %10" PRIu64 " %6u %6u  %s;",
			q->name, type, q->max_active, q->started,
			q->nr_in_flight, q->nr_inactive, flags);
		for (j = 0; j < s->nr_pools; j++)
			if (wq_uses_pool(q, &pools[j]))
				fprintf(f, " %d", pools[j].id);
		if (q->has_rescuer)
			fprintf(f, " +rescuer");
		if (q->flags & WQ_UNBOUND)
			fprintf(f, "; affinity %s%s%s",
				scope_name(q->affn_scope_eff),
				q->affn_scope == WQ_AFFN_DFL ? " (default)" : "",
				q->affn_strict ? " strict" : "");
		fprintf(f, "\n");
	}
	if (!only)
		print_scopes(f, cmwq_shm_topology(s));
	if (s->truncated)
		fprintf(f, "(truncated: more pools, workers or workqueues than "
			   "the snapshot holds)\n");
}

int cmwq_shm_proc_starttime(pid_t pid, unsigned long long *start)
{
	char path[64], buf[1024], *p, *end;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	/* The name may hold blanks and ')': the fields follow the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	p++;
	/* Field 3 (the state) comes first; the start time is field 22. */
	for (field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -EIO;
	}
	errno = 0;
	*start = strtoull(p + 1, &end, 10);
	if (errno || end == p + 1)
		return -EIO;
	return 0;
}

/*
 * Is the file @name (cmwq.@pid, open as @fd, a regular file of ours) left
 * by a process that is gone?
 */
static bool file_is_stale(int fd, pid_t pid)
{
	struct cmwq_shm_ctl ctl;
	unsigned long long start;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	/* The pid lives: stale only if it is another process now. */
	if (pread(fd, &ctl, sizeof(ctl), 0) != (ssize_t)sizeof(ctl))
		return false;
	if (ctl.magic != CMWQ_SHM_MAGIC || ctl.version != CMWQ_SHM_VERSION ||
	    ctl.pid != (int32_t)pid || !ctl.starttime)
		return false; /* being created, or not one we can judge */
	if (cmwq_shm_proc_starttime(pid, &start) < 0)
		return false;
	return start != ctl.starttime;
}

int cmwq_shm_remove_stale(pid_t self)
{
	size_t plen = strlen(CMWQ_SHM_PREFIX) - 1;
	DIR *dir = opendir(CMWQ_SHM_DIR);
	uid_t uid = geteuid();
	struct dirent *de;
	int removed = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		struct stat st, again;
		char *end;
		long pid;
		bool stale;
		int fd;

		if (strncmp(de->d_name, &CMWQ_SHM_PREFIX[1], plen))
			continue;
		if (!isdigit((unsigned char)de->d_name[plen]))
			continue;
		errno = 0;
		pid = strtol(de->d_name + plen, &end, 10);
		if (*end || errno || pid <= 0 || pid > INT32_MAX ||
		    pid == (long)self)
			continue;
		fd = openat(dirfd(dir), de->d_name,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != uid) {
			close(fd);
			continue;
		}
		stale = file_is_stale(fd, (pid_t)pid);
		close(fd);
		/* Still the file we judged (only its owner can swap it). */
		if (stale &&
		    !fstatat(dirfd(dir), de->d_name, &again,
			     AT_SYMLINK_NOFOLLOW) &&
		    again.st_ino == st.st_ino && again.st_dev == st.st_dev &&
		    !unlinkat(dirfd(dir), de->d_name, 0))
			removed++;
	}
	closedir(dir);
	return removed;
}
