// SPDX-License-Identifier: MIT
/*
 * affinity_scopes.c - unbound workqueues by pod (Linux 6.5+ affinity
 * scopes), on topologies described in sysfs's format (CMWQ_SYSFS_ROOT)
 *
 * Each case runs in a child process that sets the topology before the
 * library starts:
 *   pods       a 16-CPU, 2-node, 4-cache, SMT-2 machine: the pods of
 *              every scope as cmwq-dump shows them, cache shards by size
 *   shards     one cache of 10 cores in shards of 4: 4, 3 and 3 cores
 *   placement  2 CPUs on 2 nodes: items run in the pool of the pod they
 *              were queued from (or queue_work_on()'s CPU); strict
 *              workers stay on the pod's CPU, non-strict ones may not
 *   live       apply_workqueue_attrs() with an item running and one
 *              waiting: both finish where they were, new items go to the
 *              new pods, flush waits for all, old pwqs are freed
 *   share      max_active shared between nodes by CPUs, at least
 *              min_active each
 *   node_total two caches on one node: max_active limits the items in
 *              flight of both pods together
 *   dflscope   cmwq_set_default_affinity_scope() moves WQ_AFFN_DFL
 *              workqueues; CMWQ_AFFINITY_SCOPE sets it at start
 *   misuse     bad scopes, masks, bound workqueues, a broken topology
 *              file: a diagnostic and a defined result
 *   ordered_live  apply_workqueue_attrs() on a busy ordered workqueue:
 *              the new pwq is plugged until the old one's items are
 *              done; order kept, one item at a time, old pwq freed
 */
#define _GNU_SOURCE
#include "harness.h"

#include <cmwq.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[256];

static void put_file(const char *path, const char *text)
{
	char name[512], dir[512], *slash;
	FILE *f;

	snprintf(name, sizeof(name), "%s/%s", root, path);
	snprintf(dir, sizeof(dir), "%s", name);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(name, "w");
	if (!f) {
		perror(name);
		exit(1);
	}
	fprintf(f, "%s\n", text);
	fclose(f);
}

static void put_range(char *buf, size_t len, int first, int last)
{
	if (first == last)
		snprintf(buf, len, "%d", first);
	else
		snprintf(buf, len, "%d-%d", first, last);
}

/*
 * Describe @cpus CPUs: @smt threads per core, @cores per last-level cache,
 * @llcs per node, numbered in that order (siblings adjacent).
 */
static void make_topology(int cpus, int smt, int cores, int llcs)
{
	char path[128], list[64];
	int cpu, per_llc = smt * cores, per_node = per_llc * llcs, n;

	snprintf(root, sizeof(root), "/tmp/cmwq-topo-%d", (int)getpid());
	mkdir(root, 0755);
	put_range(list, sizeof(list), 0, cpus - 1);
	put_file("cpu/possible", list);
	for (cpu = 0; cpu < cpus; cpu++) {
		int core0 = cpu / smt * smt, llc0 = cpu / per_llc * per_llc;

		snprintf(path, sizeof(path),
			 "cpu/cpu%d/topology/thread_siblings_list", cpu);
		put_range(list, sizeof(list), core0, core0 + smt - 1);
		put_file(path, list);
		/* An L1 of the core and an instruction cache: not the LLC. */
		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index0/level",
			 cpu);
		put_file(path, "1");
		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index0/type",
			 cpu);
		put_file(path, "Data");
		snprintf(path, sizeof(path),
			 "cpu/cpu%d/cache/index0/shared_cpu_list", cpu);
		put_file(path, list);
		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index1/level",
			 cpu);
		put_file(path, "3");
		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index1/type",
			 cpu);
		put_file(path, "Instruction");
		snprintf(path, sizeof(path),
			 "cpu/cpu%d/cache/index1/shared_cpu_list", cpu);
		put_file(path, "0");
		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index2/level",
			 cpu);
		put_file(path, "3");
		snprintf(path, sizeof(path), "cpu/cpu%d/cache/index2/type",
			 cpu);
		put_file(path, "Unified");
		snprintf(path, sizeof(path),
			 "cpu/cpu%d/cache/index2/shared_cpu_list", cpu);
		put_range(list, sizeof(list), llc0, llc0 + per_llc - 1);
		put_file(path, list);
	}
	for (n = 0; n * per_node < cpus; n++) {
		snprintf(path, sizeof(path), "node/node%d/cpulist", n);
		put_range(list, sizeof(list), n * per_node,
			  (n + 1) * per_node - 1);
		put_file(path, list);
	}
	setenv("CMWQ_SYSFS_ROOT", root, 1);
}

