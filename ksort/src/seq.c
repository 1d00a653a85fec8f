/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/seq.c - the sequential entry points
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static const char *const algo_names[KSORT_NR_ALGOS] = {
	[KSORT_PDQSORT] = "pdqsort",	 [KSORT_QUICKSORT] = "quicksort",
	[KSORT_TIMSORT] = "timsort",	 [KSORT_HEAPSORT] = "heapsort",
	[KSORT_LIST_SORT] = "list_sort",
};

const char *ksort_algo_name(enum ksort_algo algo)
{
	return (unsigned int)algo < KSORT_NR_ALGOS ? algo_names[algo] : NULL;
}

int ksort_algo_parse(const char *name)
{
	int i;

	for (i = 0; i < KSORT_NR_ALGOS; i++)
		if (!strcmp(name, algo_names[i]))
			return i;
	return -1;
}

int ks_seq(struct ks_ctx *c, enum ksort_algo algo, char *a, size_t n)
{
	switch (algo) {
	case KSORT_QUICKSORT:
		ks_quicksort(c, a, n, ks_depth_limit(n));
		return 0;
	case KSORT_PDQSORT:
		ks_pdqsort(c, a, n);
		return 0;
	case KSORT_TIMSORT:
		return ks_timsort(c, a, n);
	case KSORT_HEAPSORT:
		ks_heapsort(c, a, n);
		return 0;
	case KSORT_LIST_SORT:
		return ks_list_sort_array(c, a, n);
	default:
		return -EINVAL;
	}
}

static bool bad_args(const void *base, size_t nmemb, size_t size,
		     ksort_cmp_t cmp)
{
	if (!cmp || !size || (nmemb && !base))
		return true;
	/* the byte size of the array must not overflow */
	return nmemb > (size_t)-1 / size;
}

int ksort_seq(enum ksort_algo algo, void *base, size_t nmemb, size_t size,
	      ksort_cmp_t cmp, unsigned long long *comparisons)
{
	struct ks_ctx c = { cmp, size, 0 };
	int ret;

	if (bad_args(base, nmemb, size, cmp) ||
	    (unsigned int)algo >= KSORT_NR_ALGOS)
		return -EINVAL;
	ret = ks_seq(&c, algo, base, nmemb);
	if (comparisons)
		*comparisons = c.ncmp;
	return ret;
}

bool ks_bad_args(const void *base, size_t nmemb, size_t size, ksort_cmp_t cmp)
{
	return bad_args(base, nmemb, size, cmp);
}

void ksort_quicksort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp)
{
	ksort_seq(KSORT_QUICKSORT, base, nmemb, size, cmp, NULL);
}

void ksort_pdqsort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp)
{
	ksort_seq(KSORT_PDQSORT, base, nmemb, size, cmp, NULL);
}

void ksort_heapsort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp)
{
	ksort_seq(KSORT_HEAPSORT, base, nmemb, size, cmp, NULL);
}

int ksort_timsort(void *base, size_t nmemb, size_t size, ksort_cmp_t cmp)
{
	return ksort_seq(KSORT_TIMSORT, base, nmemb, size, cmp, NULL);
}
