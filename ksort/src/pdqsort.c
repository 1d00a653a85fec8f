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

enum {
	PDQ_INSERTION = 24,
	PDQ_NINTHER = 128,
	PDQ_PARTIAL_LIMIT = 8,
	PDQ_BLOCK = 64,		/* keys per block of the block partition */
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
 * Offsets, from @l, of the keys among the first @n that are not less than
 * @pv (misplaced on the left); returns how many.  Stored without a branch
 * on the comparison.
 */
KS_INLINE size_t block_scan_left(struct pdq *p, char *l, size_t n,
				 const char *pv, size_t size,
				 unsigned char *off)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++) {
		off[found] = (unsigned char)i;
		found += !LT(p, l + i * size, pv);
	}
	return found;
}

/* The same from the right end @r backwards: keys less than @pv. */
KS_INLINE size_t block_scan_right(struct pdq *p, char *r, size_t n,
				  const char *pv, size_t size,
				  unsigned char *off)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++) {
		off[found] = (unsigned char)i;
		found += LT(p, r - (i + 1) * size, pv);
	}
	return found;
}

/* Swap @k misplaced pairs found by the scans, from @sl and @sr on. */
KS_INLINE void swap_offsets(char *l, char *r, const unsigned char *offl,
			    const unsigned char *offr, size_t sl, size_t sr,
			    size_t k, size_t size)
{
	size_t i;

	for (i = 0; i < k; i++)
		ks_swap(l + offl[sl + i] * size, r - (offr[sr + i] + 1) * size,
			size);
}

/*
 * Block partition of [l, r) around p->pivot (Edelkamp and Weiss's
 * BlockQuicksort, as pdqsort uses it): compare a block of PDQ_BLOCK keys on
 * each side, recording the offsets of misplaced keys without a branch on the
 * comparator's result (the offset is stored, the count advances by the
 * result), then swap misplaced pairs.  The comparator is still a call, but
 * its result no longer steers a branch: on random keys half the branches of
 * a Hoare partition are mispredicted, here none.  Every key is compared
 * with the pivot once.  Return: the first key >= pivot.
 */
KS_INLINE char *block_partition(struct pdq *p, char *l, char *r,
				const char *pv, size_t size)
{
	unsigned char offl[PDQ_BLOCK], offr[PDQ_BLOCK];
	size_t nl = 0, nr = 0, sl = 0, sr = 0, k, lsz, rsz, unknown;
	const size_t bs = PDQ_BLOCK * size;

	while ((size_t)(r - l) > 2 * bs) {
		if (!nl) {
			sl = 0;
			nl = block_scan_left(p, l, PDQ_BLOCK, pv, size, offl);
		}
		if (!nr) {
			sr = 0;
			nr = block_scan_right(p, r, PDQ_BLOCK, pv, size, offr);
		}
		k = nl < nr ? nl : nr;
		swap_offsets(l, r, offl, offr, sl, sr, k, size);
		nl -= k;
		nr -= k;
		sl += k;
		sr += k;
		if (!nl)
			l += bs;
		if (!nr)
			r -= bs;
	}

	/* The rest, at most two blocks, one of them maybe scanned already. */
	unknown = (size_t)(r - l) / size - (nl || nr ? PDQ_BLOCK : 0);
	if (nl) {
		lsz = PDQ_BLOCK;
		rsz = unknown;
	} else if (nr) {
		lsz = unknown;
		rsz = PDQ_BLOCK;
	} else {
		lsz = unknown / 2;
		rsz = unknown - lsz;
	}
	if (!nl) {
		sl = 0;
		nl = block_scan_left(p, l, lsz, pv, size, offl);
	}
	if (!nr) {
		sr = 0;
		nr = block_scan_right(p, r, rsz, pv, size, offr);
	}
	k = nl < nr ? nl : nr;
	swap_offsets(l, r, offl, offr, sl, sr, k, size);
	nl -= k;
	nr -= k;
	sl += k;
	sr += k;
	if (!nl)
		l += lsz * size;
	if (!nr)
		r -= rsz * size;

	/*
	 * Misplaced keys of one block are left: [l, r) is that block.  Move
	 * them to its far end, the farthest first, so every key passed over
	 * is already in place.
	 */
	if (nl) {
		while (nl--) {
			r -= size;
			ks_swap(l + offl[sl + nl] * size, r, size);
		}
		return r;
	}
	while (nr--) {
		ks_swap(r - (offr[sr + nr] + 1) * size, l, size);
		l += size;
	}
	return l;
}

