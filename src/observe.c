// SPDX-License-Identifier: MIT
/*
 * observe.c - publishing the counters to outside monitors (cmwq-top,
 * cmwq-dump) and sampling the CPU time of work functions
 *
 * The manager's first pass creates /dev/shm/cmwq.<pid> (layout and
 * protocol in shm.h).  A monitor bumps the request word in the file (a
 * process-shared futex) and the server copies the engine's counters into
 * the file and says so.  The server is the manager itself: its pass
 * serves, and it sleeps on its own word and the request word at once
 * (futex_waitv, Linux 5.16+), so a process has one helper thread.  Where
 * futex_waitv is missing, a thread of its own, "cmwq-observe", serves.
 * Nothing runs while nobody asks (property 12).
 *
 * CPU time per workqueue is sampled, as the kernel charges its scheduler
 * ticks: every CMWQ_SHM_SAMPLE_MS, while a monitor has asked in the last
 * CMWQ_SHM_LINGER_MS (or cmwq_stats_sample_cpu() is on), the observer
 * reads each worker's thread CPU clock and charges what the worker used
 * since the last sample to the pwq of the item it runs now (nothing when
 * it is idle).  The hot path pays nothing: no clock read per item.
 *
 * Lock order here: wqs_mutex -> wq->mutex -> pool->lock.  Nothing else
 * holds wq->mutex or pool->lock while taking wqs_mutex.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"
#include "shm.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static atomic_int obs_state; /* (A) 0 not started, 1 starting, 2 running */
/*
 * (I) once obs_state is 2: the manager serves the monitors (its pass, and
 * it sleeps on the request word too, with futex_waitv), so the process
 * has one helper thread; false where futex_waitv is missing, and a thread
 * of its own, cmwq-observe, serves.
 */
static bool obs_in_manager;
static struct cmwq_shm_ctl *obs_ctl; /* (I) once obs_state is 2 */
static struct cmwq_shm_snap *obs_snap; /* (I) observer thread writes it */
static uint32_t obs_cap_pools; /* (I) */
static char obs_name[64]; /* (I) path of the file, "" when not asked */
/*
 * (A) Whether exit removes obs_name.  Set, with release, before the file is
 * created and after obs_name is written, so that a process that exits as
 * soon as it sees its file (another thread created it) still removes it;
 * cleared when the file could not be made or mapped.  obs_unlink()'s
 * acquire load pairs with it: obs_name is never written after.
 */
static atomic_bool obs_remove_at_exit;
static pid_t obs_pid; /* (I) the process that created the file */
static atomic_int local_sampling; /* (A) cmwq_stats_sample_cpu() calls */
/* (A) the last bump of ctl->req came from cmwq_stats_sample_cpu() */
static atomic_int local_poke;

/*
 * The CPU clock of thread @tid of this process, made from the tid as the
 * kernel's ABI defines per-thread CPU clocks (no pthread_t needed, so a
 * worker that exits meanwhile only makes the read fail).
 */
