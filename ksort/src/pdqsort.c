/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/pdqsort.c - pattern-defeating quicksort (Orson Peters)
 *
 * Insertion sort below 24 elements; median of three, or Tukey's ninther
 * above 128; partitioning that puts keys equal to the pivot right, or left
 * when the pivot equals the element before the range (so runs of equal keys
 * are taken out in one pass); a partition that needed no swap is followed by
 * bounded insertion sorts, which finish sorted and nearly sorted input in
 * linear time; unbalanced partitions shuffle a few elements to break
 * patterns and, after lg n of them, heapsort takes over.  Recursion on the
 * smaller part bounds the stack at lg n frames.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <stdlib.h>

#include "internal.h"

#define KS_INLINE static inline __attribute__((always_inline))

enum {
	PDQ_INSERTION = 24,
	PDQ_NINTHER = 128,
	PDQ_PARTIAL_LIMIT = 8,
};

struct pdq {
	struct ks_ctx *c;
	char *tmp;	/* insertion sort's element in hand */
	char *pivot;	/* the partition's pivot */
};

#define LT(p, a, b) (ks_cmp((p)->c, (a), (b)) < 0)

KS_INLINE void insertion(struct pdq *p, char *begin, char *end, size_t size,
			 bool guarded)
{
	char *cur, *sift, *sift_1;

	if (begin == end)
		return;
	for (cur = begin + size; cur < end; cur += size) {
		sift = cur;
		sift_1 = cur - size;
		if (!LT(p, sift, sift_1))
			continue;
		memcpy(p->tmp, sift, size);
		do {
			memcpy(sift, sift_1, size);
			sift -= size;
		} while ((!guarded || sift != begin) &&
			 (sift_1 -= size, LT(p, p->tmp, sift_1)));
		memcpy(sift, p->tmp, size);
	}
}

/* Insertion sort that gives up after moving PDQ_PARTIAL_LIMIT elements. */
KS_INLINE bool partial_insertion(struct pdq *p, char *begin, char *end,
				 size_t size)
{
	size_t moved = 0;
	char *cur, *sift, *sift_1;

	if (begin == end)
		return true;
	for (cur = begin + size; cur < end; cur += size) {
		sift = cur;
		sift_1 = cur - size;
		if (!LT(p, sift, sift_1))
			continue;
		memcpy(p->tmp, sift, size);
		do {
			memcpy(sift, sift_1, size);
			sift -= size;
		} while (sift != begin && (sift_1 -= size, LT(p, p->tmp, sift_1)));
		memcpy(sift, p->tmp, size);
		moved += (size_t)(cur - sift) / size;
		if (moved > PDQ_PARTIAL_LIMIT)
			return false;
	}
	return true;
}

KS_INLINE void sort2(struct pdq *p, char *a, char *b, size_t size)
{
	if (LT(p, b, a))
		ks_swap(a, b, size);
}

KS_INLINE void sort3(struct pdq *p, char *a, char *b, char *c, size_t size)
{
	sort2(p, a, b, size);
	sort2(p, b, c, size);
	sort2(p, a, b, size);
}

/*
 * Partition [begin, end) around *begin: smaller keys left, the rest right.
 * Return: the pivot's final place; *@already when no swap was needed.
 */
KS_INLINE char *partition_right(struct pdq *p, char *begin, char *end,
				size_t size, bool *already)
{
	char *pv = p->pivot, *first = begin, *last = end, *pos;

	memcpy(pv, begin, size);
	/* The median of three guarantees a key >= pivot on the right. */
	do
		first += size;
	while (LT(p, first, pv));
	if (first - size == begin) {
		while (first < last) {
			last -= size;
			if (LT(p, last, pv))
				break;
		}
	} else {
		do
			last -= size;
		while (!LT(p, last, pv));
	}
	*already = first >= last;
	while (first < last) {
		ks_swap(first, last, size);
		do
			first += size;
		while (LT(p, first, pv));
		do
			last -= size;
		while (!LT(p, last, pv));
	}
	pos = first - size;
	memcpy(begin, pos, size);
	memcpy(pos, pv, size);
	return pos;
}

/* Partition with keys equal to the pivot on the left; returns its place. */
KS_INLINE char *partition_left(struct pdq *p, char *begin, char *end,
			       size_t size)
{
	char *pv = p->pivot, *first = begin, *last = end;

	memcpy(pv, begin, size);
	do
		last -= size;
	while (LT(p, pv, last));
	if (last + size == end) {
		while (first < last) {
			first += size;
			if (LT(p, pv, first))
				break;
		}
	} else {
		do
			first += size;
		while (!LT(p, pv, first));
	}
	while (first < last) {
		ks_swap(first, last, size);
		do
			last -= size;
		while (LT(p, pv, last));
		do
			first += size;
		while (!LT(p, pv, first));
	}
	memcpy(begin, last, size);
	memcpy(last, pv, size);
	return last;
}

