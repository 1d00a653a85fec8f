/* SPDX-License-Identifier: MIT */
/*
 * ksort/tests/common.h - helpers of the ksort tests
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef KSORT_TESTS_COMMON_H
#define KSORT_TESTS_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <ksort.h>

/* Sanitizer builds are 5-15x slower: smaller arrays there. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define KT_SANITIZED 1
#else
#define KT_SANITIZED 0
#endif

static inline int kt_cmp_u64(const void *a, const void *b)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return (x > y) - (x < y);
}

static inline void kt_check_sorted_u64(const uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (v[i - 1] > v[i]) {
			fprintf(stderr, "not sorted at %zu of %zu\n", i, n);
			CHECK(0);
		}
}

static inline int kt_cmp_u64_plain(const void *a, const void *b)
{
	return kt_cmp_u64(a, b);
}

/*
 * @v sorted and a permutation of @in: sort a copy of @in with qsort and
 * compare (with a total order the sorted permutation is unique).
 */
static inline void kt_check_perm_u64(const uint64_t *v, const uint64_t *in,
				     size_t n)
{
	uint64_t *ref = malloc((n ? n : 1) * 8);

	CHECK(ref);
	memcpy(ref, in, n * 8);
	qsort(ref, n, 8, kt_cmp_u64_plain);
	kt_check_sorted_u64(v, n);
	CHECK(memcmp(ref, v, n * 8) == 0);
	free(ref);
}

#endif