static unsigned long long tid_cpu_ns(pid_t tid)
{
	clockid_t clk = (clockid_t)((~(unsigned int)tid) << 3) | 6;
	struct timespec ts;

	if (clock_gettime(clk, &ts) < 0)
		return 0;
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/*
 * Has the worker thread taken pool->lock since it stored its own tid?
 * Until then its tid is not ours to read.  Every such mark is set under
 * pool->lock by the thread itself.  (L)
 */
static bool worker_started(struct worker *worker)
{
	return (worker->flags & WORKER_IDLE) || worker->current_work ||
	       worker->last_active_ns;
}

/* Charge each busy worker's CPU time since the last sample to its pwq. */
static void sample_cpu(void)
{
	int i, n = cmwq_pool_count();

	for (i = 0; i < n; i++) {
		struct worker_pool *pool = cmwq_pool_by_id(i);
		struct worker *worker;

		if (!pool)
			continue;
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		list_for_each_entry(worker, &pool->workers, node) {
			unsigned long long cpu;

			if (!worker_started(worker))
				continue;
			cpu = tid_cpu_ns(worker->tid);
			if (!cpu)
				continue;
			if (worker->obs_cpu_ns && cpu > worker->obs_cpu_ns &&
			    worker->current_pwq &&
			    !(worker->flags & WORKER_IDLE))
				worker->current_pwq->stats[PWQ_STAT_CPU_TIME_NS] +=
					cpu - worker->obs_cpu_ns;
			worker->obs_cpu_ns = cpu;
		}
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
	}
}

static uint32_t worker_state(struct worker *worker)
{
	int s = atomic_load_explicit(&worker->cm_state, memory_order_relaxed);

	if (worker->flags & WORKER_IDLE)
		return CMWQ_SHM_IDLE;
	if (!worker->current_func)
		return CMWQ_SHM_STARTING;
	if (worker->flags & WORKER_CPU_INTENSIVE)
		return CMWQ_SHM_CPU_INTENSIVE;
	if (s == CM_HOG)
		return CMWQ_SHM_CPU_HOG;
	if (s != CM_COUNTED)
		return CMWQ_SHM_BLOCKED;
	return CMWQ_SHM_RUNNING;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * The worker's set_worker_desc() text, as the thread name shows it: the
 * kernel's copy of the name, so no race with the worker writing its own
 * (T) desc.  Linux keeps 15 characters of it.
 */
static void read_desc(struct cmwq_shm_worker *w)
{
	char path[64], buf[32], *plus;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", (int)w->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	plus = strchr(buf, '+');
	if (plus)
		copy_str(w->desc, sizeof(w->desc), plus + 1);
}

/* Name the function a worker runs: symbol, object file, offset. */
static void resolve_func(struct cmwq_shm_worker *w)
{
	Dl_info info;
	const char *base;

	if (!w->func_addr)
		return;
	memset(&info, 0, sizeof(info));
	if (!dladdr((void *)(uintptr_t)w->func_addr, &info))
		return;
	if (info.dli_sname && info.dli_saddr == (void *)(uintptr_t)w->func_addr)
		copy_str(w->func, sizeof(w->func), info.dli_sname);
	if (info.dli_fname) {
		base = strrchr(info.dli_fname, '/');
		copy_str(w->module, sizeof(w->module),
			 base ? base + 1 : info.dli_fname);
		if (!w->module[0])
			copy_str(w->module, sizeof(w->module), "main");
	}
	if (info.dli_fbase)
		w->func_off = w->func_addr - (uintptr_t)info.dli_fbase;
}

/*
 * Where the worker records go, and how many there are so far.  Kept here,
 * not read back from the snapshot: the file is shared, so nothing in it is
 * trusted to index this process's memory.
 */
struct fill_workers {
	struct cmwq_shm_worker *workers;
	uint32_t nr;
	bool truncated;
};

static void fill_pool(struct fill_workers *fw, struct worker_pool *pool,
		      struct cmwq_shm_pool *p)
{
	struct worker *worker;
	size_t words = sizeof(pool->cpumask) / sizeof(pool->cpumask[0]);
	struct pool_snapshot s;
	size_t i;

	memset(p, 0, sizeof(*p));
	cmwq_mutex_lock(&pool->lock, LC_POOL);
	copy_str(p->name, sizeof(p->name), pool->name);
	p->id = pool->id;
	p->cpu = pool->cpu;
	p->nice = pool->nice;
	p->highpri = (pool->highpri ? 1u : 0u) |
		     (pool->bh ? CMWQ_SHM_POOL_BH : 0u) |
		     (pool->affn_strict ? CMWQ_SHM_POOL_STRICT : 0u);
	cmwq_pool_snapshot(pool, &s);
	p->target_running = s.target_running;
	p->nr_workers = s.nr_workers;
	p->nr_idle = s.nr_idle;
	p->nr_running = s.nr_running;
	p->peak_workers = (uint32_t)s.stat[POOL_STAT_PEAK_WORKERS];
	p->workers_created = s.stat[POOL_STAT_WORKERS_CREATED];
	p->workers_exited = s.stat[POOL_STAT_WORKERS_EXITED];
	p->started = s.stat[POOL_STAT_ITEMS_STARTED];
	p->completed = s.stat[POOL_STAT_ITEMS_COMPLETED];
	p->cm_wakeups = s.cm_wakeups;
	p->cpu_intensive = s.stat[POOL_STAT_CPU_INTENSIVE];
	p->mayday = s.stat[POOL_STAT_MAYDAY_CALLS];
	for (i = 0; i < words && i < CMWQ_SHM_MASK_WORDS; i++) {
		p->cpumask[i] = pool->cpumask[i];
		p->pod_cpumask[i] = pool->pod_cpumask[i];
	}
	pool_drain_incoming(pool);
	list_for_each_entry(worker, &pool->workers, node) {
		struct cmwq_shm_worker *w;

		if (fw->nr >= CMWQ_SHM_MAX_WORKERS) {
			fw->truncated = true;
			break;
		}
		w = &fw->workers[fw->nr++];
		memset(w, 0, sizeof(*w));
		copy_str(w->name, sizeof(w->name), worker->name);
		w->pool = pool->id;
		w->id = worker->id;
		w->tid = worker_started(worker) ? worker->tid : 0;
		w->state = worker_state(worker);
		w->rescuer = !!(worker->flags & WORKER_RESCUER);
		if (worker->current_func && !(worker->flags & WORKER_IDLE)) {
			w->func_addr = (uintptr_t)worker->current_func;
			if (worker->current_pwq)
				copy_str(w->wq, sizeof(w->wq),
					 worker->current_pwq->wq->name);
		}
		if (w->tid)
			w->cpu_ns = tid_cpu_ns(w->tid);
	}
	{
		struct work_struct *work;

		list_for_each_entry(work, &pool->worklist, entry)
			p->nr_worklist++;
	}
	cmwq_mutex_unlock(&pool->lock, LC_POOL);
}

_Static_assert(CMWQ_SHM_SCOPES == WQ_AFFN_NR_TYPES, "one entry per scope");

/* Add @pool to @q's unbound pools once.  (W) */
static void note_unbound_pool(struct cmwq_shm_wq *q, struct worker_pool *pool)
{
	uint32_t i;

	for (i = 0; i < q->nr_unbound_pools; i++)
		if (q->unbound_pools[i] == pool->id)
			return;
	if (q->nr_unbound_pools < CMWQ_SHM_WQ_POOLS)
		q->unbound_pools[q->nr_unbound_pools++] = pool->id;
}

/*
 * An unbound workqueue's scope, and the pools of its pwqs: those it queues
 * to now first.  (W)
 */
static void fill_unbound(struct workqueue_struct *wq, struct cmwq_shm_wq *q)
{
	struct pool_workqueue *pwq = atomic_load(&wq->dfl_pwq);
	int cpu, scope = WQ_AFFN_DFL;
	struct list_head *node;

	if (wq->unbound_attrs) {
		scope = wq->unbound_attrs->affn_scope;
		q->affn_scope = (uint8_t)scope;
		q->affn_strict = wq->unbound_attrs->affn_strict;
	}
	if (scope == WQ_AFFN_DFL)
		scope = cmwq_topo_default_scope();
	if (wq->flags & __WQ_ORDERED)
		scope = WQ_AFFN_SYSTEM;
	q->affn_scope_eff = (uint8_t)scope;
	if (pwq)
		q->pool = pwq->pool->id;
	for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++) {
		pwq = atomic_load(&wq->cpu_pwqs[cpu]);
		if (pwq)
			note_unbound_pool(q, pwq->pool);
	}
	/* And those replaced by apply_workqueue_attrs() still draining. */
	list_for_each_node(node, &wq->pwqs)
		note_unbound_pool(
			q, list_entry(node, struct pool_workqueue, wq_node)
				   ->pool);
}

/* The pods of every scope, for cmwq-dump's "Affinity Scopes". */
static void fill_topology(struct cmwq_shm_topo *t)
{
	int scope, cpu, pod, n = cmwq_topo_nr_cpus();

	memset(t, 0, sizeof(*t));
	if (n > CMWQ_SHM_TOPO_CPUS)
		n = CMWQ_SHM_TOPO_CPUS;
	t->nr_cpus = (uint32_t)n;
	t->default_scope = (uint32_t)cmwq_topo_default_scope();
	t->cache_shard_size = (uint32_t)cmwq_topo_cache_shard_size();
	for (scope = WQ_AFFN_CPU; scope < WQ_AFFN_NR_TYPES; scope++) {
		int nr = cmwq_topo_nr_pods(scope);

		t->nr_pods[scope] = (uint32_t)nr;
		for (cpu = 0; cpu < n; cpu++)
			t->cpu_pod[scope][cpu] =
				(uint16_t)cmwq_topo_cpu_pod(scope, cpu);
		for (pod = 0; pod < nr && pod < CMWQ_SHM_TOPO_CPUS; pod++)
			t->pod_node[scope][pod] =
				(uint16_t)cmwq_topo_pod_node(scope, pod);
	}
}

static void fill_wq(struct workqueue_struct *wq, struct cmwq_shm_wq *q)
{
	struct wq_snapshot s;

	memset(q, 0, sizeof(*q));
	cmwq_mutex_lock(&wq->mutex, LC_WQ);
	copy_str(q->name, sizeof(q->name), wq->name);
	q->flags = wq->flags;
	q->max_active = wq->max_active;
	q->has_rescuer = wq->rescuer != NULL;
	q->pool = -1;
	q->first_cpu_pool = -1;
	if (wq->flags & WQ_UNBOUND) {
		fill_unbound(wq, q);
	} else if (wq->cpu_pwqs && atomic_load(&wq->cpu_pwqs[0])) {
		q->first_cpu_pool = atomic_load(&wq->cpu_pwqs[0])->pool->id;
	}
	cmwq_wq_snapshot(wq, &s);
	cmwq_mutex_unlock(&wq->mutex, LC_WQ);
	q->nr_pwqs = s.nr_pwqs;
	q->started = s.stat[PWQ_STAT_ITEMS_STARTED];
	q->completed = s.stat[PWQ_STAT_ITEMS_COMPLETED];
	q->cpu_time_ns = s.stat[PWQ_STAT_CPU_TIME_NS];
	q->cpu_intensive = s.stat[PWQ_STAT_CPU_INTENSIVE];
	q->mayday = s.stat[PWQ_STAT_MAYDAY_CALLS];
	q->rescued = s.stat[PWQ_STAT_RESCUED];
	q->cm_wakeups = s.cm_wakeups;
	q->nr_active = s.nr_active;
	q->nr_in_flight = s.nr_in_flight;
	q->nr_inactive = s.nr_inactive;
}

void cmwq_shm_fill(struct cmwq_shm_snap *s, uint32_t cap_pools)
{
	/* The records' places from @cap_pools, not from s->cap_pools. */
	struct cmwq_shm_wq *wqs = (struct cmwq_shm_wq *)(s + 1);
	struct cmwq_shm_pool *pools =
		(struct cmwq_shm_pool *)(wqs + CMWQ_SHM_MAX_WQS);
	struct fill_workers fw = {
		.workers = (struct cmwq_shm_worker *)(pools + cap_pools),
	};
	struct workqueue_struct *wq;
	uint32_t i, nr_pools = 0, nr_wqs = 0;
	bool truncated = false;
	int n;

	s->cap_pools = cap_pools;
	s->nr_cpus = (uint32_t)cmwq_nr_cpu_slots;
	s->sample_ms = CMWQ_SHM_SAMPLE_MS;
	s->snap_ns = cmwq_clock_ns();

	n = cmwq_pool_count();
	for (i = 0; i < (uint32_t)n; i++) {
		struct worker_pool *pool = cmwq_pool_by_id((int)i);

		if (!pool)
			break;
		if (nr_pools >= cap_pools) {
			truncated = true;
			break;
		}
		fill_pool(&fw, pool, &pools[nr_pools++]);
	}
	/* dladdr() outside every pool lock. */
	for (i = 0; i < fw.nr; i++) {
		resolve_func(&fw.workers[i]);
		if (fw.workers[i].func_addr)
			read_desc(&fw.workers[i]);
	}

	cmwq_mutex_lock(&wqs_mutex, LC_WQS);
	list_for_each_entry(wq, &workqueues, node) {
		if (nr_wqs >= CMWQ_SHM_MAX_WQS) {
			truncated = true;
			break;
		}
		fill_wq(wq, &wqs[nr_wqs++]);
	}
	cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	s->nr_pools = nr_pools;
	s->nr_workers = fw.nr;
	s->nr_wqs = nr_wqs;
	/* After the workers, whose place depends on cap_pools (set above). */
	fill_topology(cmwq_shm_topology(s));
	s->truncated = truncated || fw.truncated;
}

/* Take a snapshot into the published file under its sequence count. */
static void publish(void)
{
	struct cmwq_shm_snap *s = obs_snap;
	uint32_t seq = atomic_load_explicit(&s->seq, memory_order_relaxed);

	/* A full barrier (locked exchange): no write below moves above. */
	atomic_exchange(&s->seq, seq + 1);
	cmwq_shm_fill(s, obs_cap_pools);
	atomic_store_explicit(&s->seq, seq + 2, memory_order_release);
}

/*
 * Serve the monitors: publish for a new request, sample the CPU clocks
 * while someone watches.  Runs on the thread that serves (the manager, or
 * cmwq-observe where futex_waitv is missing).  Returns when to sample
 * next, 0 when nobody watches.  On return obs_served is the request word's
 * value the server may sleep on.
 */
static uint32_t obs_served; /* (serving thread; set before obs_state is 2) */
static unsigned long long obs_last_req, obs_next_sample; /* (same) */

static unsigned long long observe_serve(unsigned long long now)
{
	struct cmwq_shm_ctl *ctl = obs_ctl;
	uint32_t req = atomic_load(&ctl->req);
	bool sampling;

	if (req == obs_served + 1 && atomic_exchange(&local_poke, 0)) {
		/* Only cmwq_stats_sample_cpu(): no monitor to answer. */
		obs_served = req;
		atomic_store(&ctl->done, req);
	} else if (req != obs_served) {
		atomic_store(&local_poke, 0);
		sample_cpu();
		obs_next_sample = now + CMWQ_SHM_SAMPLE_MS * 1000000ull;
		publish();
		atomic_store(&ctl->done, req);
		/* Not private: monitors in other processes wait on it. */
		cmwq_futex_wake_shared(&ctl->done, INT_MAX);
		obs_served = req;
		obs_last_req = now;
	}
	sampling = atomic_load(&local_sampling) > 0 ||
		   (obs_last_req &&
		    now - obs_last_req < CMWQ_SHM_LINGER_MS * 1000000ull);
	if (sampling && now >= obs_next_sample) {
		sample_cpu();
		obs_next_sample = now + CMWQ_SHM_SAMPLE_MS * 1000000ull;
	}
	if (!sampling)
		obs_last_req = 0;
	return sampling ? obs_next_sample : 0;
}

/* Where futex_waitv is missing: a thread of its own serves. */
static void *observer_thread(void *arg)
{
	(void)arg;
	cmwq_thread_set_name("cmwq-observe");
	for (;;) {
		unsigned long long due = observe_serve(cmwq_clock_ns());

		cmwq_futex_wait_shared(&obs_ctl->req, obs_served, due);
	}
	return NULL;
}

static void obs_unlink(void)
{
	if (atomic_load_explicit(&obs_remove_at_exit, memory_order_acquire) &&
	    getpid() == obs_pid)
		unlink(obs_name);
}

static void read_comm(char *buf, size_t size)
{
	int fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

/* This process's start time, for monitors to tell a reused pid. */
static uint64_t self_starttime(void)
{
	unsigned long long start = 0;

	if (cmwq_shm_proc_starttime(getpid(), &start) < 0)
		return 0;
	return start;
}

/*
 * Create obs_name as a new file of this process's own: O_EXCL so that a
 * file someone else put there first is never used, O_NOFOLLOW so that no
 * link is followed, then fstat() to be sure.  A file of this name that this
 * user owns is left over (no other live process has this pid: it is from a
 * dead process whose pid was reused, or from this one before an exec) and
 * is removed first.  Returns the descriptor, or -1 after the one warning.
 */
static int obs_create(void)
{
	uid_t uid = geteuid();
	struct stat st;
	int fd, err;

	if (!lstat(obs_name, &st) && st.st_uid == uid)
		unlink(obs_name);
	fd = open(obs_name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		err = errno;
		if (err == EEXIST && !lstat(obs_name, &st))
			cmwq_warn("%s exists and belongs to uid %u, not this "
				  "process; publishing no counters (cmwq-top "
				  "will not see this process)",
				  obs_name, (unsigned int)st.st_uid);
		else
			cmwq_warn("cannot create %s: %s; publishing no "
				  "counters (cmwq-top will not see this "
				  "process)",
				  obs_name, strerror(err));
		return -1;
	}
	/* The mode asked for, whatever the umask: monitors need to write. */
	if (fchmod(fd, 0600) < 0 || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode) || st.st_uid != uid ||
	    (st.st_mode & 07777) != 0600 || st.st_nlink != 1 ||
	    st.st_size != 0) {
		cmwq_warn("%s is not a new file of this process's own after "
			  "creating it; publishing no counters (cmwq-top "
			  "will not see this process)",
			  obs_name);
		close(fd);
		return -1;
	}
	return fd;
}

/* Create the file, or private memory when it cannot be created. */
static int obs_map(void)
{
	long page = sysconf(_SC_PAGESIZE);
	uint32_t cap = (uint32_t)cmwq_nr_cpu_slots * 4 + 64;
	uint64_t size = (uint64_t)page + cmwq_shm_snap_size(cap);
	const char *env = getenv("CMWQ_OBSERVE");
	void *map = MAP_FAILED;
	int fd = -1;

	size = (size + (uint64_t)page - 1) & ~((uint64_t)page - 1);
	obs_pid = getpid();
	if (!env || strcmp(env, "0")) {
		snprintf(obs_name, sizeof(obs_name),
			 CMWQ_SHM_DIR CMWQ_SHM_PREFIX "%d", (int)obs_pid);
		/*
		 * Files this user's killed processes left behind: once, when
		 * this process first publishes.
		 */
		cmwq_shm_remove_stale(obs_pid);
		atomic_store_explicit(&obs_remove_at_exit, true,
				      memory_order_release);
		atexit(obs_unlink);
		fd = obs_create();
		if (fd >= 0 && ftruncate(fd, (off_t)size) < 0) {
			cmwq_warn("cannot size %s: %s; publishing no counters",
				  obs_name, strerror(errno));
			close(fd);
			unlink(obs_name);
			fd = -1;
		}
		if (fd >= 0) {
			map = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, 0);
			if (map == MAP_FAILED) {
				cmwq_warn("cannot map %s: %s; publishing no "
					  "counters",
					  obs_name, strerror(errno));
				unlink(obs_name);
			}
			close(fd);
		}
	}
	if (map == MAP_FAILED) {
		/* Not ours to remove (someone else's file), or gone already. */
		atomic_store_explicit(&obs_remove_at_exit, false,
				      memory_order_relaxed);
		map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED)
			return -ENOMEM;
	}
	obs_ctl = map;
	obs_snap = (struct cmwq_shm_snap *)((char *)map + page);
	obs_cap_pools = cap;
	obs_snap->cap_pools = cap;
	read_comm(obs_snap->comm, sizeof(obs_snap->comm));
	obs_ctl->version = CMWQ_SHM_VERSION;
	obs_ctl->pid = (int32_t)obs_pid;
	obs_ctl->snap_offset = (uint64_t)page;
	obs_ctl->size = size;
	obs_ctl->starttime = self_starttime();
	/* Publish the magic last: a monitor checks it before anything. */
	__atomic_store_n(&obs_ctl->magic, CMWQ_SHM_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

static void observe_start(void)
{
	int expected = 0;

	if (!atomic_compare_exchange_strong(&obs_state, &expected, 1)) {
		/*
		 * Another thread (the manager's pass, or a caller of
		 * cmwq_stats_sample_cpu()) is starting it: wait until it has,
		 * or has failed, so that a caller that returns from here finds
		 * the file made (or its warning printed).
		 */
		while (expected == 1) {
			struct timespec ts = { 0, 100000 };

			nanosleep(&ts, NULL);
			expected = atomic_load(&obs_state);
		}
		return;
	}
	if (!obs_ctl && obs_map() < 0) {
		atomic_store(&obs_state, 0);
		return;
	}
	obs_served = atomic_load(&obs_ctl->done);
	obs_in_manager = cmwq_futex_wait2_works();
	if (obs_in_manager) {
		/* The manager serves: it must run, and see the new word. */
		atomic_store(&obs_ctl->observer, 1);
		atomic_store(&obs_state, 2);
		cmwq_manager_start_if_needed();
		cmwq_manager_wake();
		return;
	}
	if (cmwq_thread_start(observer_thread, NULL) < 0) {
		/* Retried on a later manager pass. */
		atomic_store(&obs_state, 0);
		return;
	}
	atomic_store(&obs_ctl->observer, 1);
	atomic_store(&obs_state, 2);
}

/* Does the manager serve here, in the process that made the file? */
static bool served_by_manager(void)
{
	return atomic_load(&obs_state) == 2 && obs_in_manager &&
	       getpid() == obs_pid;
}

void cmwq_observe_pass(unsigned long long now, unsigned long long *next)
{
	unsigned long long due;

	if (atomic_load_explicit(&obs_state, memory_order_relaxed) != 2)
		observe_start();
	if (!served_by_manager())
		return;
	due = observe_serve(now);
	if (due && due < *next)
		*next = due;
}

bool cmwq_observe_wait_word(void **word, unsigned int *val)
{
	if (!served_by_manager())
		return false;
	*word = &obs_ctl->req;
	*val = obs_served;
	return true;
}

CMWQ_API void cmwq_stats_sample_cpu(bool on)
{
	cmwq_init_once();
	if (on)
		atomic_fetch_add(&local_sampling, 1);
	else if (atomic_fetch_sub(&local_sampling, 1) <= 0)
		atomic_fetch_add(&local_sampling, 1); /* unbalanced off */
	observe_start();
	if (atomic_load(&obs_state) != 2)
		return;
	/* Make the observer look at local_sampling again. */
	atomic_store(&local_poke, 1);
	atomic_fetch_add(&obs_ctl->req, 1);
	cmwq_futex_wake_shared(&obs_ctl->req, INT_MAX);
}

CMWQ_API int cmwq_stats_sample_now(void)
{
	cmwq_init_once();
	sample_cpu();
	return 0;
}

/*
 * CMWQ_OBSERVE is read where the file is made ("0": off, anything else:
 * on, the default); checked at start-up so a bad value is reported.
 */
static int observe_setting_init(void)
{
	bool observe;

	(void)cmwq_setting_bool("CMWQ_OBSERVE", "1", &observe);
	return 0;
}
cmwq_initcall(INIT_SETTINGS, observe_setting_init);
