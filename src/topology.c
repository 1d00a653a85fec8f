// SPDX-License-Identifier: MIT
/*
 * topology.c - the CPU topology and the pods of each affinity scope
 *
 * Read once at start-up from sysfs (/sys/devices/system), or from the tree
 * CMWQ_SYSFS_ROOT names, laid out the same way, so that a test can describe
 * a machine it does not run on:
 *
 *   cpu/possible                            the CPUs ("0-15")
 *   cpu/cpuN/topology/thread_siblings_list  SMT siblings of CPU N
 *   cpu/cpuN/cache/indexK/{level,type,shared_cpu_list}
 *   node/nodeM/cpulist                      the CPUs of NUMA node M
 *
 * A file that is missing leaves the CPU alone in its group (its own core,
 * its own cache) and on node 0, as a machine without that information.
 *
 * Each scope splits the CPUs into pods, as the kernel's init_pod_type()
 * does: a CPU joins the first pod whose first CPU it shares the scope's
 * unit with.  CACHE_SHARD then splits each last-level cache's cores (SMT
 * groups, in CPU order) into the fewest shards of at most
 * CMWQ_CACHE_SHARD_SIZE cores (default 8), sizes differing by one at most.
 *
 * The topology may describe more CPUs than the process has slots for; the
 * pods are computed over all of them (cmwq-dump shows them), and the
 * workqueues use the CPUs below cmwq_nr_cpu_slots.
 *
 * A low layer: libc, the platform's diagnostics and settings.c.  Written
 * once in cmwq_topology_init() (before any other thread exists), read-only
 * afterwards (I).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The CPU slots: CPUs 0 to cmwq_nr_cpu_slots - 1 have per-CPU pools, the
 * possible ones (in the process's affinity mask at start-up) are used.
 * Written once by cmwq_cpus_init() before any other thread exists (I).
 */
int cmwq_nr_cpu_slots = 1;
static cpu_set_t possible_cpus;

/* Count the slots: up to the last CPU of the mask, or the configured CPUs. */
static int cpus_init(void)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	int cpu, last = 0;

	CPU_ZERO(&possible_cpus);
	if (sched_getaffinity(0, sizeof(possible_cpus), &possible_cpus) < 0) {
		for (cpu = 0; cpu < conf && cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, &possible_cpus);
	}
	for (cpu = 0; cpu < CPU_SETSIZE && cpu < CMWQ_MAX_CPUS; cpu++)
		if (CPU_ISSET(cpu, &possible_cpus))
			last = cpu;
	cmwq_nr_cpu_slots = last + 1;
	if (conf > cmwq_nr_cpu_slots && conf <= CMWQ_MAX_CPUS)
		cmwq_nr_cpu_slots = (int)conf;
	return 0;
}
cmwq_initcall(INIT_CPUS, cpus_init);

CMWQ_API int cmwq_nr_cpus(void)
{
	cmwq_init_once();
	return cmwq_nr_cpu_slots;
}

CMWQ_API bool cmwq_cpu_possible(int cpu)
{
	return cpu >= 0 && cpu < cmwq_nr_cpu_slots && cpu < CPU_SETSIZE &&
	       CPU_ISSET(cpu, &possible_cpus);
}

void cmwq_possible_mask(unsigned long *mask)
{
	int cpu;

	memset(mask, 0, CMWQ_MAX_CPUS / 8);
	for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++)
		if (cmwq_cpu_possible(cpu))
			mask[cpu / (8 * sizeof(long))] |=
				1UL << (cpu % (8 * sizeof(long)));
}

#define MASK_WORDS (CMWQ_MAX_CPUS / (8 * sizeof(unsigned long)))
#define BITS_PER_WORD (8 * sizeof(unsigned long))

struct pod_type {
	int nr_pods;
	int *cpu_pod; /* [nr_cpus] */
	unsigned long (*pod_cpus)[MASK_WORDS]; /* [nr_pods] */
	int *pod_node; /* [nr_pods] */
};

static int topo_cpus = 1; /* (I) CPUs the topology describes */
static struct pod_type pod_types[WQ_AFFN_NR_TYPES]; /* (I) */
static int cache_shard_size = 8; /* (I) cores per shard */
/*
 * (A, relaxed) The scope WQ_AFFN_DFL stands for: Linux 7.1's default,
 * cache_shard, or CMWQ_AFFINITY_SCOPE; written under wqs_mutex by
 * cmwq_set_default_affinity_scope().
 */
static atomic_int default_scope = WQ_AFFN_CACHE_SHARD;