static void remove_topology(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "test: could not remove %s\n", root);
}

/* What cmwq-dump would print for this process. */
static char *dump_text(struct workqueue_struct *wq)
{
	/*
	 * Static: gcc 12 -O2 takes the buffer open_memstream() allocates
	 * for one on this frame (-Wdangling-pointer at every caller).
	 */
	static char *text;
	static size_t len;
	FILE *f;

	text = NULL;
	len = 0;
	f = open_memstream(&text, &len);
	CHECK(f);
	cmwq_show_workqueues_to(f, wq);
	fclose(f);
	return text;
}

/* Does the "Affinity Scopes" section say @what under scope @scope? */
static bool scope_says(const char *text, const char *scope, const char *what)
{
	char head[64];
	const char *at, *end;

	snprintf(head, sizeof(head), "\n%s", scope);
	for (at = strstr(text, "Affinity Scopes"); at;
	     at = strstr(at + 1, head)) {
		const char *eol = at + strlen(head);

		if (*eol == '\n' || *eol == ' ')
			break;
	}
	if (!at)
		return false;
	at += strlen(head);
	end = strstr(at, "\n\n");
	if (!end)
		end = at + strlen(at);
	at = strstr(at, what);
	return at && at < end;
}

static void case_pods(void)
{
	char *t;

	t = dump_text(NULL);
	fprintf(stderr, "%s", strstr(t, "Affinity Scopes"));
	CHECK(strstr(t, "default cache_shard, cache_shard_size 8, 16 CPUs"));
	CHECK(scope_says(t, "cpu", "nr_pods  16"));
	CHECK(scope_says(t, "smt", "nr_pods  8"));
	CHECK(scope_says(t, "smt", "[0]=0-1 [1]=2-3"));
	CHECK(scope_says(t, "smt", "[14]=7 [15]=7"));
	CHECK(scope_says(t, "cache", "nr_pods  4"));
	CHECK(scope_says(t, "cache", "[1]=4-7"));
	CHECK(scope_says(t, "cache", "pod_node [0]=0 [1]=0 [2]=1 [3]=1"));
	/* Two cores per cache, at most 8 per shard: a shard is a cache. */
	CHECK(scope_says(t, "cache_shard (default)", "nr_pods  4"));
	CHECK(scope_says(t, "numa", "nr_pods  2"));
	CHECK(scope_says(t, "numa", "[0]=0-7 [1]=8-15"));
	CHECK(scope_says(t, "system", "nr_pods  1"));
	CHECK(scope_says(t, "system", "[0]=0-15"));
	free(t);
	remove_topology();
}

static void case_shards(void)
{
	char *t;

	/* One cache of 10 single-thread cores, shards of at most 4. */
	t = dump_text(NULL);
	fprintf(stderr, "%s", strstr(t, "Affinity Scopes"));
	CHECK(scope_says(t, "cache_shard", "nr_pods  3"));
	CHECK(scope_says(t, "cache_shard", "[0]=0-3 [1]=4-6 [2]=7-9"));
	CHECK(scope_says(t, "cache ", "nr_pods  1") ||
	      scope_says(t, "cache", "nr_pods  1"));
	free(t);
	remove_topology();
}

/* Shards count cores: 4 cores of 2 threads in shards of 2 cores. */
static void case_shards_smt(void)
{
	char *t;

	t = dump_text(NULL);
	CHECK(scope_says(t, "cache_shard", "nr_pods  2"));
	CHECK(scope_says(t, "cache_shard", "[0]=0-3 [1]=4-7"));
	free(t);
	remove_topology();
}

struct probe {
	struct work_struct work;
	int cpu;
	int pool; /* from the worker's name kworker/uN:M */
	int nr_allowed;
	bool allowed[2];
	struct completion *gate; /* waited on when set */
	atomic_int *running, *peak;
	atomic_int done;
};

