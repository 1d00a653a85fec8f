/* SPDX-License-Identifier: MIT */
/*
 * shm.h - the layout of the counters a process publishes for cmwq-top and
 * cmwq-dump, shared by the library (observe.c, dump.c) and the tools
 *
 * A process linked with cmwq creates /dev/shm/cmwq.<pid> when its manager
 * thread first runs: with O_EXCL|O_NOFOLLOW, mode 0600, and only after
 * fstat() shows it is a new regular file of its own (else the process
 * publishes nothing, and says so once).  0600, not 0644: a monitor must
 * write the request word, so a reader that may not write could not use
 * the file anyway.  The file has two parts:
 *
 *   page 0   struct cmwq_shm_ctl: the request protocol.  Monitors map it
 *            read-write; it holds nothing but the two futex words and
 *            constants.
 *   page 1-  struct cmwq_shm_snap and its records: the snapshot.  Monitors
 *            map it read-only.
 *
 * The request protocol (both futex words are process-shared):
 *
 *   monitor                               observer thread (cmwq-observe)
 *   r = ++ctl->req (atomic add)           futex_wait(&ctl->req, seen)
 *   futex_wake(&ctl->req)                 seen = ctl->req; take snapshot
 *   futex_wait(&ctl->done, d) until       ctl->done = seen
 *     (int)(ctl->done - r) >= 0           futex_wake(&ctl->done)
 *
 * Nothing is published, and the observer thread never wakes, while no
 * monitor asks: watching costs the process nothing when nobody watches.
 * A monitor that dies leaves no state behind.  While monitors keep asking
 * the observer also samples the workers' CPU clocks (every
 * CMWQ_SHM_SAMPLE_MS) to charge CPU time to workqueues.
 *
 * The snapshot is written under a sequence count (odd while writing), so
 * two monitors asking at once each read a consistent copy.
 *
 * Trust: the process reads nothing from the file but the request word (any
 * value is fine there), so a monitor cannot make it misbehave.  A monitor,
 * which may run as root, treats the whole file as untrusted input: it
 * checks the owner, the size and every field of page 0, reads the snapshot
 * with pread() (a file that shrinks gives a short read, not SIGBUS), and
 * checks every count and terminates every string of its copy before use
 * (tools/shm_client.c).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_SHM_H
#define CMWQ_SHM_H

#include <stdatomic.h>
#include <stdint.h>

#define CMWQ_SHM_MAGIC 0x7368716d77636dull /* "mcwqmhs" */
/* 2: page 0 records the process's start time; the file is 0600, O_EXCL. */
#define CMWQ_SHM_VERSION 3
#define CMWQ_SHM_PREFIX "/cmwq."
#define CMWQ_SHM_DIR "/dev/shm"
#define CMWQ_SHM_SAMPLE_MS 10
/* How long the observer keeps sampling after the last request. */
#define CMWQ_SHM_LINGER_MS 5000

/* Capacities of the published snapshot. */
#define CMWQ_SHM_MAX_WQS 512
#define CMWQ_SHM_MAX_WORKERS 2048
#define CMWQ_SHM_MASK_WORDS 16 /* 1024 CPUs */
#define CMWQ_SHM_WQ_POOLS 16 /* pod pools listed per workqueue */
#define CMWQ_SHM_TOPO_CPUS 1024
#define CMWQ_SHM_SCOPES 7 /* WQ_AFFN_NR_TYPES */

/**
 * struct cmwq_shm_ctl - page 0: constants and the request protocol
 * @magic: CMWQ_SHM_MAGIC once the file is ready
 * @version: CMWQ_SHM_VERSION
 * @pid: the publishing process
 * @snap_offset: offset of struct cmwq_shm_snap (one page)
 * @size: size of the whole file
 * @req: futex word, bumped by monitors to ask for a snapshot
 * @done: futex word, the last request the observer served
 * @observer: 1 while the observer thread runs
 * @pad: zero
 * @starttime: the process's start time, field 22 of /proc/PID/stat (clock
 *	ticks since boot): a file whose pid now names another process is
 *	stale (the pid was reused), not that process's
 */
struct cmwq_shm_ctl {
	uint64_t magic;
	uint32_t version;
	int32_t pid;
	uint64_t snap_offset;
	uint64_t size;
	_Atomic uint32_t req;
	_Atomic uint32_t done;
	_Atomic uint32_t observer;
	uint32_t pad;
	uint64_t starttime;
};

