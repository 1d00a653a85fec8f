/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/timsort.c - Timsort (Tim Peters), stable
 *
 * Natural runs (strictly descending ones reversed) are extended to minrun
 * (32..64) with binary insertion sort and kept on a stack whose lengths
 * stay Fibonacci-like (the invariant checked over four runs, as corrected
 * after de Gouw et al. 2015), so at most ~85 runs are ever pending.  A merge
 * first gallops to drop the prefix of A and the suffix of B already in
 * place, then merges the shorter run from a buffer, switching to galloping
 * while one side keeps winning; min_gallop adapts to the data.  Sorted or
 * reversed input costs n - 1 comparisons.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

#define MIN_GALLOP 7
#define MAX_RUNS 85

struct ts {
	struct ks_ctx *c;
	char *a;
	size_t size;
	char *tmp;	/* n / 2 elements for merges */
	char *key;	/* one element for binary insertion */
	size_t min_gallop;
	int nruns;
	size_t base[MAX_RUNS];
	size_t len[MAX_RUNS];
};

#define EL(t, p, i) ((p) + (size_t)(i) * (t)->size)

static inline int lt(struct ts *t, const void *x, const void *y)
{
	return ks_cmp(t->c, x, y) < 0;
}

static size_t minrun(size_t n)
{
	size_t r = 0;

	while (n >= 64) {
		r |= n & 1;
		n >>= 1;
	}
	return n + r;
}

static void reverse(struct ts *t, size_t lo, size_t hi)
{
	while (lo + 1 < hi) {
		hi--;
		ks_swap(EL(t, t->a, lo), EL(t, t->a, hi), t->size);
		lo++;
	}
}

/* Length of the run at @lo; a strictly descending run is reversed. */
static size_t count_run(struct ts *t, size_t lo, size_t hi)
{
	size_t i = lo + 1;

	if (i == hi)
		return 1;
	if (lt(t, EL(t, t->a, i), EL(t, t->a, lo))) {
		for (i++; i < hi && lt(t, EL(t, t->a, i), EL(t, t->a, i - 1));)
			i++;
		reverse(t, lo, i);
	} else {
		for (i++; i < hi && !lt(t, EL(t, t->a, i), EL(t, t->a, i - 1));)
			i++;
	}
	return i - lo;
}

/* Sort [lo, hi) of which [lo, start) is sorted, by binary insertion. */
static void binary_insertion(struct ts *t, size_t lo, size_t hi, size_t start)
{
	size_t size = t->size;

	for (; start < hi; start++) {
		size_t l = lo, r = start;

		memcpy(t->key, EL(t, t->a, start), size);
		while (l < r) {
			size_t m = l + (r - l) / 2;

			if (lt(t, t->key, EL(t, t->a, m)))
				r = m;
			else
				l = m + 1;
		}
		memmove(EL(t, t->a, l + 1), EL(t, t->a, l), (start - l) * size);
		memcpy(EL(t, t->a, l), t->key, size);
	}
}

/*
 * Where @key goes in sorted p[0..n), before any equal key: the k with
 * p[k-1] < key <= p[k].  Gallops from @hint.
 */
static size_t gallop_left(struct ts *t, const char *key, const char *p,
			  size_t n, size_t hint)
{
	ptrdiff_t last = 0, ofs = 1, max, tmp;
	ptrdiff_t h = (ptrdiff_t)hint;

	if (lt(t, EL(t, p, h), key)) {
		max = (ptrdiff_t)n - h;
		while (ofs < max && lt(t, EL(t, p, h + ofs), key)) {
			last = ofs;
			ofs = (ofs << 1) + 1;
		}
		if (ofs > max)
			ofs = max;
		last += h;
		ofs += h;
	} else {
		max = h + 1;
		while (ofs < max && !lt(t, EL(t, p, h - ofs), key)) {
			last = ofs;
			ofs = (ofs << 1) + 1;
		}
		if (ofs > max)
			ofs = max;
		tmp = last;
		last = h - ofs;
		ofs = h - tmp;
	}
	/* p[last] < key <= p[ofs]; binary search in between. */
	for (last++; last < ofs;) {
		ptrdiff_t m = last + (ofs - last) / 2;

		if (lt(t, EL(t, p, m), key))
			last = m + 1;
		else
			ofs = m;
	}
	return (size_t)ofs;
}

