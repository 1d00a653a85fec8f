/* SPDX-License-Identifier: MIT */
/*
 * ksort/tests/test_counts.c - comparison counts match the analysis
 *
 * Random input (splitmix64 seed 42) at n = 10,000 and 50,000: within 5% of
 * the expected averages; sorted input: the linear counts Timsort and
 * pdqsort promise; the parallel quicksort (fixed pivot rule) makes exactly
 * the comparisons of the sequential one.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <math.h>

#include "common.h"

static unsigned long long count(enum ksort_algo a, const uint64_t *in,
				size_t n)
{
	uint64_t *v = malloc(n * 8);
	unsigned long long c = 0;

	CHECK(v);
	memcpy(v, in, n * 8);
	CHECK_EQ(ksort_seq(a, v, n, 8, kt_cmp_u64, &c), 0);
	kt_check_sorted_u64(v, n);
	free(v);
	return c;
}

static void near(const char *what, size_t n, unsigned long long got,
		 double want)
{
	double err = fabs((double)got - want) / want;

	fprintf(stderr, "  %-10s n=%-6zu %llu comparisons, expected %.0f "
			"(%.2f%%)\n",
		what, n, got, want, err * 100);
	CHECK(err <= 0.05);
}

static void test_random(void)
{
	static const size_t ns[] = { 10000, 50000 };
	static const double list_sort[] = { 120971, 721239 };
	static const double timsort[] = { 119800, 714500 };
	static const double pdqsort[] = { 150000, 877000 };

	for (int i = 0; i < 2; i++) {
		size_t n = ns[i];
		uint64_t *in = malloc(n * 8);

		CHECK(in);
		ksort_generate(in, n, KSORT_PAT_RANDOM, 42);
		near("list_sort", n, count(KSORT_LIST_SORT, in, n),
		     list_sort[i]);
		near("timsort", n, count(KSORT_TIMSORT, in, n), timsort[i]);
		near("pdqsort", n, count(KSORT_PDQSORT, in, n), pdqsort[i]);
		near("heapsort", n, count(KSORT_HEAPSORT, in, n),
		     n * log2((double)n) + 0.37 * n);
		/* quicksort with the ninther: about 1.05 n lg n */
		near("quicksort", n, count(KSORT_QUICKSORT, in, n),
		     1.05 * n * log2((double)n));
		free(in);
	}
}

static void test_sorted(void)
{
	size_t n = 50000;
	uint64_t *in = malloc(n * 8);

	CHECK(in);
	ksort_generate(in, n, KSORT_PAT_SORTED, 0);
	CHECK_EQ(count(KSORT_TIMSORT, in, n), n - 1);
	CHECK(count(KSORT_PDQSORT, in, n) <= 2 * n + 16);
	/* list_sort: each merge of sorted lists stops at the shorter one */
	CHECK(count(KSORT_LIST_SORT, in, n) <=
	      (unsigned long long)(n * log2((double)n) / 2 + n));
	ksort_generate(in, n, KSORT_PAT_REVERSE, 0);
	/* a strictly descending run is reversed: linear */
	CHECK_EQ(count(KSORT_TIMSORT, in, n), n - 1);
	ksort_generate(in, n, KSORT_PAT_EQUAL, 0);
	CHECK_EQ(count(KSORT_TIMSORT, in, n), n - 1);
	/* 3-way partition: all keys equal is one pass */
	CHECK(count(KSORT_QUICKSORT, in, n) <= n + 16);
	free(in);
}

/*
 * The parallel driver splits with the steps of the sequential algorithm
 * (quicksort's, pdqsort's own), so it makes exactly its comparisons.
 */
static void same_count(enum ksort_algo a, size_t n, size_t cutoff)
{
	uint64_t *in = malloc(n * 8), *v = malloc(n * 8);
	unsigned long long seq;

	CHECK(in && v);
	for (int p = 0; p < KSORT_NR_PATTERNS; p++) {
		ksort_generate(in, n, p, 42);
		seq = count(a, in, n);
		for (unsigned int t = 1; t <= 3; t++) {
			struct ksort_stats st = { 0 };
			struct ksort_opts o = { .algo = a,
						.cutoff = cutoff,
						.parallelism = t,
						.stats = &st };

			memcpy(v, in, n * 8);
			CHECK_EQ(ksort_wq(NULL, v, n, 8, kt_cmp_u64, &o), 0);
			kt_check_sorted_u64(v, n);
			CHECK_EQ(st.comparisons, seq);
		}
	}
	free(in);
	free(v);
}

static void test_parallel_same_count(void)
{
	size_t n = KT_SANITIZED ? 200000 : 1000000;

	same_count(KSORT_QUICKSORT, n, 1000);
	same_count(KSORT_PDQSORT, n, 1000);
	/* ranges partitioned as two halves, by two threads at once */
	same_count(KSORT_PDQSORT, ((size_t)1 << 20) + 4321, 1000);
	/* below pdqsort's insertion-sort size: its steps finish ranges */
	same_count(KSORT_PDQSORT, n / 10, 20);
}

int main(void)
{
	harness_watchdog(KT_SANITIZED ? 280 : 110);
	RUN_TEST(test_random);
	RUN_TEST(test_sorted);
	RUN_TEST(test_parallel_same_count);
	return 0;
}