/* Worker states in struct cmwq_shm_worker.state. */
enum {
	CMWQ_SHM_IDLE = 0,
	CMWQ_SHM_RUNNING = 1, /* running an item, counted as running */
	CMWQ_SHM_BLOCKED = 2, /* running an item, found or declared blocked */
	CMWQ_SHM_CPU_HOG = 3, /* ran past the CPU-intensive threshold */
	CMWQ_SHM_CPU_INTENSIVE = 4, /* WQ_CPU_INTENSIVE item */
	CMWQ_SHM_STARTING = 5, /* between items, or not yet idle */
};

/**
 * struct cmwq_shm_wq - one workqueue
 *
 * Counters are totals since the workqueue was created; @cpu_time_ns is
 * sampled only while a monitor watches (or cmwq_stats_sample_cpu() is on).
 */
struct cmwq_shm_wq {
	char name[64];
	uint32_t flags;
	int32_t max_active;
	uint64_t started;
	uint64_t completed;
	uint64_t cpu_time_ns;
	uint64_t cpu_intensive;
	uint64_t cm_wakeups;
	uint64_t mayday;
	uint64_t rescued;
	uint32_t nr_active;
	uint32_t nr_inactive;
	uint32_t nr_in_flight;
	int32_t pool; /* unbound: its pool id; bound: -1 */
	int32_t first_cpu_pool; /* bound: the pool of CPU 0 (-1 unbound) */
	uint32_t nr_pwqs;
	uint32_t has_rescuer;
	/* unbound: the scope asked for, the scope in force, strictness */
	uint8_t affn_scope;
	uint8_t affn_scope_eff;
	uint8_t affn_strict;
	uint8_t nr_unbound_pools; /* entries of unbound_pools (may be more) */
	/* unbound: the pools of the pwqs it queues to now */
	int32_t unbound_pools[CMWQ_SHM_WQ_POOLS];
};

/* In struct cmwq_shm_pool.highpri, beside bit 0: a BH pool (WQ_BH). */
#define CMWQ_SHM_POOL_BH 2u
/* ... and an unbound pool whose workers never leave their pod. */
#define CMWQ_SHM_POOL_STRICT 4u

/**
 * struct cmwq_shm_pool - one worker pool
 */
struct cmwq_shm_pool {
	char name[24];
	int32_t id;
	int32_t cpu;
	int32_t nice;
	uint32_t highpri; /* bit 0: high priority; CMWQ_SHM_POOL_BH: WQ_BH */
	uint32_t target_running;
	uint32_t nr_workers;
	uint32_t nr_idle;
	uint32_t nr_running;
	uint32_t peak_workers;
	uint32_t nr_worklist;
	uint64_t workers_created;
	uint64_t workers_exited;
	uint64_t started;
	uint64_t completed;
	uint64_t cm_wakeups;
	uint64_t cpu_intensive;
	uint64_t mayday;
	uint64_t cpumask[CMWQ_SHM_MASK_WORDS]; /* all zero: any CPU */
	uint64_t pod_cpumask[CMWQ_SHM_MASK_WORDS]; /* unbound: its pod */
};

/**
 * struct cmwq_shm_worker - one worker thread
 */
struct cmwq_shm_worker {
	char name[32]; /* kworker/0:1 */
	char desc[32]; /* set_worker_desc() text */
	char func[64]; /* symbol of the function it runs, if resolved */
	char wq[64]; /* workqueue of the item it runs */
	char module[64]; /* object file the function lives in (basename) */
	uint64_t func_addr; /* function it runs, 0 when idle */
	uint64_t func_off; /* offset of func_addr in that object */
	uint64_t cpu_ns; /* thread CPU time */
	int32_t pool;
	int32_t id;
	int32_t tid;
	uint32_t state; /* CMWQ_SHM_* */
	uint32_t rescuer;
	uint32_t pad;
};

/**
 * struct cmwq_shm_snap - the snapshot: header, then the records
 * @seq: sequence count, odd while the observer writes
 * @snap_ns: CLOCK_MONOTONIC time of the snapshot
 * @nr_wqs: workqueue records that follow
 * @nr_pools: pool records after them
 * @nr_workers: worker records after those
 * @truncated: some records did not fit
 * @nr_cpus: CPU slots of the process
 * @cap_pools: pool records the file has room for
 * @comm: the process's name
 */
struct cmwq_shm_snap {
	_Atomic uint32_t seq;
	uint32_t truncated;
	uint64_t snap_ns;
	uint32_t nr_wqs;
	uint32_t nr_pools;
	uint32_t nr_workers;
	uint32_t nr_cpus;
	uint32_t cap_pools;
	uint32_t sample_ms;
	char comm[16];
};

