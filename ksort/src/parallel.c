/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/parallel.c - the parallel driver on cmwq
 *
 * One sort is a job on the caller's stack.  The caller starts sorting at
 * once; ranges above the cut-off are partitioned (quicksort's pivot rule
 * and 3-way partition), the larger part is put on the job's stack of
 * ranges and the caller goes on with the smaller part.  Up to
 * parallelism - 1 helper work items, embedded in the job, take ranges from
 * that stack and do the same.  A range at or below the cut-off is a leaf,
 * sorted by the chosen sequential algorithm.  The job ends when no range is
 * on the stack or in hand (a counter under the job's lock).
 *
 * Lifetime rule: the job and its work items belong to the caller's stack
 * frame.  Before returning, the caller cancels each helper that has not
 * started and flushes each that has (cmwq_flush_work() on its own items,
 * never a queue drain), so nothing of the job is touched after the call,
 * and other sorts on the same workqueue are never waited for.  Ranges on
 * the stack are heap nodes owned by the stack until popped, then by the
 * thread that popped them, which frees them.
 *
 * A thread waiting for a range tells its pool it sleeps, so a bound pool
 * may run another item meanwhile.  The caller never waits for a helper to
 * do work: if no helper ever runs (pool busy, no thread could be created)
 * the caller sorts everything itself.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"

#define KS_MAX_HELPERS 64

struct ks_split;

struct ks_range {
	struct ks_part p;
	struct ks_split *split;		/* not NULL: the second half of it */
	struct ks_range *next;
};

/*
 * A pdqsort step on a range of KS_PDQ_HALVES keys or more, whose halves
 * two threads partition at once: the thread that began the step pushes
 * @half and partitions the first half; whichever thread finishes its half
 * last ends the step and goes on with the parts.
 */
struct ks_split {
	struct ks_range half;
	struct ks_part r;
	struct ks_pdq_cut cut;
	char *bound[2];
	atomic_uint left;		/* halves not partitioned yet */
};

struct ks_job;

struct ks_helper {
	struct work_struct work;
	struct ks_job *job;
};

struct ks_job {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct ks_range *stack;		/* ranges waiting for a thread */
	size_t outstanding;		/* ranges on the stack or in hand */
	unsigned int waiting;		/* threads waiting in cond */

	ksort_cmp_t cmp;
	size_t size;
	enum ksort_algo algo;
	size_t cutoff;
	bool share;			/* helpers exist: push ranges */
	size_t *progress;

	_Atomic unsigned long long ncmp;
	_Atomic unsigned long long tasks;
	_Atomic unsigned int threads;

	unsigned int nhelpers;
	struct ks_helper helpers[KS_MAX_HELPERS];
};

static void progress_add(struct ks_job *job, size_t n)
{
	if (job->progress && n)
		__atomic_fetch_add(job->progress, n, __ATOMIC_RELAXED);
}

/* Sort a leaf; the other algorithms fall back to heapsort without memory. */
static void leaf(struct ks_job *job, struct ks_ctx *c, const struct ks_part *r)
{
	if (job->algo == KSORT_QUICKSORT)
		ks_quicksort(c, r->a, r->n, r->depth);
	else if (job->algo == KSORT_PDQSORT)
		ks_pdq_range(c, r);
	else if (ks_seq(c, job->algo, r->a, r->n))
		ks_heapsort(c, r->a, r->n);
	progress_add(job, r->n);
}

/* The state of the whole array, as the sequential algorithm starts it. */
static struct ks_part first_part(enum ksort_algo algo, char *a, size_t n)
{
	if (algo == KSORT_PDQSORT)
		return ks_pdq_first(a, n);
	return (struct ks_part){ a, n, ks_depth_limit(n), true };
}

/*
 * One partitioning step of @r with the rule of the sequential algorithm
 * (pdqsort's own steps; quicksort's for every other algorithm): the parts
 * left go to @out, the smaller first.  Return: their number.
 */
static int split(struct ks_job *job, struct ks_ctx *c, const struct ks_part *r,
		 struct ks_part out[2])
{
	size_t nl, nr, size = job->size;
	struct ks_part left, right;

	if (job->algo == KSORT_PDQSORT)
		return ks_pdq_split(c, r, out);
	ks_qs_partition(c, r->a, r->n, &nl, &nr);
	left = (struct ks_part){ r->a, nl, r->depth - 1, r->leftmost };
	right = (struct ks_part){ r->a + (r->n - nr) * size, nr, r->depth - 1,
				  false };
	out[0] = nl < nr ? left : right;
	out[1] = nl < nr ? right : left;
	return 2;
}

static void push_node(struct ks_job *job, struct ks_range *r)
{
	pthread_mutex_lock(&job->lock);
	r->next = job->stack;
	job->stack = r;
	job->outstanding++;
	if (job->waiting)
		pthread_cond_signal(&job->cond);
	pthread_mutex_unlock(&job->lock);
	atomic_fetch_add_explicit(&job->tasks, 1, memory_order_relaxed);
}

static bool push(struct ks_job *job, const struct ks_part *p)
{
	struct ks_range *r = malloc(sizeof(*r));

	if (!r)
		return false;
	r->p = *p;
	r->split = NULL;
	push_node(job, r);
	return true;
}

/* Take a range; NULL once the whole array is sorted. */
static struct ks_range *pop(struct ks_job *job)
{
	struct ks_range *r;

	pthread_mutex_lock(&job->lock);
	while (!job->stack && job->outstanding) {
		job->waiting++;
		cmwq_worker_sleeping();
		pthread_cond_wait(&job->cond, &job->lock);
		cmwq_worker_running();
		job->waiting--;
	}
	r = job->stack;
	if (r)
		job->stack = r->next;
	pthread_mutex_unlock(&job->lock);
	return r;
}

static void range_done(struct ks_job *job)
{
	pthread_mutex_lock(&job->lock);
	if (--job->outstanding == 0 && job->waiting)
		pthread_cond_broadcast(&job->cond);
	pthread_mutex_unlock(&job->lock);
}

/*
 * A half of @s is partitioned (its bound set).  Return: -1 when the other
 * half is not yet (its thread ends the step; @s may be gone already),
 * else the parts of the step, as split().
 */
static int half_done(struct ks_ctx *c, struct ks_split *s,
		     struct ks_part out[2])
{
	int k;

	if (atomic_fetch_sub_explicit(&s->left, 1, memory_order_acq_rel) != 1)
		return -1;
	k = ks_pdq_split_end(c, &s->r, &s->cut, s->bound[0], s->bound[1],
			     out);
	free(s);
	return k;
}

/*
 * A pdqsort step of @r, a range of KS_PDQ_HALVES keys or more: its second
 * half is offered to the other threads.  Return: as half_done().
 */
static int split_halves(struct ks_job *job, struct ks_ctx *c,
			const struct ks_part *r, struct ks_part out[2])
{
	struct ks_split *s = malloc(sizeof(*s));
	int k;

	if (!s)
		return ks_pdq_split(c, r, out);	/* the same, alone */
	k = ks_pdq_split_begin(c, r, out, &s->cut);
	if (k >= 0) {
		free(s);
		return k;
	}
	s->r = *r;
	s->half.split = s;
	atomic_init(&s->left, 2);
	push_node(job, &s->half);
	s->bound[0] = ks_pdq_block(c, s->cut.l, s->cut.mid, r->a);
	return half_done(c, s, out);
}

static void process(struct ks_job *job, struct ks_ctx *c, struct ks_part r);

/*
 * @r was split into @k parts @out (-1: handed to another thread).  Hand
 * the larger part over, or when it cannot be, recurse on the smaller part;
 * set @r to the part to go on with.  Return: false when none is left.
 */
static bool next_part(struct ks_job *job, struct ks_ctx *c, struct ks_part *r,
		      int k, struct ks_part out[2])
{
	if (k < 0)
		return false;
	/* the pivot, keys equal to it, or a range finished at once */
	progress_add(job, r->n - (k > 0 ? out[0].n : 0) -
				  (k > 1 ? out[1].n : 0));
	if (k == 0)
		return false;
	if (k == 1) {
		*r = out[0];
		return true;
	}
	if (job->share && out[1].n > job->cutoff && push(job, &out[1])) {
		*r = out[0];
		return true;
	}
	process(job, c, out[0]);
	*r = out[1];
	return true;
}

/*
 * Sort @r: split while above the cut-off, hand the larger part to others,
 * go on with the smaller.  When a part cannot be handed over, recurse on
 * the smaller part and loop on the larger, so the stack stays lg n deep.
 */
static void process(struct ks_job *job, struct ks_ctx *c, struct ks_part r)
{
	bool pdq = job->algo == KSORT_PDQSORT;
	struct ks_part out[2];
	int k;

	do {
		if (r.n <= job->cutoff ||
		    (!pdq && (r.n < KS_QS_SMALL || r.depth == 0))) {
			leaf(job, c, &r);
			return;
		}
		if (pdq && job->share && r.n >= KS_PDQ_HALVES)
			k = split_halves(job, c, &r, out);
		else
			k = split(job, c, &r, out);
	} while (next_part(job, c, &r, k, out));
}

/* The second half of @s, taken from the stack. */
static void run_half(struct ks_job *job, struct ks_ctx *c, struct ks_split *s)
{
	struct ks_part r = s->r, out[2];
	int k;

	s->bound[1] = ks_pdq_block(c, s->cut.mid, s->cut.u, r.a);
	k = half_done(c, s, out);
	if (next_part(job, c, &r, k, out))
		process(job, c, r);
}

/* Take ranges until the job is done; @first is the caller's whole array. */
static void run_job(struct ks_job *job, struct ks_range *first)
{
	struct ks_ctx c = { job->cmp, job->size, 0 };
	struct ks_range *r = first;
	bool counted = false;

	while (r || (r = pop(job))) {
		if (!counted) {
			atomic_fetch_add_explicit(&job->threads, 1,
						  memory_order_relaxed);
			counted = true;
		}
		if (r->split) {
			run_half(job, &c, r->split);	/* frees it, or not */
		} else {
			process(job, &c, r->p);
			if (r != first)
				free(r);
		}
		r = NULL;
		range_done(job);
	}
	atomic_fetch_add_explicit(&job->ncmp, c.ncmp, memory_order_relaxed);
}

static void helper_fn(struct work_struct *work)
{
	struct ks_helper *h = container_of(work, struct ks_helper, work);

	cmwq_set_worker_desc("ksort");
	run_job(h->job, NULL);
}

static pthread_once_t dfl_once = PTHREAD_ONCE_INIT;
static struct workqueue_struct *dfl_wq;

/*
 * ksort()'s own workqueue.  WQ_UNBOUND: the helpers go to any idle CPU
 * (a per-CPU queue would put them where the caller runs, and the pool would
 * keep them waiting behind each other); concurrency management of the
 * unbound pool limits running helpers to the number of CPUs.  See
 * docs/ksort.md for the measurements behind the choice.
 */
static void dfl_init(void)
{
	dfl_wq = cmwq_alloc_workqueue("ksort", WQ_UNBOUND, 0);
}

int ksort_wq(struct workqueue_struct *wq, void *base, size_t nmemb,
	     size_t size, ksort_cmp_t cmp, const struct ksort_opts *opts)
{
	static const struct ksort_opts dfl_opts;
	struct ks_job job;
	struct ks_range top;
	unsigned int par, i, ncpu, cpu0;
	size_t cutoff;
	bool bound;

	if (!opts)
		opts = &dfl_opts;
	if (ks_bad_args(base, nmemb, size, cmp) ||
	    (unsigned int)opts->algo >= KSORT_NR_ALGOS)
		return -EINVAL;

	cutoff = opts->cutoff ? opts->cutoff : KSORT_DFL_CUTOFF;
	ncpu = (unsigned int)cmwq_nr_cpus();
	if (ncpu < 1)
		ncpu = 1;
	par = opts->parallelism ? opts->parallelism : ncpu;
	if (!wq) {
		pthread_once(&dfl_once, dfl_init);
		wq = dfl_wq;
	}

	memset(&job, 0, sizeof(job));
	pthread_mutex_init(&job.lock, NULL);
	pthread_cond_init(&job.cond, NULL);
	job.cmp = cmp;
	job.size = size;
	job.algo = opts->algo;
	job.cutoff = cutoff;
	job.progress = opts->progress;
	job.outstanding = 1;		/* the caller's whole array */

	/* Helpers only when there is more than one leaf to share. */
	if (wq && nmemb > cutoff && par > 1) {
		size_t leaves = nmemb / cutoff;

		job.nhelpers = par - 1;
		if (job.nhelpers > KS_MAX_HELPERS)
			job.nhelpers = KS_MAX_HELPERS;
		if (job.nhelpers > leaves)
			job.nhelpers = (unsigned int)leaves;
	}
	job.share = job.nhelpers > 0;

	if (!job.share) {
		/* The sequential algorithm itself, in the caller. */
		struct ks_ctx c = { cmp, size, 0 };
		struct ks_part whole = first_part(job.algo, base, nmemb);

		leaf(&job, &c, &whole);
		job.ncmp = c.ncmp;
		job.threads = 1;
		goto out;
	}

	/*
	 * On a per-CPU workqueue the helpers go to the other CPUs, starting
	 * with the one after the caller's: queued on the caller's CPU they
	 * would only compete with it.
	 */
	cpu0 = (unsigned int)cmwq_current_cpu();
	bound = true;
	{
		struct cmwq_wq_stats st;

		if (!cmwq_get_wq_stats(wq, &st) && (st.flags & WQ_UNBOUND))
			bound = false;
	}
	for (i = 0; i < job.nhelpers; i++) {
		struct ks_helper *h = &job.helpers[i];
		int cpu = WORK_CPU_UNBOUND;

		h->job = &job;
		cmwq_init_work(&h->work, helper_fn);
		if (bound) {
			cpu = (int)((cpu0 + 1 + i) % ncpu);
			if (!cmwq_cpu_possible(cpu))
				cpu = WORK_CPU_UNBOUND;
		}
		cmwq_queue_work_on(cpu, wq, &h->work);
	}

	top.p = first_part(job.algo, base, nmemb);
	top.split = NULL;
	top.next = NULL;
	run_job(&job, &top);

	/* Our own helpers only: cancel those not started, wait for the rest. */
	for (i = 0; i < job.nhelpers; i++)
		if (!cmwq_cancel_work(&job.helpers[i].work))
			cmwq_flush_work(&job.helpers[i].work);

out:
	if (opts->stats) {
		opts->stats->comparisons = job.ncmp;
		opts->stats->tasks = job.tasks;
		opts->stats->work_items = job.nhelpers;
		opts->stats->threads = job.threads;
	}
	pthread_cond_destroy(&job.cond);
	pthread_mutex_destroy(&job.lock);
	return 0;
}

int ksort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp)
{
	return ksort_wq(NULL, base, nmemb, size, cmp, NULL);
}