static const char *const scope_names[WQ_AFFN_NR_TYPES] = {
	[WQ_AFFN_DFL] = "default",	   [WQ_AFFN_CPU] = "cpu",
	[WQ_AFFN_SMT] = "smt",		   [WQ_AFFN_CACHE] = "cache",
	[WQ_AFFN_CACHE_SHARD] = "cache_shard", [WQ_AFFN_NUMA] = "numa",
	[WQ_AFFN_SYSTEM] = "system",
};

/* Per CPU, read from sysfs: its siblings, its last-level cache, node. */
struct cpu_info {
	unsigned long smt[MASK_WORDS];
	unsigned long llc[MASK_WORDS];
	int node;
};

static void mask_set(unsigned long *m, int cpu)
{
	m[cpu / BITS_PER_WORD] |= 1UL << (cpu % BITS_PER_WORD);
}

bool cmwq_mask_test(const unsigned long *m, int cpu)
{
	return cpu >= 0 && cpu < CMWQ_MAX_CPUS &&
	       (m[cpu / BITS_PER_WORD] >> (cpu % BITS_PER_WORD)) & 1;
}

int cmwq_mask_weight(const unsigned long *m)
{
	int n = 0;
	size_t i;

	for (i = 0; i < MASK_WORDS; i++)
		n += __builtin_popcountl(m[i]);
	return n;
}

bool cmwq_mask_empty(const unsigned long *m)
{
	size_t i;

	for (i = 0; i < MASK_WORDS; i++)
		if (m[i])
			return false;
	return true;
}

int cmwq_mask_first(const unsigned long *m)
{
	size_t i;

	for (i = 0; i < MASK_WORDS; i++)
		if (m[i])
			return (int)(i * BITS_PER_WORD) + __builtin_ctzl(m[i]);
	return -1;
}

/*
 * Parse a CPU list ("0-3,8,10-11\n") into @m.  Return: 0, or -EINVAL for
 * text that is not a list (then @m is unchanged).
 */
int cmwq_parse_cpulist(const char *s, unsigned long *m)
{
	unsigned long out[MASK_WORDS] = { 0 };

	while (*s && *s != '\n') {
		char *end;
		unsigned long a, b;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -EINVAL;
			b = strtoul(end + 1, &end, 10);
		}
		if (b < a || b >= CMWQ_MAX_CPUS)
			return -EINVAL;
		for (; a <= b; a++)
			mask_set(out, (int)a);
		s = end;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	memcpy(m, out, sizeof(out));
	return 0;
}

/* Read the first line of @root/@path into @buf.  Return: 0 or -1. */
static int read_line(const char *root, const char *path, char *buf,
		     size_t len)
{
	char name[512];
	FILE *f;
	bool ok;

	snprintf(name, sizeof(name), "%s/%s", root, path);
	f = fopen(name, "re");
	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

static int read_mask(const char *root, const char *path, unsigned long *m)
{
	char buf[4096];

	if (read_line(root, path, buf, sizeof(buf)) < 0)
		return -1;
	if (cmwq_parse_cpulist(buf, m) < 0) {
		buf[strcspn(buf, "\n")] = '\0';
		cmwq_warn("topology: %s/%s is not a CPU list: \"%.40s\"; "
			  "ignored",
			  root, path, buf);
		return -1;
	}
	return 0;
}

/* The last-level cache of @cpu: the highest data or unified level. */
static void read_llc(const char *root, int cpu, struct cpu_info *ci)
{
	int idx, best = -1;

	for (idx = 0; idx < 16; idx++) {
		char path[128], buf[64];
		unsigned long m[MASK_WORDS];
		int level;

		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index%d/level",
			 cpu, idx);
		if (read_line(root, path, buf, sizeof(buf)) < 0)
			break;
		level = atoi(buf);
		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index%d/type",
			 cpu, idx);
		if (read_line(root, path, buf, sizeof(buf)) == 0 &&
		    !strncmp(buf, "Instruction", 11))
			continue;
		snprintf(path, sizeof(path),
			 "cpu/cpu%d/cache/index%d/shared_cpu_list", cpu, idx);
		if (level > best && read_mask(root, path, m) == 0 &&
		    cmwq_mask_test(m, cpu)) {
			best = level;
			memcpy(ci->llc, m, sizeof(m));
		}
	}
}