typedef void (*pdq_fn)(struct pdq *p, char *begin, char *end,
		       unsigned int bad, bool leftmost);

KS_INLINE void pdq_loop(struct pdq *p, char *begin, char *end,
			unsigned int bad, bool leftmost, size_t size,
			pdq_fn self)
{
	for (;;) {
		size_t n = (size_t)(end - begin) / size, s2, l, r;
		char *pos;
		bool already;

		if (n < PDQ_INSERTION) {
			insertion(p, begin, end, size, leftmost);
			return;
		}
		s2 = n / 2;
		if (n > PDQ_NINTHER) {
			sort3(p, begin, begin + s2 * size, end - size, size);
			sort3(p, begin + size, begin + (s2 - 1) * size,
			      end - 2 * size, size);
			sort3(p, begin + 2 * size, begin + (s2 + 1) * size,
			      end - 3 * size, size);
			sort3(p, begin + (s2 - 1) * size, begin + s2 * size,
			      begin + (s2 + 1) * size, size);
			ks_swap(begin, begin + s2 * size, size);
		} else {
			sort3(p, begin + s2 * size, begin, end - size, size);
		}

		/*
		 * The element before the range is <= every key in it; if it
		 * equals the pivot, every key equal to the pivot goes left
		 * and is done.
		 */
		if (!leftmost && !LT(p, begin - size, begin)) {
			begin = partition_left(p, begin, end, size) + size;
			continue;
		}

		pos = partition_right(p, begin, end, size, &already);
		l = (size_t)(pos - begin) / size;
		r = (size_t)(end - pos) / size - 1;

		if (l < n / 8 || r < n / 8) {
			if (--bad == 0) {
				ks_heapsort(p->c, begin, n);
				return;
			}
			if (l >= PDQ_INSERTION) {
				ks_swap(begin, begin + (l / 4) * size, size);
				ks_swap(pos - size, pos - (l / 4) * size, size);
				if (l > PDQ_NINTHER) {
					ks_swap(begin + size,
						begin + (l / 4 + 1) * size,
						size);
					ks_swap(begin + 2 * size,
						begin + (l / 4 + 2) * size,
						size);
					ks_swap(pos - 2 * size,
						pos - (l / 4 + 1) * size, size);
					ks_swap(pos - 3 * size,
						pos - (l / 4 + 2) * size, size);
				}
			}
			if (r >= PDQ_INSERTION) {
				ks_swap(pos + size, pos + (1 + r / 4) * size,
					size);
				ks_swap(end - size, end - (r / 4) * size, size);
				if (r > PDQ_NINTHER) {
					ks_swap(pos + 2 * size,
						pos + (2 + r / 4) * size, size);
					ks_swap(pos + 3 * size,
						pos + (3 + r / 4) * size, size);
					ks_swap(end - 2 * size,
						end - (1 + r / 4) * size, size);
					ks_swap(end - 3 * size,
						end - (2 + r / 4) * size, size);
				}
			}
		} else if (already && partial_insertion(p, begin, pos, size) &&
			   partial_insertion(p, pos + size, end, size)) {
			return;
		}

		/* Recurse on the smaller side, loop on the larger. */
		if (l < r) {
			self(p, begin, pos, bad, leftmost);
			begin = pos + size;
			leftmost = false;
		} else {
			self(p, pos + size, end, bad, false);
			end = pos;
		}
	}
}

static void pdq_8(struct pdq *p, char *begin, char *end, unsigned int bad,
		  bool leftmost)
{
	pdq_loop(p, begin, end, bad, leftmost, 8, pdq_8);
}

static void pdq_any(struct pdq *p, char *begin, char *end, unsigned int bad,
		    bool leftmost)
{
	pdq_loop(p, begin, end, bad, leftmost, p->c->size, pdq_any);
}

void ks_pdqsort(struct ks_ctx *c, char *a, size_t n)
{
	char buf[2 * KS_TMP_MAX];
	struct pdq p = { c, buf, buf + KS_TMP_MAX };
	char *heap = NULL;

	if (n < 2)
		return;
	if (c->size > KS_TMP_MAX) {
		heap = malloc(2 * c->size);
		if (!heap) {
			ks_heapsort(c, a, n);	/* needs no buffer */
			return;
		}
		p.tmp = heap;
		p.pivot = heap + c->size;
	}
	if (c->size == 8)
		pdq_8(&p, a, a + n * 8, ks_lg(n) + 1, true);
	else
		pdq_any(&p, a, a + n * c->size, ks_lg(n) + 1, true);
	free(heap);
}
