/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/heapsort.c - the kernel's heapsort (lib/sort.c), bottom-up
 *
 * One loop builds the max-heap and then takes it apart.  Each sift goes
 * down to a leaf choosing the larger child (one comparison per level), then
 * climbs back to where the sifted element belongs (usually a level or two),
 * and rotates the path: about n lg n + O(n) comparisons, against 2 n lg n
 * for the textbook sift-down.  In place, no recursion, O(n log n) always.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

static inline __attribute__((always_inline)) void
heapsort_core(struct ks_ctx *c, char *a, size_t n, size_t size)
{
	size_t i = n / 2, end = n, b, x;

	if (n < 2)
		return;
	for (;;) {
		if (i > 0) {
			i--;			/* building: sift a[i] */
		} else if (end > 2) {
			end--;			/* sorting: max to its place */
			ks_swap(a, a + end * size, size);
		} else {
			/* The max of a 2-element heap goes last. */
			ks_swap(a, a + size, size);
			break;
		}
		/* Down to a leaf along the larger children. */
		for (b = i; 2 * b + 2 < end;)
			b = ks_cmp(c, a + (2 * b + 1) * size,
				   a + (2 * b + 2) * size) >= 0
				    ? 2 * b + 1
				    : 2 * b + 2;
		if (2 * b + 1 == end - 1)
			b = 2 * b + 1;		/* a lone left child */
		/* Back up to where a[i] belongs. */
		while (b != i && ks_cmp(c, a + i * size, a + b * size) >= 0)
			b = (b - 1) / 2;
		/* Rotate a[i] down to b, the path up by one. */
		for (x = b; b != i;) {
			b = (b - 1) / 2;
			ks_swap(a + b * size, a + x * size, size);
		}
	}
}

void ks_heapsort(struct ks_ctx *c, char *a, size_t n)
{
	if (c->size == 8)
		heapsort_core(c, a, n, 8);
	else
		heapsort_core(c, a, n, c->size);
}