static void probe_fn(struct work_struct *work)
{
	struct probe *p = container_of(work, struct probe, work);
	char name[32] = "";
	cpu_set_t set;

	if (p->running) {
		int now = atomic_fetch_add(p->running, 1) + 1, old;

		old = atomic_load(p->peak);
		while (now > old && !atomic_compare_exchange_weak(p->peak,
								  &old, now))
			;
	}
	if (p->gate)
		wait_for_completion(p->gate);
	p->cpu = sched_getcpu();
	pthread_getname_np(pthread_self(), name, sizeof(name));
	if (sscanf(name, "kworker/u%d", &p->pool) != 1)
		p->pool = -1;
	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	p->nr_allowed = CPU_COUNT(&set);
	p->allowed[0] = CPU_ISSET(0, &set);
	p->allowed[1] = CPU_ISSET(1, &set);
	if (p->running)
		atomic_fetch_sub(p->running, 1);
	atomic_store(&p->done, 1);
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);
}

/* Queue @p from CPU @from (or on @on with queue_work_on), wait for it. */
static void run_probe(struct workqueue_struct *wq, struct probe *p, int from,
		      int on)
{
	memset(p, 0, sizeof(*p));
	INIT_WORK(&p->work, probe_fn);
	pin_self(from);
	if (on >= 0)
		CHECK(queue_work_on(on, wq, &p->work));
	else
		CHECK(queue_work(wq, &p->work));
	CHECK(flush_work(&p->work) || atomic_load(&p->done));
	CHECK(atomic_load(&p->done));
}

/* Before the library starts (it must read the topology set up later). */
static bool two_cpus(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	return sched_getaffinity(0, sizeof(set), &set) == 0 &&
	       CPU_ISSET(0, &set) && CPU_ISSET(1, &set);
}

static void case_placement(void)
{
	struct workqueue_struct *wq;
	struct workqueue_attrs *attrs;
	struct probe a, b, c;

	/* 2 CPUs, each its own core, cache and node. */
	wq = alloc_workqueue("placement", WQ_UNBOUND, 0);
	CHECK(wq);
	/* The default scope, cache_shard: one pod per CPU here. */
	run_probe(wq, &a, 0, -1);
	run_probe(wq, &b, 1, -1);
	CHECK(a.pool >= 0 && b.pool >= 0);
	CHECK(a.pool != b.pool);
	/* Not strict: the workers may run on both CPUs. */
	CHECK(a.nr_allowed == 2 && b.nr_allowed == 2);
	/* queue_work_on(): the pod of the CPU named, not the caller's. */
	run_probe(wq, &c, 0, 1);
	CHECK(c.pool == b.pool);

	attrs = alloc_workqueue_attrs();
	CHECK(attrs);
	attrs->affn_strict = true;
	CHECK(apply_workqueue_attrs(wq, attrs) == 0);
	run_probe(wq, &a, 0, -1);
	run_probe(wq, &b, 1, -1);
	CHECK(a.pool != b.pool);
	CHECK(a.nr_allowed == 1 && a.allowed[0] && a.cpu == 0);
	CHECK(b.nr_allowed == 1 && b.allowed[1] && b.cpu == 1);
	run_probe(wq, &c, 0, 1);
	CHECK(c.cpu == 1 && c.pool == b.pool);

	/* One pod for the system: the same pool from both CPUs. */
	attrs->affn_scope = WQ_AFFN_SYSTEM;
	CHECK(apply_workqueue_attrs(wq, attrs) == 0);
	run_probe(wq, &a, 0, -1);
	run_probe(wq, &b, 1, -1);
	CHECK(a.pool == b.pool);
	CHECK(a.nr_allowed == 2);

	/* A cpumask of CPU 1 only: CPU 0's pod has none, the dfl serves. */
	attrs->affn_scope = WQ_AFFN_CPU;
	memset(attrs->cpumask, 0, sizeof(attrs->cpumask));
	attrs->cpumask[0] = 2;
	CHECK(apply_workqueue_attrs(wq, attrs) == 0);
	run_probe(wq, &a, 0, -1);
	CHECK(a.nr_allowed == 1 && a.allowed[1] && a.cpu == 1);

	/* Ordered workqueues keep one pool whatever the scope. */
	{
		struct workqueue_struct *ord =
			alloc_ordered_workqueue("placement-ordered", 0);

		CHECK(ord);
		run_probe(ord, &a, 0, -1);
		run_probe(ord, &b, 1, -1);
		CHECK(a.pool == b.pool);
		destroy_workqueue(ord);
	}
	free_workqueue_attrs(attrs);
	destroy_workqueue(wq);
	remove_topology();
}