/* The records follow the header in this order. */
static inline struct cmwq_shm_wq *cmwq_shm_wqs(struct cmwq_shm_snap *s)
{
	return (struct cmwq_shm_wq *)(s + 1);
}

static inline struct cmwq_shm_pool *cmwq_shm_pools(struct cmwq_shm_snap *s)
{
	return (struct cmwq_shm_pool *)(cmwq_shm_wqs(s) + CMWQ_SHM_MAX_WQS);
}

static inline struct cmwq_shm_worker *cmwq_shm_workers(struct cmwq_shm_snap *s)
{
	return (struct cmwq_shm_worker *)(cmwq_shm_pools(s) + s->cap_pools);
}

static inline struct cmwq_shm_topo *cmwq_shm_topology(struct cmwq_shm_snap *s)
{
	return (struct cmwq_shm_topo *)(cmwq_shm_workers(s) +
					CMWQ_SHM_MAX_WORKERS);
}

/**
 * struct cmwq_shm_topo - the pods of each affinity scope (after the workers)
 * @nr_cpus: CPUs the topology describes (those below CMWQ_SHM_TOPO_CPUS)
 * @default_scope: the scope WQ_AFFN_DFL stands for
 * @cache_shard_size: cores per cache shard
 * @nr_pods: per scope, as enum wq_affn_scope numbers them (0 unused)
 * @cpu_pod: per scope and CPU, its pod
 * @pod_node: per scope and pod, the NUMA node of its first CPU
 */
struct cmwq_shm_topo {
	uint32_t nr_cpus;
	uint32_t default_scope;
	uint32_t cache_shard_size;
	uint32_t nr_pods[CMWQ_SHM_SCOPES];
	uint16_t cpu_pod[CMWQ_SHM_SCOPES][CMWQ_SHM_TOPO_CPUS];
	uint16_t pod_node[CMWQ_SHM_SCOPES][CMWQ_SHM_TOPO_CPUS];
};

static inline uint64_t cmwq_shm_snap_size(uint32_t cap_pools)
{
	return sizeof(struct cmwq_shm_snap) +
	       sizeof(struct cmwq_shm_wq) * CMWQ_SHM_MAX_WQS +
	       sizeof(struct cmwq_shm_pool) * cap_pools +
	       sizeof(struct cmwq_shm_worker) * CMWQ_SHM_MAX_WORKERS +
	       sizeof(struct cmwq_shm_topo);
}

/*
 * Order the loads of a snapshot copy before re-reading its sequence count
 * (the mapping is read-only: no read-modify-write there).  TSan does not
 * take fences; a sanitized build gets a compiler barrier, enough on x86.
 */
static inline void cmwq_shm_read_barrier(void)
{
#ifdef __SANITIZE_THREAD__
	__asm__ __volatile__("" ::: "memory");
#else
	atomic_thread_fence(memory_order_acquire);
#endif
}

/* shm_format.c: the text of cmwq-dump and show_all_workqueues() */
#include <stdio.h>
#include <sys/types.h>
void cmwq_shm_print_dump(FILE *f, struct cmwq_shm_snap *s, const char *only_wq);

/*
 * shm_format.c, shared by the library and the tools: process start times
 * and the removal of files left by dead processes.
 */

/**
 * cmwq_shm_proc_starttime() - when process @pid started
 * @pid: the process
 * @start: field 22 of /proc/PID/stat, clock ticks since boot
 *
 * Return: 0, or -errno (-ENOENT: no such process, or no /proc).
 */
int cmwq_shm_proc_starttime(pid_t pid, unsigned long long *start);

/**
 * cmwq_shm_remove_stale() - remove the files of this user's dead processes
 * @self: a pid to leave alone (the caller's own), or 0
 *
 * A file /dev/shm/cmwq.PID is removed only when it is a regular file owned
 * by the caller's effective uid and its process is gone: kill(PID, 0)
 * fails with ESRCH, or PID now names a process that started at another
 * time than the one the file records (the pid was reused).
 *
 * Return: the number of files removed.
 */
int cmwq_shm_remove_stale(pid_t self);

/* observe.c: fill @s (sized for @cap_pools pools) from the live engine */
void cmwq_shm_fill(struct cmwq_shm_snap *s, uint32_t cap_pools);

#endif /* CMWQ_SHM_H */