/*
 * Start partitioning [begin, end) around *begin (smaller keys left, the
 * rest right): skip the keys in place at both ends and swap the first
 * misplaced pair.  Return: the first key >= pivot when no key was
 * misplaced (the range is partitioned already), else NULL, with
 * [*@l, *@r) the keys still to partition.
 */
KS_INLINE char *scan_right(struct pdq *p, char *begin, char *end, size_t size,
			   char **l, char **r)
{
	char *pv = p->pivot, *first = begin, *last = end;

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
	if (first >= last)
		return first;
	ks_swap(first, last, size);
	*l = first + size;
	*r = last;
	return NULL;
}

/*
 * Partition [l, r) as two halves, one block partition each, then swap the
 * large keys of the first half with the small keys of the second.  Ranges
 * of KS_PDQ_HALVES keys or more are partitioned so, whether one thread or
 * two do it, so the result is the same.  Return: the first key >= pivot.
 */
KS_INLINE char *merge_halves(char *mid, char *b0, char *b1, size_t size)
{
	size_t x = (size_t)(mid - b0), y = (size_t)(b1 - mid);

	ks_vecswap(b0, b1 - (x < y ? x : y), (x < y ? x : y) / size, size);
	return b0 + y;
}

KS_INLINE char *halves_mid(char *l, char *r, size_t size)
{
	return l + ((size_t)(r - l) / size / 2) * size;
}

