/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/internal.h - what the algorithms of ksort share
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef KSORT_INTERNAL_H
#define KSORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ksort.h"

/*
 * One thread's view of one sort: the comparator, the element size and the
 * comparisons this thread made.  Never shared between threads, so the count
 * is a plain increment.
 */
struct ks_ctx {
	ksort_cmp_t cmp;
	size_t size;
	unsigned long long ncmp;
};

static inline int ks_cmp(struct ks_ctx *c, const void *a, const void *b)
{
	c->ncmp++;
	return c->cmp(a, b);
}

/* Swap two elements of @size bytes; any alignment. */
static inline __attribute__((always_inline)) void
ks_swap(void *a, void *b, size_t size)
{
	unsigned char *p = a, *q = b;

	if (size == 8) {
		uint64_t x, y;

		memcpy(&x, p, 8);
		memcpy(&y, q, 8);
		memcpy(p, &y, 8);
		memcpy(q, &x, 8);
		return;
	}
	if (size == 4) {
		uint32_t x, y;

		memcpy(&x, p, 4);
		memcpy(&y, q, 4);
		memcpy(p, &y, 4);
		memcpy(q, &x, 4);
		return;
	}
	for (; size >= 8; size -= 8, p += 8, q += 8) {
		uint64_t x, y;

		memcpy(&x, p, 8);
		memcpy(&y, q, 8);
		memcpy(p, &y, 8);
		memcpy(q, &x, 8);
	}
	for (; size; size--, p++, q++) {
		unsigned char t = *p;

		*p = *q;
		*q = t;
	}
}

/* Swap @n elements at @a with @n at @b (the ranges do not overlap). */
static inline __attribute__((always_inline)) void
ks_vecswap(char *a, char *b, size_t n, size_t size)
{
	for (; n; n--, a += size, b += size)
		ks_swap(a, b, size);
}

/* Hot helpers of the sort loops: always inlined. */
#define KS_INLINE static inline __attribute__((always_inline))

/* Largest element size that the algorithms keep in a stack buffer. */
#define KS_TMP_MAX 256

static inline unsigned int ks_lg(size_t n)
{
	return n ? (unsigned int)(63 - __builtin_clzll((unsigned long long)n))
		 : 0;
}

/* The sequential algorithms on a context (comparisons counted in it). */
void ks_quicksort(struct ks_ctx *c, char *a, size_t n, unsigned int depth);
/* Quicksort's pivot choice and 3-way partition, shared with the driver. */
void ks_qs_partition(struct ks_ctx *c, char *a, size_t n, size_t *nl,
		     size_t *nr);
/* Insertion sort of quicksort's small ranges (below KS_QS_SMALL). */
void ks_qs_small(struct ks_ctx *c, char *a, size_t n);
#define KS_QS_SMALL 7

void ks_heapsort(struct ks_ctx *c, char *a, size_t n);
void ks_pdqsort(struct ks_ctx *c, char *a, size_t n);

/*
 * A range still to sort and the state its algorithm carries down: the
 * depth budget (quicksort: levels left before heapsort; pdqsort: bad
 * partitions left) and, for pdqsort, whether it starts the array (else the
 * element before it is <= all its keys).
 */
struct ks_part {
	char *a;
	size_t n;
	unsigned int depth;
	bool leftmost;
};

/* pdqsort's state for a whole array of @n at @a. */
struct ks_part ks_pdq_first(char *a, size_t n);
/* Finish @r with pdqsort. */
void ks_pdq_range(struct ks_ctx *c, const struct ks_part *r);
/*
 * One step of pdqsort on @r (above its insertion-sort size): the parts
 * left to sort go to @out, the smaller first.  Return: their number, 0-2.
 * The sequential pdqsort is made of the same steps, so a range split by
 * these steps costs the comparisons of the sequential sort.
 */
int ks_pdq_split(struct ks_ctx *c, const struct ks_part *r,
		 struct ks_part out[2]);

/*
 * Ranges of at least this many keys are partitioned as two halves, each
 * by itself, whose misplaced keys are then swapped across the middle: two
 * threads may partition the halves at once.  The sequential pdqsort does
 * the same (one half after the other), so the result and the comparisons
 * do not depend on the number of threads.
 */
#ifndef KS_PDQ_HALVES	/* -DKS_PDQ_HALVES=... to measure other sizes */
#define KS_PDQ_HALVES ((size_t)1 << 20)
#endif

/* The keys of a step still to partition: [l, mid) and [mid, u). */
struct ks_pdq_cut {
	char *l, *mid, *u;
};

/*
 * ks_pdq_split() in three pieces, for a range of at least KS_PDQ_HALVES:
 * ks_pdq_split_begin() returns the number of parts when the step is done
 * already, or -1 with @cut; then ks_pdq_block() partitions each half
 * around the pivot, which stays at r->a meanwhile (it returns the first key
 * >= pivot), and ks_pdq_split_end() finishes the step with both results.
 */
int ks_pdq_split_begin(struct ks_ctx *c, const struct ks_part *r,
		       struct ks_part out[2], struct ks_pdq_cut *cut);
char *ks_pdq_block(struct ks_ctx *c, char *l, char *u, const char *pivot);
int ks_pdq_split_end(struct ks_ctx *c, const struct ks_part *r,
		     const struct ks_pdq_cut *cut, char *b0, char *b1,
		     struct ks_part out[2]);
/* Return: 0 or -ENOMEM (nothing moved). */
int ks_timsort(struct ks_ctx *c, char *a, size_t n);
/* list_sort on an array through a list of nodes; 0 or -ENOMEM. */
int ks_list_sort_array(struct ks_ctx *c, char *a, size_t n);

/* Sort with @algo in this thread; 0 or -ENOMEM. */
int ks_seq(struct ks_ctx *c, enum ksort_algo algo, char *a, size_t n);

/* Arguments a sort refuses with -EINVAL. */
bool ks_bad_args(const void *base, size_t nmemb, size_t size, ksort_cmp_t cmp);

/* Depth budget of quicksort before heapsort takes over: 2 lg n. */
static inline unsigned int ks_depth_limit(size_t n)
{
	return 2 * ks_lg(n);
}

#endif /* KSORT_INTERNAL_H */