/* Where @key goes in sorted p[0..n), after any equal key. */
static size_t gallop_right(struct ts *t, const char *key, const char *p,
			   size_t n, size_t hint)
{
	ptrdiff_t last = 0, ofs = 1, max, tmp;
	ptrdiff_t h = (ptrdiff_t)hint;

	if (lt(t, key, EL(t, p, h))) {
		max = h + 1;
		while (ofs < max && lt(t, key, EL(t, p, h - ofs))) {
			last = ofs;
			ofs = (ofs << 1) + 1;
		}
		if (ofs > max)
			ofs = max;
		tmp = last;
		last = h - ofs;
		ofs = h - tmp;
	} else {
		max = (ptrdiff_t)n - h;
		while (ofs < max && !lt(t, key, EL(t, p, h + ofs))) {
			last = ofs;
			ofs = (ofs << 1) + 1;
		}
		if (ofs > max)
			ofs = max;
		last += h;
		ofs += h;
	}
	for (last++; last < ofs;) {
		ptrdiff_t m = last + (ofs - last) / 2;

		if (lt(t, key, EL(t, p, m)))
			ofs = m;
		else
			last = m + 1;
	}
	return (size_t)ofs;
}

/* Merge A = a[pa..pa+na) and B = a[pa+na..+nb), na <= nb, A in the buffer. */
static void merge_lo(struct ts *t, size_t pa, size_t na, size_t nb)
{
	size_t size = t->size, mg = t->min_gallop, k;
	char *a = t->a, *ta = t->tmp;
	char *dest = EL(t, a, pa), *b = EL(t, a, pa + na);

	memcpy(ta, dest, na * size);
	memcpy(dest, b, size);
	dest += size;
	b += size;
	if (--nb == 0)
		goto done;
	if (na == 1)
		goto copy_b;
	for (;;) {
		size_t acount = 0, bcount = 0;

		for (;;) {
			if (lt(t, b, ta)) {
				memcpy(dest, b, size);
				dest += size;
				b += size;
				bcount++;
				acount = 0;
				if (--nb == 0)
					goto done;
				if (bcount >= mg)
					break;
			} else {
				memcpy(dest, ta, size);
				dest += size;
				ta += size;
				acount++;
				bcount = 0;
				if (--na == 1)
					goto copy_b;
				if (acount >= mg)
					break;
			}
		}
		mg++;
		do {
			mg -= mg > 1;
			t->min_gallop = mg;
			k = gallop_right(t, b, ta, na, 0);
			acount = k;
			if (k) {
				memcpy(dest, ta, k * size);
				dest += k * size;
				ta += k * size;
				na -= k;
				if (na == 1)
					goto copy_b;
				if (na == 0)
					goto done;	/* inconsistent cmp */
			}
			memcpy(dest, b, size);
			dest += size;
			b += size;
			if (--nb == 0)
				goto done;
			k = gallop_left(t, ta, b, nb, 0);
			bcount = k;
			if (k) {
				memmove(dest, b, k * size);
				dest += k * size;
				b += k * size;
				nb -= k;
				if (nb == 0)
					goto done;
			}
			memcpy(dest, ta, size);
			dest += size;
			ta += size;
			if (--na == 1)
				goto copy_b;
		} while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
		mg++;
		t->min_gallop = mg;
	}
done:
	if (na)
		memcpy(dest, ta, na * size);
	return;
copy_b:
	memmove(dest, b, nb * size);
	memcpy(dest + nb * size, ta, size);
}