/* Partition the keys [l, r) left by scan_right(): the first key >= pivot. */
KS_INLINE char *partition_rest(struct pdq *p, char *begin, char *end,
			       char *l, char *r, size_t size)
{
	char *mid, *b0;

	if ((size_t)(end - begin) / size < KS_PDQ_HALVES)
		return block_partition(p, l, r, p->pivot, size);
	mid = halves_mid(l, r, size);
	b0 = block_partition(p, l, mid, p->pivot, size);
	return merge_halves(mid, b0, block_partition(p, mid, r, p->pivot, size),
			    size);
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

/* Swap a[i] with a[j] for the pattern-breaking shuffle. */
#define PSWAP(x, y) ks_swap((x), (y), size)

/*
 * The end of a step of pdqsort on @r, partitioned at @bound (the first key
 * >= the pivot, which is still at r->a): put the pivot in place, count a
 * bad partition and shuffle, or try to finish an already partitioned range
 * by insertion; the parts still to sort go to @out, the smaller first.
 * Return: their number.
 */
KS_INLINE int pdq_end(struct pdq *p, const struct ks_part *r, char *bound,
		      bool already, struct ks_part out[2], size_t size)
{
	char *begin = r->a, *end = r->a + r->n * size, *pos = bound - size;
	size_t n = r->n, l = (size_t)(pos - begin) / size, rn = n - l - 1;
	unsigned int bad = r->depth;

	ks_swap(begin, pos, size);
	if (l < n / 8 || rn < n / 8) {
		if (--bad == 0) {
			ks_heapsort(p->c, begin, n);
			return 0;
		}
		if (l >= PDQ_INSERTION) {
			PSWAP(begin, begin + (l / 4) * size);
			PSWAP(pos - size, pos - (l / 4) * size);
			if (l > PDQ_NINTHER) {
				PSWAP(begin + size, begin + (l / 4 + 1) * size);
				PSWAP(begin + 2 * size,
				      begin + (l / 4 + 2) * size);
				PSWAP(pos - 2 * size, pos - (l / 4 + 1) * size);
				PSWAP(pos - 3 * size, pos - (l / 4 + 2) * size);
			}
		}
		if (rn >= PDQ_INSERTION) {
			PSWAP(pos + size, pos + (1 + rn / 4) * size);
			PSWAP(end - size, end - (rn / 4) * size);
			if (rn > PDQ_NINTHER) {
				PSWAP(pos + 2 * size, pos + (2 + rn / 4) * size);
				PSWAP(pos + 3 * size, pos + (3 + rn / 4) * size);
				PSWAP(end - 2 * size, end - (1 + rn / 4) * size);
				PSWAP(end - 3 * size, end - (2 + rn / 4) * size);
			}
		}
	} else if (already && partial_insertion(p, begin, pos, size) &&
		   partial_insertion(p, pos + size, end, size)) {
		return 0;
	}

	out[0] = (struct ks_part){ begin, l, bad, r->leftmost };
	out[1] = (struct ks_part){ pos + size, rn, bad, false };
	if (rn < l) {
		struct ks_part t = out[0];

		out[0] = out[1];
		out[1] = t;
	}
	return 2;
}

/*
 * The beginning of a step of pdqsort on @r: choose the pivot (moved to
 * r->a) and scan.  Return: the number of parts in @out when the step is
 * done (insertion sort, keys equal to the pivot taken out, a range found
 * partitioned), or -1 when the keys [*@l, *@u) are to be partitioned.
 */
KS_INLINE int pdq_begin(struct pdq *p, const struct ks_part *r,
			struct ks_part out[2], char **l, char **u, size_t size)
{
	char *begin = r->a, *end = r->a + r->n * size, *pos;
	size_t n = r->n, s2 = n / 2;

	if (n < PDQ_INSERTION) {
		insertion(p, begin, end, size, r->leftmost);
		return 0;
	}
	if (n > PDQ_NINTHER) {
		sort3(p, begin, begin + s2 * size, end - size, size);
		sort3(p, begin + size, begin + (s2 - 1) * size, end - 2 * size,
		      size);
		sort3(p, begin + 2 * size, begin + (s2 + 1) * size,
		      end - 3 * size, size);
		sort3(p, begin + (s2 - 1) * size, begin + s2 * size,
		      begin + (s2 + 1) * size, size);
		ks_swap(begin, begin + s2 * size, size);
	} else {
		sort3(p, begin + s2 * size, begin, end - size, size);
	}

	/*
	 * The element before the range is <= every key in it; if it equals
	 * the pivot, every key equal to the pivot goes left and is done.
	 */
	if (!r->leftmost && !LT(p, begin - size, begin)) {
		pos = partition_left(p, begin, end, size) + size;
		out[0] = (struct ks_part){ pos, (size_t)(end - pos) / size,
					   r->depth, false };
		return 1;
	}
	pos = scan_right(p, begin, end, size, l, u);
	if (pos)
		return pdq_end(p, r, pos, true, out, size);
	return -1;
}

/*
 * One step of pdqsort on @r: choose the pivot, partition, and put the
 * parts still to sort in @out (the smaller first).  Return: how many parts
 * (0 when the step finished the range: insertion sort, heapsort, or a
 * partition found already sorted).
 */
KS_INLINE int pdq_step(struct pdq *p, const struct ks_part *r,
		       struct ks_part out[2], size_t size)
{
	char *l, *u;
	int k = pdq_begin(p, r, out, &l, &u, size);

	if (k >= 0)
		return k;
	return pdq_end(p, r,
		       partition_rest(p, r->a, r->a + r->n * size, l, u, size),
		       false, out, size);
}

typedef void (*pdq_fn)(struct pdq *p, struct ks_part r);

/* Recurse on the smaller part, loop on the larger: lg n frames at most. */
KS_INLINE void pdq_loop(struct pdq *p, struct ks_part r, size_t size,
			pdq_fn self)
{
	struct ks_part out[2];

	for (;;) {
		switch (pdq_step(p, &r, out, size)) {
		case 0:
			return;
		case 1:
			r = out[0];
			break;
		default:
			self(p, out[0]);
			r = out[1];
		}
	}
}

static void pdq_8(struct pdq *p, struct ks_part r)
{
	pdq_loop(p, r, 8, pdq_8);
}

static void pdq_any(struct pdq *p, struct ks_part r)
{
	pdq_loop(p, r, p->c->size, pdq_any);
}

/* The buffers of one step or one sort: on the stack, or malloc'ed. */
static char *pdq_init(struct pdq *p, struct ks_ctx *c, char *buf)
{
	char *heap = NULL;

	p->c = c;
	p->tmp = buf;
	p->pivot = buf + KS_TMP_MAX;
	if (c->size > KS_TMP_MAX) {
		heap = malloc(2 * c->size);
		if (heap) {
			p->tmp = heap;
			p->pivot = heap + c->size;
		}
	}
	return heap;
}

struct ks_part ks_pdq_first(char *a, size_t n)
{
	return (struct ks_part){ a, n, ks_lg(n) + 1, true };
}

void ks_pdq_range(struct ks_ctx *c, const struct ks_part *r)
{
	char buf[2 * KS_TMP_MAX];
	struct pdq p;
	char *heap;

	if (r->n < 2)
		return;
	heap = pdq_init(&p, c, buf);
	if (c->size > KS_TMP_MAX && !heap) {
		ks_heapsort(c, r->a, r->n);	/* needs no buffer */
		return;
	}
	if (c->size == 8)
		pdq_8(&p, *r);
	else
		pdq_any(&p, *r);
	free(heap);
}

int ks_pdq_split(struct ks_ctx *c, const struct ks_part *r,
		 struct ks_part out[2])
{
	char buf[2 * KS_TMP_MAX];
	struct pdq p;
	char *heap = pdq_init(&p, c, buf);
	int k;

	if (c->size > KS_TMP_MAX && !heap) {
		ks_heapsort(c, r->a, r->n);
		return 0;
	}
	if (c->size == 8)
		k = pdq_step(&p, r, out, 8);
	else
		k = pdq_step(&p, r, out, c->size);
	free(heap);
	return k;
}

int ks_pdq_split_begin(struct ks_ctx *c, const struct ks_part *r,
		       struct ks_part out[2], struct ks_pdq_cut *cut)
{
	char buf[2 * KS_TMP_MAX];
	struct pdq p;
	char *heap = pdq_init(&p, c, buf);
	int k;

	if (c->size > KS_TMP_MAX && !heap) {
		ks_heapsort(c, r->a, r->n);
		return 0;
	}
	if (c->size == 8)
		k = pdq_begin(&p, r, out, &cut->l, &cut->u, 8);
	else
		k = pdq_begin(&p, r, out, &cut->l, &cut->u, c->size);
	if (k < 0)
		cut->mid = halves_mid(cut->l, cut->u, c->size);
	free(heap);
	return k;
}

char *ks_pdq_block(struct ks_ctx *c, char *l, char *u, const char *pivot)
{
	struct pdq p = { c, NULL, NULL };

	if (c->size == 8)
		return block_partition(&p, l, u, pivot, 8);
	return block_partition(&p, l, u, pivot, c->size);
}

int ks_pdq_split_end(struct ks_ctx *c, const struct ks_part *r,
		     const struct ks_pdq_cut *cut, char *b0, char *b1,
		     struct ks_part out[2])
{
	/* no buffer needed: the partition was not found sorted */
	struct pdq p = { c, NULL, NULL };

	if (c->size == 8)
		return pdq_end(&p, r, merge_halves(cut->mid, b0, b1, 8), false,
			       out, 8);
	return pdq_end(&p, r, merge_halves(cut->mid, b0, b1, c->size), false,
		       out, c->size);
}

void ks_pdqsort(struct ks_ctx *c, char *a, size_t n)
{
	struct ks_part r = ks_pdq_first(a, n);

	ks_pdq_range(c, &r);
}
