/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/quicksort.c - ksort's introspective quicksort
 *
 * The scheme of Bentley and McIlroy's "Engineering a Sort Function" (the
 * one ksort's kernel module took from FreeBSD's qsort): insertion sort below
 * 7 elements, median of three up to 40, Tukey's ninther above; a 3-way
 * partition that gathers keys equal to the pivot so repeated keys cost
 * nothing more.  What differs from the original: no "no swaps, so try
 * insertion sort" shortcut (quadratic on crafted input), recursion on the
 * smaller part only (stack depth at most lg n), and heapsort once the depth
 * budget of 2 lg n is spent (O(n log n) worst case).
 *
 * The functions are written once, always inlined, and instantiated for
 * 8-byte elements and for any size, so the common case moves words.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

KS_INLINE char *med3(struct ks_ctx *c, char *a, char *b, char *d)
{
	if (ks_cmp(c, a, b) < 0) {
		if (ks_cmp(c, b, d) < 0)
			return b;
		return ks_cmp(c, a, d) < 0 ? d : a;
	}
	if (ks_cmp(c, b, d) > 0)
		return b;
	return ks_cmp(c, a, d) < 0 ? a : d;
}

KS_INLINE void small_sort(struct ks_ctx *c, char *a, size_t n, size_t size)
{
	char *end = a + n * size, *i, *j;

	for (i = a + size; i < end; i += size)
		for (j = i; j > a && ks_cmp(c, j - size, j) > 0; j -= size)
			ks_swap(j, j - size, size);
}

KS_INLINE void partition(struct ks_ctx *c, char *a, size_t n, size_t size,
			 size_t *nl, size_t *nr)
{
	char *pa, *pb, *pc, *pd, *pl, *pm, *pn;
	size_t r;
	int cr;

	pm = a + (n / 2) * size;
	if (n > 7) {
		pl = a;
		pn = a + (n - 1) * size;
		if (n > 40) {
			size_t d = (n / 8) * size;

			pl = med3(c, pl, pl + d, pl + 2 * d);
			pm = med3(c, pm - d, pm, pm + d);
			pn = med3(c, pn - 2 * d, pn - d, pn);
		}
		pm = med3(c, pl, pm, pn);
	}
	ks_swap(a, pm, size);

	pa = pb = a + size;
	pc = pd = a + (n - 1) * size;
	for (;;) {
		while (pb <= pc && (cr = ks_cmp(c, pb, a)) <= 0) {
			if (cr == 0) {
				ks_swap(pa, pb, size);
				pa += size;
			}
			pb += size;
		}
		while (pb <= pc && (cr = ks_cmp(c, pc, a)) >= 0) {
			if (cr == 0) {
				ks_swap(pc, pd, size);
				pd -= size;
			}
			pc -= size;
		}
		if (pb > pc)
			break;
		ks_swap(pb, pc, size);
		pb += size;
		pc -= size;
	}

	/* Move the keys equal to the pivot from both ends to the middle. */
	pn = a + n * size;
	r = (size_t)(pa - a) < (size_t)(pb - pa) ? (size_t)(pa - a)
						  : (size_t)(pb - pa);
	ks_vecswap(a, pb - r, r / size, size);
	r = (size_t)(pd - pc) < (size_t)(pn - pd) - size
		    ? (size_t)(pd - pc)
		    : (size_t)(pn - pd) - size;
	ks_vecswap(pb, pn - r, r / size, size);
	*nl = (size_t)(pb - pa) / size;
	*nr = (size_t)(pd - pc) / size;
}

typedef void (*qs_fn)(struct ks_ctx *c, char *a, size_t n, unsigned int depth);

KS_INLINE void qs_loop(struct ks_ctx *c, char *a, size_t n, unsigned int depth,
		       size_t size, qs_fn self)
{
	size_t nl, nr;

	for (;;) {
		if (n < KS_QS_SMALL) {
			small_sort(c, a, n, size);
			return;
		}
		if (depth == 0) {
			ks_heapsort(c, a, n);
			return;
		}
		depth--;
		partition(c, a, n, size, &nl, &nr);
		/* Recurse on the smaller part, loop on the larger. */
		if (nl < nr) {
			self(c, a, nl, depth);
			a += (n - nr) * size;
			n = nr;
		} else {
			self(c, a + (n - nr) * size, nr, depth);
			n = nl;
		}
	}
}

static void qs_8(struct ks_ctx *c, char *a, size_t n, unsigned int depth)
{
	qs_loop(c, a, n, depth, 8, qs_8);
}

static void qs_any(struct ks_ctx *c, char *a, size_t n, unsigned int depth)
{
	qs_loop(c, a, n, depth, c->size, qs_any);
}

void ks_quicksort(struct ks_ctx *c, char *a, size_t n, unsigned int depth)
{
	if (c->size == 8)
		qs_8(c, a, n, depth);
	else
		qs_any(c, a, n, depth);
}

void ks_qs_partition(struct ks_ctx *c, char *a, size_t n, size_t *nl,
		     size_t *nr)
{
	if (c->size == 8)
		partition(c, a, n, 8, nl, nr);
	else
		partition(c, a, n, c->size, nl, nr);
}

void ks_qs_small(struct ks_ctx *c, char *a, size_t n)
{
	small_sort(c, a, n, c->size);
}
