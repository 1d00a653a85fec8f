/* SPDX-License-Identifier: MIT */
/*
 * ksort.h - a parallel sort on cmwq, the sort algorithm suite, xoroshiro
 *
 * ksort() is a drop-in for qsort(3) that sorts with the calling thread and
 * work items of a cmwq workqueue.  ksort_wq() takes the workqueue and
 * options.  Every call waits only for its own work, so any number of threads
 * may sort at once on one shared workqueue.
 *
 * The sequential algorithms (the kernel's bottom-up heapsort, list_sort,
 * Timsort, pdqsort and ksort's introspective quicksort) are usable alone and
 * count the comparisons they make.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef KSORT_H
#define KSORT_H

#include <stddef.h>
#include <stdint.h>

#include <cmwq.h>

CMWQ_BEGIN_DECLS

/* A qsort(3) comparator: negative, zero or positive. */
typedef int (*ksort_cmp_t)(const void *a, const void *b);

/* The sequential algorithms. */
enum ksort_algo {
	/*
	 * pattern-defeating quicksort with block partitioning (the default:
	 * the fastest here; unstable, linear on sorted input)
	 */
	KSORT_PDQSORT = 0,
	/* introspective quicksort: ninther pivot, 3-way partition */
	KSORT_QUICKSORT,
	/* Timsort: natural runs, binary insertion, galloping merges (stable) */
	KSORT_TIMSORT,
	/* the kernel's lib/sort.c: bottom-up heapsort, in place, no recursion */
	KSORT_HEAPSORT,
	/* the kernel's list_sort: bottom-up merge of a linked list (stable) */
	KSORT_LIST_SORT,
	KSORT_NR_ALGOS,
};

/**
 * struct ksort_stats - what one sort did
 * @comparisons: calls of the comparator
 * @tasks: ranges handed from one thread to any other
 * @work_items: work items queued on the workqueue
 * @threads: threads that sorted, the caller included
 */
struct ksort_stats {
	unsigned long long comparisons;
	unsigned long long tasks;
	unsigned int work_items;
	unsigned int threads;
};

/**
 * struct ksort_opts - options of ksort_wq()
 * @algo: the sequential algorithm (default pdqsort).  pdqsort and
 *	quicksort split the ranges above @cutoff with their own steps (so the
 *	comparisons are those of the sequential run); the others sort the
 *	leaves (ranges at or below @cutoff) of quicksort's splits
 * @cutoff: ranges of at most this many elements are not split further and
 *	not handed to other threads; 0 selects KSORT_DFL_CUTOFF.  An array
 *	of at most @cutoff elements is sorted by the caller alone, with no
 *	work item at all
 * @parallelism: most threads sorting, the caller included; 0 selects the
 *	number of CPUs; 1 sorts in the calling thread only
 * @progress: if not NULL, elements known to be in their final place are
 *	added to it atomically as the sort goes (for a progress bar)
 * @stats: if not NULL, filled in when the call returns 0
 */
struct ksort_opts {
	enum ksort_algo algo;
	size_t cutoff;
	unsigned int parallelism;
	size_t *progress;
	struct ksort_stats *stats;
};

#define KSORT_DFL_CUTOFF 8192

/**
 * ksort - sort an array in parallel, as qsort(3)
 * @base: the array
 * @nmemb: number of elements
 * @size: size of one element in bytes; any alignment of @base
 * @cmp: the comparator
 *
 * Sorts with the calling thread and work items of a workqueue the library
 * allocates on first use (see docs/ksort.md for its flags).  Not stable.
 *
 * Return: 0 when @base is sorted; -EINVAL for bad arguments (nothing is
 * touched).  No other failure: when memory or workers are short, the sort
 * is finished by the calling thread.
 */
int ksort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp);

/**
 * ksort_wq - sort an array in parallel on a given workqueue
 * @wq: the workqueue of the helpers, or NULL for ksort()'s own
 * @base: the array
 * @nmemb: number of elements
 * @size: size of one element in bytes
 * @cmp: the comparator
 * @opts: options, or NULL for the defaults
 *
 * The call returns once its own work is done: it waits for no other item
 * of @wq.  May be called from a work item of @wq itself.
 *
 * Return: 0 when sorted; -EINVAL for bad arguments or options (nothing is
 * touched).  No other failure: a leaf whose algorithm cannot get its buffer
 * (Timsort, list_sort) is heapsorted, ranges that cannot be handed over are
 * sorted by the thread that has them, and if no helper ever runs the caller
 * sorts everything.
 */
int ksort_wq(struct workqueue_struct *wq, void *base, size_t nmemb,
	     size_t size, ksort_cmp_t cmp, const struct ksort_opts *opts);