static int read_cpus(const char *root, struct cpu_info **out)
{
	unsigned long possible[MASK_WORDS] = { 0 };
	struct cpu_info *ci;
	int cpu, node, n = cmwq_nr_cpu_slots;

	if (read_mask(root, "cpu/possible", possible) == 0 &&
	    !cmwq_mask_empty(possible)) {
		int last = 0;

		for (cpu = 0; cpu < CMWQ_MAX_CPUS; cpu++)
			if (cmwq_mask_test(possible, cpu))
				last = cpu;
		if (last + 1 > n)
			n = last + 1;
	}
	ci = cmwq_calloc((size_t)n, sizeof(*ci));
	if (!ci)
		return -ENOMEM;
	for (cpu = 0; cpu < n; cpu++) {
		char path[128];

		mask_set(ci[cpu].smt, cpu);
		snprintf(path, sizeof(path),
			 "cpu/cpu%d/topology/thread_siblings_list", cpu);
		if (read_mask(root, path, ci[cpu].smt) < 0 ||
		    !cmwq_mask_test(ci[cpu].smt, cpu)) {
			memset(ci[cpu].smt, 0, sizeof(ci[cpu].smt));
			mask_set(ci[cpu].smt, cpu);
		}
		memcpy(ci[cpu].llc, ci[cpu].smt, sizeof(ci[cpu].llc));
		read_llc(root, cpu, &ci[cpu]);
	}
	for (node = 0; node < CMWQ_MAX_CPUS; node++) {
		char path[64];
		unsigned long m[MASK_WORDS] = { 0 };

		snprintf(path, sizeof(path), "node/node%d/cpulist", node);
		if (read_mask(root, path, m) < 0)
			break;
		for (cpu = 0; cpu < n; cpu++)
			if (cmwq_mask_test(m, cpu))
				ci[cpu].node = node;
	}
	*out = ci;
	topo_cpus = n;
	return 0;
}

/* Do @a and @b share @scope's unit? */
static bool cpus_share(int scope, const struct cpu_info *ci, int a, int b)
{
	switch (scope) {
	case WQ_AFFN_CPU:
		return a == b;
	case WQ_AFFN_SMT:
		return cmwq_mask_test(ci[a].smt, b);
	case WQ_AFFN_CACHE:
	case WQ_AFFN_CACHE_SHARD:
		return cmwq_mask_test(ci[a].llc, b);
	case WQ_AFFN_NUMA:
		return ci[a].node == ci[b].node;
	default:
		return true;
	}
}

static int pod_type_alloc(struct pod_type *pt, int nr_pods)
{
	pt->nr_pods = 0;
	pt->cpu_pod = cmwq_calloc((size_t)topo_cpus, sizeof(*pt->cpu_pod));
	pt->pod_cpus = cmwq_calloc((size_t)nr_pods, sizeof(*pt->pod_cpus));
	pt->pod_node = cmwq_calloc((size_t)nr_pods, sizeof(*pt->pod_node));
	return pt->cpu_pod && pt->pod_cpus && pt->pod_node ? 0 : -ENOMEM;
}

static int pod_add_cpu(struct pod_type *pt, const struct cpu_info *ci,
		       int pod, int cpu)
{
	if (pod == pt->nr_pods) {
		pt->nr_pods++;
		pt->pod_node[pod] = ci[cpu].node;
	}
	mask_set(pt->pod_cpus[pod], cpu);
	pt->cpu_pod[cpu] = pod;
	return pod;
}

static int init_pod_type(int scope, const struct cpu_info *ci)
{
	struct pod_type *pt = &pod_types[scope];
	int *first = cmwq_calloc((size_t)topo_cpus, sizeof(*first));
	int cpu, pod;

	if (!first || pod_type_alloc(pt, topo_cpus) < 0) {
		free(first);
		return -ENOMEM;
	}
	for (cpu = 0; cpu < topo_cpus; cpu++) {
		for (pod = 0; pod < pt->nr_pods; pod++)
			if (cpus_share(scope, ci, first[pod], cpu))
				break;
		if (pod == pt->nr_pods)
			first[pod] = cpu;
		pod_add_cpu(pt, ci, pod, cpu);
	}
	free(first);
	return 0;
}

/*
 * CACHE_SHARD: the cores (SMT pods) of each cache pod, in order, dealt into
 * the fewest shards of at most cache_shard_size cores, in contiguous runs
 * whose sizes differ by one at most.
 */
