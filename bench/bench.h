/* SPDX-License-Identifier: MIT */
/*
 * bench.h - the pools the benchmark compares, behind one small interface
 *
 * A workload (bench.c) submits preallocated tasks to a pool and waits for
 * them.  Every pool implements the same hooks; a pool that cannot do a
 * workload leaves the hook NULL and the table shows "n/a".
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>

#ifdef BENCH_HAVE_CMWQ
#include <cmwq.h>
#endif

/*
 * A task.  The pool-specific link lives in the union, so no pool allocates
 * anything per submit: a cmwq task embeds its struct work_struct, the
 * textbook pool links tasks through @next.
 */
struct task {
	union {
#ifdef BENCH_HAVE_CMWQ
		struct work_struct work;
#endif
		struct task *next;
		unsigned char pad[32];
	} u;
	void (*fn)(struct task *t);
	uint64_t start; /* W3: when the task started (ns) */
	unsigned int idx; /* index in the task array */
	unsigned int q; /* W5: serial queue number */
	unsigned int seq; /* W5: position in its queue */
};

/* A serial (ordered) queue of W5; each pool has its own representation. */
struct squeue;

struct pool {
	const char *id; /* command-line name */
	const char *label; /* row label in the table */
	const char *env; /* NAME=VALUE set in the child, or NULL */
	unsigned int flags;
	int (*init)(void);
	void (*fini)(void);
	/* per-producer-thread state, optional */
	void (*thread_begin)(void);
	/* let the producer's submissions complete (e.g. run the loop) */
	void (*thread_end)(void);
	/* before a task is used in a repetition (outside the clock) */
	void (*prepare)(struct task *t);
	void (*submit)(struct task *t);
	/* optional: W3's submit, when the pool has a better one for it */
	void (*submit_one)(struct task *t);
	/* optional: completion signalling other than the default futex */
	void (*done_reset)(void);
	void (*done_signal)(void);
	void (*done_wait)(void);
	/* optional: run @body inside the pool's parallel region */
	void (*region)(void (*body)(void *arg), void *arg);
	/*
	 * optional: W2 for pools whose producers must be the pool's own
	 * threads: run prod(0) and prod(1) concurrently and return when
	 * both returned
	 */
	void (*w2_producers)(void (*prod)(int k));
	/* W5: serial queues; NULL when the pool has none */
	struct squeue *(*sq_create)(int i);
	void (*sq_submit)(struct squeue *q, struct task *t);
	void (*sq_destroy)(struct squeue *q);
};

/* flags */
#define POOL_CMWQ 0x1 /* a cmwq variant */
#define POOL_SPINS 0x2 /* idle workers spin (not a "sleeping" peer) */
#define POOL_SLOW_SUBMIT 0x4 /* W1/W2 run with a tenth of the items */
#define POOL_NO_W5 0x8 /* W5 not meaningful (reported as "-") */

/* Run a task: the pools call this from their workers. */
static inline void task_run(struct task *t)
{
	t->fn(t);
}

/* The pools, one per file; NULL when the peer was not found at build time. */
extern const struct pool pool_cmwq_percpu, pool_cmwq_unbound;
extern const struct pool pool_textbook;
extern const struct pool pool_glib2, pool_glib_unl;
extern const struct pool pool_uv4, pool_uv2;
extern const struct pool pool_tbb;
extern const struct pool pool_omp;

/* Futex event used by pools without their own completion. */
void ev_reset(void);
void ev_signal(void);
void ev_wait(void);

uint64_t now_ns(void);

/* Size of the task array of the running case (pools size arrays by it). */
extern unsigned int bench_nr_tasks;

#endif /* BENCH_H */