/**
 * ksort_seq - sort with one sequential algorithm in the calling thread
 * @algo: the algorithm
 * @base: the array
 * @nmemb: number of elements
 * @size: size of one element in bytes
 * @cmp: the comparator
 * @comparisons: if not NULL, set to the number of comparator calls
 *
 * Return: 0; -EINVAL for bad arguments; -ENOMEM (KSORT_TIMSORT and
 * KSORT_LIST_SORT only, before any element moved).
 */
int ksort_seq(enum ksort_algo algo, void *base, size_t nmemb, size_t size,
	      ksort_cmp_t cmp, unsigned long long *comparisons);

/** ksort_algo_name - "quicksort", "pdqsort", ...; NULL when unknown */
const char *ksort_algo_name(enum ksort_algo algo);

/** ksort_algo_parse - the algorithm of a name; -1 when unknown */
int ksort_algo_parse(const char *name);

/* Each sequential algorithm by itself (they cannot fail). */
void ksort_quicksort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp);
void ksort_pdqsort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp);
void ksort_heapsort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp);
/* Return: 0, or -ENOMEM with @base untouched. */
int ksort_timsort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp);

/**
 * typedef ksort_list_cmp_t - comparator of ksort_list_sort()
 *
 * As the kernel's list_cmp_func_t: > 0 when @a must go after @b; <= 0 keeps
 * their order (the sort is stable).
 */
typedef int (*ksort_list_cmp_t)(void *priv, const struct list_head *a,
				const struct list_head *b);

/**
 * ksort_list_sort - sort a kernel-style circular doubly linked list
 * @priv: passed to @cmp
 * @head: the list head (not an element)
 * @cmp: the comparator
 *
 * The kernel's list_sort(): bottom-up merge sort that keeps merges of
 * sizes at most 2:1, stable, O(1) extra memory, no recursion.
 */
void ksort_list_sort(void *priv, struct list_head *head, ksort_list_cmp_t cmp);

/* xoroshiro128+ / ++ (Blackman and Vigna), seeded by splitmix64. */
struct ksort_xoro {
	uint64_t s[2];
};

/** ksort_splitmix64 - next output of splitmix64, advancing *@state */
uint64_t ksort_splitmix64(uint64_t *state);

/**
 * ksort_xoro_seed - seed a generator for stream @stream from @seed
 *
 * The two state words are the splitmix64 outputs number 2*@stream and
 * 2*@stream+1 from @seed, so each thread gets its own stream.
 */
void ksort_xoro_seed(struct ksort_xoro *x, uint64_t seed, unsigned int stream);

static inline uint64_t ksort_rotl64(uint64_t v, int k)
{
	return (v << k) | (v >> (64 - k));
}

/** ksort_xoroshiro128p - xoroshiro128+ (2018 constants 24, 16, 37) */
static inline uint64_t ksort_xoroshiro128p(struct ksort_xoro *x)
{
	uint64_t a = x->s[0], b = x->s[1];
	uint64_t r = a + b;

	b ^= a;
	x->s[0] = ksort_rotl64(a, 24) ^ b ^ (b << 16);
	x->s[1] = ksort_rotl64(b, 37);
	return r;
}

/** ksort_xoroshiro128pp - xoroshiro128++ (constants 17, 49, 21, 28) */
static inline uint64_t ksort_xoroshiro128pp(struct ksort_xoro *x)
{
	uint64_t a = x->s[0], b = x->s[1];
	uint64_t r = ksort_rotl64(a + b, 17) + a;

	b ^= a;
	x->s[0] = ksort_rotl64(a, 49) ^ b ^ (b << 21);
	x->s[1] = ksort_rotl64(b, 28);
	return r;
}

/* Test-data patterns of the CLI, the tests and the benchmark. */
enum ksort_pattern {
	KSORT_PAT_RANDOM,
	KSORT_PAT_SORTED,
	KSORT_PAT_REVERSE,
	KSORT_PAT_EQUAL,
	KSORT_PAT_FEW,		/* 16 distinct values */
	KSORT_PAT_ORGAN,	/* ascending then descending */
	KSORT_PAT_HALF,		/* sorted first half, random second half */
	KSORT_NR_PATTERNS,
};

/** ksort_pattern_name - "random", "sorted", ...; NULL when unknown */
const char *ksort_pattern_name(enum ksort_pattern p);

/** ksort_pattern_parse - the pattern of a name; -1 when unknown */
int ksort_pattern_parse(const char *name);

/**
 * ksort_generate - fill @v with @n values of pattern @p
 * @seed: seeds splitmix64, whose outputs are the random values
 */
void ksort_generate(uint64_t *v, size_t n, enum ksort_pattern p,
		    uint64_t seed);

CMWQ_END_DECLS

#endif /* KSORT_H */