static int init_cache_shards(const struct cpu_info *ci)
{
	struct pod_type *pt = &pod_types[WQ_AFFN_CACHE_SHARD];
	const struct pod_type *cache = &pod_types[WQ_AFFN_CACHE];
	const struct pod_type *smt = &pod_types[WQ_AFFN_SMT];
	int *core_shard = cmwq_calloc((size_t)smt->nr_pods, sizeof(int));
	int c, core, cpu;

	if (!core_shard || pod_type_alloc(pt, topo_cpus) < 0) {
		free(core_shard);
		return -ENOMEM;
	}
	for (c = 0; c < cache->nr_pods; c++) {
		int nr_cores = 0, nr_shards, i = 0, base = pt->nr_pods;

		/* A core belongs to the cache of its first CPU. */
		for (core = 0; core < smt->nr_pods; core++)
			if (cache->cpu_pod[cmwq_mask_first(
				    smt->pod_cpus[core])] == c)
				nr_cores++;
		if (!nr_cores)
			continue;
		nr_shards = (nr_cores + cache_shard_size - 1) /
			    cache_shard_size;
		for (core = 0; core < smt->nr_pods; core++)
			if (cache->cpu_pod[cmwq_mask_first(
				    smt->pod_cpus[core])] == c)
				core_shard[core] =
					base + (i++ * nr_shards) / nr_cores;
		pt->nr_pods = base + nr_shards;
	}
	/* A shard's node is its first CPU's, as for every other pod. */
	for (c = 0; c < pt->nr_pods; c++)
		pt->pod_node[c] = -1;
	for (cpu = 0; cpu < topo_cpus; cpu++) {
		int pod = core_shard[smt->cpu_pod[cpu]];

		if (pt->pod_node[pod] < 0)
			pt->pod_node[pod] = ci[cpu].node;
		mask_set(pt->pod_cpus[pod], cpu);
		pt->cpu_pod[cpu] = pod;
	}
	free(core_shard);
	return 0;
}

static int topology_init(void)
{
	const char *root = cmwq_setting("CMWQ_SYSFS_ROOT");
	unsigned long long size;
	struct cpu_info *ci = NULL;
	int scope, ret;

	if (cmwq_setting_uint("CMWQ_CACHE_SHARD_SIZE", 1, CMWQ_MAX_CPUS,
			      "a number of cores from 1 to 1024", "8", &size))
		cache_shard_size = (int)size;
	/* "default" is not a choice: it is what this setting defines. */
	scope = cmwq_setting_choice("CMWQ_AFFINITY_SCOPE", scope_names + 1,
				    WQ_AFFN_NR_TYPES - 1,
				    "cpu, smt, cache, cache_shard, numa or "
				    "system",
				    "cache_shard");
	if (scope >= 0)
		atomic_store_explicit(&default_scope, scope + 1,
				      memory_order_relaxed);
	ret = read_cpus(root ? root : "/sys/devices/system", &ci);
	if (ret < 0)
		return ret;
	for (scope = WQ_AFFN_CPU; scope < WQ_AFFN_NR_TYPES && !ret; scope++)
		if (scope != WQ_AFFN_CACHE_SHARD)
			ret = init_pod_type(scope, ci);
	if (!ret)
		ret = init_cache_shards(ci);
	free(ci);
	return ret;
}
cmwq_initcall(INIT_SETTINGS, topology_init);

int cmwq_topo_nr_cpus(void)
{
	return topo_cpus;
}

int cmwq_topo_cache_shard_size(void)
{
	return cache_shard_size;
}

int cmwq_topo_nr_pods(int scope)
{
	if (scope <= WQ_AFFN_DFL || scope >= WQ_AFFN_NR_TYPES)
		return 0;
	return pod_types[scope].nr_pods;
}

int cmwq_topo_cpu_pod(int scope, int cpu)
{
	if (scope <= WQ_AFFN_DFL || scope >= WQ_AFFN_NR_TYPES || cpu < 0 ||
	    cpu >= topo_cpus || !pod_types[scope].cpu_pod)
		return -1;
	return pod_types[scope].cpu_pod[cpu];
}

const unsigned long *cmwq_topo_pod_cpus(int scope, int pod)
{
	if (scope <= WQ_AFFN_DFL || scope >= WQ_AFFN_NR_TYPES || pod < 0 ||
	    pod >= pod_types[scope].nr_pods)
		return NULL;
	return pod_types[scope].pod_cpus[pod];
}

int cmwq_topo_pod_node(int scope, int pod)
{
	if (!cmwq_topo_pod_cpus(scope, pod))
		return -1;
	return pod_types[scope].pod_node[pod];
}

int cmwq_topo_default_scope(void)
{
	return atomic_load_explicit(&default_scope, memory_order_relaxed);
}

void cmwq_topo_set_default_scope(int scope)
{
	atomic_store_explicit(&default_scope, scope, memory_order_relaxed);
}

const char *cmwq_topo_scope_name(int scope)
{
	if (scope < 0 || scope >= WQ_AFFN_NR_TYPES)
		return "?";
	return scope_names[scope];
}