/* How many pools the dump lists for @wq ("flags; pools 5 6"). */
static int wq_pool_count(struct workqueue_struct *wq, const char *name)
{
	char *t = dump_text(wq), *line = strstr(t, "\nWorkqueues\n"), *p;
	int n = 0;

	CHECK(line);
	line = strstr(line, name);
	CHECK(line);
	p = strchr(line, ';');
	CHECK(p);
	for (p++; *p == ' ' && p[1] >= '0' && p[1] <= '9';) {
		n++;
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	free(t);
	return n;
}

static void case_live(void)
{
	struct workqueue_struct *wq;
	struct workqueue_attrs *attrs;
	struct completion gate;
	struct probe a, b, c;
	atomic_int running = 0, peak = 0;

	wq = alloc_workqueue("live", WQ_UNBOUND, 1);
	CHECK(wq);
	attrs = alloc_workqueue_attrs();
	CHECK(attrs);
	attrs->affn_scope = WQ_AFFN_SYSTEM;
	CHECK(apply_workqueue_attrs(wq, attrs) == 0);
	CHECK_EQ(wq_pool_count(wq, "live"), 1);

	/* a runs and waits; b waits behind it for max_active. */
	init_completion(&gate);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	INIT_WORK(&a.work, probe_fn);
	INIT_WORK(&b.work, probe_fn);
	INIT_WORK(&c.work, probe_fn);
	a.gate = &gate;
	a.running = b.running = &running;
	a.peak = b.peak = &peak;
	pin_self(0);
	CHECK(queue_work(wq, &a.work));
	CHECK(queue_work(wq, &b.work));
	CHECK(WAIT_UNTIL(atomic_load(&running) == 1, 5000));

	/*
	 * Move to per-CPU pods, strict, at another nice (so that no pool is
	 * shared with the old attributes), with a and b in flight.
	 */
	attrs->affn_scope = WQ_AFFN_CPU;
	attrs->affn_strict = true;
	attrs->nice = 5;
	CHECK(apply_workqueue_attrs(wq, attrs) == 0);
	CHECK(queue_work_on(1, wq, &c.work));
	CHECK(WAIT_UNTIL(atomic_load(&c.done), 5000));
	CHECK(c.cpu == 1 && c.nr_allowed == 1);
	/* The old pwq is still there (a, b), beside 2 pods and the dfl. */
	CHECK_EQ(wq_pool_count(wq, "live"), 4);
	CHECK(!atomic_load(&b.done));
	complete(&gate);
	flush_workqueue(wq);
	CHECK(atomic_load(&a.done) && atomic_load(&b.done));
	/* a and b ran in the old pool, one at a time (max_active 1). */
	CHECK(a.pool == b.pool && a.pool != c.pool);
	CHECK_EQ(atomic_load(&peak), 1);
	/* The old pwq went when its last item did: the pods, the dfl. */
	CHECK(WAIT_UNTIL(wq_pool_count(wq, "live") == 3, 5000));
	free_workqueue_attrs(attrs);
	destroy_workqueue(wq);
	remove_topology();
}

static void case_share(void)
{
	struct workqueue_struct *wq;
	struct completion gate;
	struct probe p[8];
	atomic_int running = 0, peak = 0;
	int i;

	wq = alloc_workqueue("share", WQ_UNBOUND, 4);
	CHECK(wq);
	/* Two pods of one CPU each: 2 of max_active 4 each, min_active 1. */
	workqueue_set_min_active(wq, 1);
	init_completion(&gate);
	pin_self(0);
	for (i = 0; i < 8; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		INIT_WORK(&p[i].work, probe_fn);
		p[i].gate = &gate;
		p[i].running = &running;
		p[i].peak = &peak;
		CHECK(queue_work(wq, &p[i].work));
	}
	CHECK(WAIT_UNTIL(atomic_load(&running) == 2, 5000));
	harness_sleep_ms(100);
	CHECK_EQ(atomic_load(&running), 2); /* pod 0's share */
	/* The default min_active (8) gives each pod the whole max_active. */
	workqueue_set_min_active(wq, 8);
	CHECK(WAIT_UNTIL(atomic_load(&running) == 4, 5000));
	complete_all(&gate);
	flush_workqueue(wq);
	for (i = 0; i < 8; i++)
		CHECK(atomic_load(&p[i].done));
	CHECK_EQ(atomic_load(&peak), 4);
	destroy_workqueue(wq);
	remove_topology();
}

/*
 * Two caches on one node: the cache pods have a pwq each, and max_active
 * still limits the workqueue's items in flight in total (the node's one
 * count, Linux 6.9+), not per pod.  Before the node count each pod let in
 * its own min_active: 4 items of max_active 2 ran.  Then an item leaving
 * one pod lets in one held back on the other (the manager's hand-over).
 */
static void case_node_total(void)
{
	struct workqueue_struct *wq;
	struct completion gate;
	struct probe p[8];
	atomic_int running = 0, peak = 0;
	int i;

	wq = alloc_workqueue("node_total", WQ_UNBOUND, 2);
	CHECK(wq);
	init_completion(&gate);
	for (i = 0; i < 8; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		INIT_WORK(&p[i].work, probe_fn);
		p[i].gate = &gate;
		p[i].running = &running;
		p[i].peak = &peak;
		/* Half from each CPU: both pods' pwqs hold items. */
		pin_self(i % 2);
		CHECK(queue_work(wq, &p[i].work));
	}
	CHECK(WAIT_UNTIL(atomic_load(&running) == 2, 5000));
	harness_sleep_ms(100);
	CHECK_EQ(atomic_load(&running), 2);
	CHECK_EQ(atomic_load(&peak), 2);
	complete_all(&gate);
	flush_workqueue(wq);
	for (i = 0; i < 8; i++)
		CHECK(atomic_load(&p[i].done));
	CHECK_EQ(atomic_load(&peak), 2);
	destroy_workqueue(wq);
	remove_topology();
}

static void setup_node_total(void)
{
	/* 2 CPUs, a cache each, both caches on one node. */
	make_topology(2, 1, 1, 2);
	setenv("CMWQ_AFFINITY_SCOPE", "cache", 1);
}

static void case_dflscope(void)
{
	struct workqueue_struct *wq;
	struct probe a, b;

	CHECK(cmwq_default_affinity_scope() == WQ_AFFN_SYSTEM);
	wq = alloc_workqueue("dflscope", WQ_UNBOUND, 0);
	CHECK(wq);
	run_probe(wq, &a, 0, -1);
	run_probe(wq, &b, 1, -1);
	CHECK(a.pool == b.pool);
	CHECK(cmwq_set_default_affinity_scope(WQ_AFFN_CPU) == 0);
	CHECK(cmwq_default_affinity_scope() == WQ_AFFN_CPU);
	run_probe(wq, &a, 0, -1);
	run_probe(wq, &b, 1, -1);
	CHECK(a.pool != b.pool);
	CHECK(!strcmp(cmwq_affinity_scope_name(WQ_AFFN_CACHE_SHARD),
		      "cache_shard"));
	CHECK(!strcmp(cmwq_affinity_scope_name((enum wq_affn_scope)42), "?"));
	destroy_workqueue(wq);
	remove_topology();
}

static void case_misuse(void)
{
	struct workqueue_struct *wq, *ord;
	struct workqueue_attrs *attrs;
	struct harness_capture cap;
	struct probe a;
	char *t;

	{
		char name[300], said[4096] = "";
		FILE *f;
		size_t n;

		fflush(stderr);
		dup2(9, 2);
		close(9);
		snprintf(name, sizeof(name), "%s/load-stderr", root);
		f = fopen(name, "r");
		CHECK(f);
		n = fread(said, 1, sizeof(said) - 1, f);
		said[n] = '\0';
		fclose(f);
		fprintf(stderr, "test: the library said at load: <<%s>>\n",
			said);
		CHECK(strstr(said, "is not a CPU list"));
		CHECK(strstr(said, "CMWQ_AFFINITY_SCOPE=socket is not valid"));
	}
	CHECK(cmwq_default_affinity_scope() == WQ_AFFN_CACHE_SHARD);
	t = dump_text(NULL);
	CHECK(scope_says(t, "smt", "nr_pods  2"));
	free(t);

	wq = alloc_workqueue("misuse", WQ_UNBOUND, 0);
	ord = alloc_ordered_workqueue("misuse-ordered", 0);
	attrs = alloc_workqueue_attrs();
	CHECK(wq && ord && attrs);
	harness_capture_begin(&cap);
	attrs->affn_scope = 200;
	CHECK(apply_workqueue_attrs(wq, attrs) == -EINVAL);
	CHECK(harness_capture_end(&cap, "apply_workqueue_attrs"));
	attrs->affn_scope = WQ_AFFN_DFL;
	memset(attrs->cpumask, 0, sizeof(attrs->cpumask));
	attrs->cpumask[1000 / (8 * sizeof(long))] =
		1UL << (1000 % (8 * sizeof(long)));
	harness_capture_begin(&cap);
	CHECK(apply_workqueue_attrs(wq, attrs) == -EINVAL);
	CHECK(harness_capture_end(&cap, "no CPU this process may run on"));
	memset(attrs->cpumask, 0, sizeof(attrs->cpumask));
	harness_capture_begin(&cap);
	CHECK(apply_workqueue_attrs(system_wq, attrs) == -EINVAL);
	CHECK(apply_workqueue_attrs(NULL, attrs) == -EINVAL);
	CHECK(apply_workqueue_attrs(wq, NULL) == -EINVAL);
	CHECK(cmwq_set_default_affinity_scope(WQ_AFFN_DFL) == -EINVAL);
	CHECK(cmwq_set_default_affinity_scope(WQ_AFFN_NR_TYPES) == -EINVAL);
	CHECK(harness_capture_end(&cap, "set_default_affinity_scope"));
	/* After all that, the workqueue still works as it did. */
	run_probe(wq, &a, 0, -1);
	CHECK(atomic_load(&a.done));
	free_workqueue_attrs(attrs);
	destroy_workqueue(ord);
	destroy_workqueue(wq);
	remove_topology();
}

/*
 * apply_workqueue_attrs() on a live ordered workqueue, as mainline allows
 * it: items queued after the switch go to the new pwq, which is plugged
 * until the old one's items are done, so the queueing order holds and no
 * two items run at once; then the old pwq is freed.
 */
#define ORD_ITEMS 24

struct ord_item {
	struct work_struct work;
	int index;
	int nice;
};

static DECLARE_COMPLETION(ord_go);
static atomic_int ord_next, ord_running, ord_overlap;

static void ord_fn(struct work_struct *work)
{
	struct ord_item *it = container_of(work, struct ord_item, work);

	if (atomic_fetch_add(&ord_running, 1))
		atomic_store(&ord_overlap, 1);
	if (it->index == 0)
		wait_for_completion(&ord_go);
	errno = 0;
	it->nice = getpriority(PRIO_PROCESS, 0);
	CHECK_EQ(atomic_load(&ord_next), it->index);
	atomic_fetch_add(&ord_next, 1);
	atomic_fetch_sub(&ord_running, 1);
}

static void case_ordered_live(void)
{
	struct workqueue_struct *ord = alloc_ordered_workqueue("ord-live", 0);
	struct workqueue_attrs *attrs = alloc_workqueue_attrs();
	static struct ord_item items[ORD_ITEMS];
	int i, half = ORD_ITEMS / 2;

	CHECK(ord && attrs);
	for (i = 0; i < ORD_ITEMS; i++) {
		INIT_WORK(&items[i].work, ord_fn);
		items[i].index = i;
	}
	/* Item 0 runs and waits; items 1.. wait behind it on the old pwq. */
	for (i = 0; i < half; i++)
		CHECK(queue_work(ord, &items[i].work));
	WAIT_UNTIL(work_busy(&items[0].work) & WORK_BUSY_RUNNING, 5000);
	attrs->nice = 5;
	CHECK(apply_workqueue_attrs(ord, attrs) == 0);
	for (i = half; i < ORD_ITEMS; i++)
		CHECK(queue_work(ord, &items[i].work));
	/* Both pwqs are there while the old one has items. */
	CHECK_EQ(wq_pool_count(ord, "ord-live"), 2);
	harness_sleep_ms(50);
	CHECK_EQ(atomic_load(&ord_next), 0);
	complete_all(&ord_go);
	flush_workqueue(ord);
	CHECK_EQ(atomic_load(&ord_next), ORD_ITEMS);
	CHECK_EQ(atomic_load(&ord_overlap), 0);
	/* The new items ran in the new pool (nice 5), the old in the old. */
	CHECK(items[0].nice != 5);
	for (i = half; i < ORD_ITEMS; i++)
		CHECK_EQ(items[i].nice, 5);
	/* The old pwq goes once its last item is done. */
	WAIT_UNTIL(wq_pool_count(ord, "ord-live") == 1, 5000);
	/* And the workqueue goes on in order on its new pool. */
	atomic_store(&ord_next, 0);
	for (i = 1; i < ORD_ITEMS; i++) {
		items[i].index = i - 1;
		CHECK(queue_work(ord, &items[i].work));
	}
	flush_workqueue(ord);
	CHECK_EQ(atomic_load(&ord_next), ORD_ITEMS - 1);
	CHECK_EQ(atomic_load(&ord_overlap), 0);
	free_workqueue_attrs(attrs);
	destroy_workqueue(ord);
	remove_topology();
}

static void setup_pods(void)
{
	make_topology(16, 2, 2, 2);
}

static void setup_shards(void)
{
	make_topology(10, 1, 10, 1);
	setenv("CMWQ_CACHE_SHARD_SIZE", "4", 1);
}

static void setup_shards_smt(void)
{
	make_topology(8, 2, 4, 1);
	setenv("CMWQ_CACHE_SHARD_SIZE", "2", 1);
}

static void setup_placement(void)
{
	make_topology(2, 1, 1, 1);
}

static void setup_live(void)
{
	make_topology(2, 1, 1, 1);
}

static void setup_share(void)
{
	make_topology(2, 1, 1, 1);
}

static void setup_dflscope(void)
{
	make_topology(2, 1, 1, 1);
	setenv("CMWQ_AFFINITY_SCOPE", "system", 1);
}

static void setup_misuse(void)
{
	make_topology(2, 1, 1, 1);
	/* A file that is not a CPU list, an unknown default scope. */
	put_file("cpu/cpu1/topology/thread_siblings_list", "one,two");
	setenv("CMWQ_AFFINITY_SCOPE", "socket", 1);
	/* What the library says while it loads goes to a file; fd 9 keeps
	 * the real stderr for the case. */
	{
		char name[300];
		int fd;

		snprintf(name, sizeof(name), "%s/load-stderr", root);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(2, 9) < 0 || dup2(fd, 2) < 0)
			exit(1);
		close(fd);
	}
}