/* Merge A and B with nb < na from the right, B in the buffer. */
static void merge_hi(struct ts *t, size_t pa, size_t na, size_t nb)
{
	size_t size = t->size, mg = t->min_gallop, k;
	char *a = EL(t, t->a, pa), *tb = t->tmp;
	/* cursors point at the last element of what is left */
	ptrdiff_t ia = (ptrdiff_t)na - 1, ib = (ptrdiff_t)nb - 1;
	ptrdiff_t d = (ptrdiff_t)(na + nb) - 1;

#define A_(i) (a + (size_t)(i) * size)
#define B_(i) (tb + (size_t)(i) * size)
	memcpy(tb, A_(na), nb * size);
	memcpy(A_(d), A_(ia), size);
	d--;
	ia--;
	if (--na == 0)
		goto done;
	if (nb == 1)
		goto copy_a;
	for (;;) {
		size_t acount = 0, bcount = 0;

		for (;;) {
			if (lt(t, B_(ib), A_(ia))) {
				memcpy(A_(d), A_(ia), size);
				d--;
				ia--;
				acount++;
				bcount = 0;
				if (--na == 0)
					goto done;
				if (acount >= mg)
					break;
			} else {
				memcpy(A_(d), B_(ib), size);
				d--;
				ib--;
				bcount++;
				acount = 0;
				if (--nb == 1)
					goto copy_a;
				if (bcount >= mg)
					break;
			}
		}
		mg++;
		do {
			mg -= mg > 1;
			t->min_gallop = mg;
			k = na - gallop_right(t, B_(ib), a, na, na - 1);
			acount = k;
			if (k) {
				d -= (ptrdiff_t)k;
				ia -= (ptrdiff_t)k;
				memmove(A_(d + 1), A_(ia + 1), k * size);
				na -= k;
				if (na == 0)
					goto done;
			}
			memcpy(A_(d), B_(ib), size);
			d--;
			ib--;
			if (--nb == 1)
				goto copy_a;
			k = nb - gallop_left(t, A_(ia), tb, nb, nb - 1);
			bcount = k;
			if (k) {
				d -= (ptrdiff_t)k;
				ib -= (ptrdiff_t)k;
				memcpy(A_(d + 1), B_(ib + 1), k * size);
				nb -= k;
				if (nb == 1)
					goto copy_a;
				if (nb == 0)
					goto done;	/* inconsistent cmp */
			}
			memcpy(A_(d), A_(ia), size);
			d--;
			ia--;
			if (--na == 0)
				goto done;
		} while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
		mg++;
		t->min_gallop = mg;
	}
done:
	if (nb)
		memcpy(A_(d - (ptrdiff_t)nb + 1), tb, nb * size);
	return;
copy_a:
	d -= (ptrdiff_t)na;
	ia -= (ptrdiff_t)na;
	memmove(A_(d + 1), A_(ia + 1), na * size);
	memcpy(A_(d), B_(ib), size);
#undef A_
#undef B_
}

static void merge_at(struct ts *t, int i)
{
	size_t pa = t->base[i], na = t->len[i];
	size_t pb = t->base[i + 1], nb = t->len[i + 1], k;

	t->len[i] = na + nb;
	if (i == t->nruns - 3) {
		t->base[i + 1] = t->base[i + 2];
		t->len[i + 1] = t->len[i + 2];
	}
	t->nruns--;

	/* Elements of A below B[0] are in place already. */
	k = gallop_right(t, EL(t, t->a, pb), EL(t, t->a, pa), na, 0);
	pa += k;
	na -= k;
	if (na == 0)
		return;
	/* Elements of B above A's last are in place already. */
	nb = gallop_left(t, EL(t, t->a, pa + na - 1), EL(t, t->a, pb), nb,
			 nb - 1);
	if (nb == 0)
		return;
	if (na <= nb)
		merge_lo(t, pa, na, nb);
	else
		merge_hi(t, pa, na, nb);
}

static void merge_collapse(struct ts *t)
{
	while (t->nruns > 1) {
		int i = t->nruns - 2;
		size_t *l = t->len;

		if ((i > 0 && l[i - 1] <= l[i] + l[i + 1]) ||
		    (i > 1 && l[i - 2] <= l[i - 1] + l[i])) {
			if (l[i - 1] < l[i + 1])
				i--;
		} else if (l[i] > l[i + 1]) {
			break;
		}
		merge_at(t, i);
	}
}

static void merge_force(struct ts *t)
{
	while (t->nruns > 1) {
		int i = t->nruns - 2;

		if (i > 0 && t->len[i - 1] < t->len[i + 1])
			i--;
		merge_at(t, i);
	}
}

int ks_timsort(struct ks_ctx *c, char *a, size_t n)
{
	struct ts t = { .c = c, .a = a, .size = c->size,
			.min_gallop = MIN_GALLOP };
	size_t lo = 0, mr;

	if (n < 2)
		return 0;
	t.key = malloc((n / 2 + 1) * c->size);
	if (!t.key)
		return -ENOMEM;
	t.tmp = t.key + c->size;

	mr = minrun(n);
	while (lo < n) {
		size_t run = count_run(&t, lo, n);

		if (run < mr) {
			size_t force = n - lo < mr ? n - lo : mr;

			binary_insertion(&t, lo, lo + force, lo + run);
			run = force;
		}
		t.base[t.nruns] = lo;
		t.len[t.nruns] = run;
		t.nruns++;
		merge_collapse(&t);
		lo += run;
	}
	merge_force(&t);
	free(t.key);
	return 0;
}