static const char *self_exe;

/*
 * The library reads the topology when it is loaded: the child describes
 * it, then runs this program again to do the case.
 */
static int run_case(const char *name, void (*setup)(void), bool needs_two)
{
	pid_t pid;
	int status;

	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (needs_two && !two_cpus()) {
			fprintf(stderr, "%s: skipped (needs CPUs 0 and 1)\n",
				name);
			_exit(HARNESS_SKIP);
		}
		setup();
		execl(self_exe, self_exe, name, (char *)NULL);
		perror("exec");
		_exit(1);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == HARNESS_SKIP)
		return HARNESS_SKIP;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "%s: FAILED (status %#x)\n", name, status);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*setup)(void);
		void (*fn)(void);
		bool needs_two;
	} cases[] = {
		{ "pods", setup_pods, case_pods, false },
		{ "shards", setup_shards, case_shards, false },
		{ "shards_smt", setup_shards_smt, case_shards_smt, false },
		{ "placement", setup_placement, case_placement, true },
		{ "live", setup_live, case_live, true },
		{ "share", setup_share, case_share, true },
		{ "node_total", setup_node_total, case_node_total, true },
		{ "dflscope", setup_dflscope, case_dflscope, true },
		{ "misuse", setup_misuse, case_misuse, true },
		{ "ordered_live", setup_live, case_ordered_live, false },
	};
	int n = (int)(sizeof(cases) / sizeof(cases[0]));
	int i, failed = 0, skipped = 0;

	if (argc == 2) {
		const char *r = getenv("CMWQ_SYSFS_ROOT");

		snprintf(root, sizeof(root), "%s", r ? r : "");
		for (i = 0; i < n; i++)
			if (!strcmp(argv[1], cases[i].name)) {
				harness_watchdog(HARNESS_SLOW(60));
				cases[i].fn();
				fprintf(stderr, "%s: ok\n", argv[1]);
				return 0;
			}
		return 2;
	}
	self_exe = "/proc/self/exe";
	for (i = 0; i < n; i++) {
		int r = run_case(cases[i].name, cases[i].setup,
				 cases[i].needs_two);

		if (r == HARNESS_SKIP)
			skipped++;
		else if (r)
			failed++;
	}
	if (failed)
		return 1;
	if (skipped == n)
		return HARNESS_SKIP;
	fprintf(stderr, "affinity_scopes: ok (%d cases skipped)\n", skipped);
	return 0;
}
