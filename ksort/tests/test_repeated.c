/* SPDX-License-Identifier: MIT */
/*
 * ksort/tests/test_repeated.c - the inputs that broke the original ksort
 *
 * 10^5 keys modulo 1000 and modulo 5000 made the original module leak or
 * free its work items twice.  Here every algorithm, sequential and through
 * the parallel driver with small cut-offs (many work-item hand-overs), must
 * sort them; the sanitizer builds run this same test under ASan and TSan.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "common.h"

static void run(unsigned int mod)
{
	size_t n = 100000;
	uint64_t *in = malloc(n * 8), *v = malloc(n * 8);
	uint64_t st = mod;
#if KT_SANITIZED
	static const size_t cutoffs[] = { 100, 0 };
#else
	static const size_t cutoffs[] = { 7, 100, 1000, 0 };
#endif

	CHECK(in && v);
	for (size_t i = 0; i < n; i++)
		in[i] = ksort_splitmix64(&st) % mod;
	for (int a = 0; a < KSORT_NR_ALGOS; a++) {
		memcpy(v, in, n * 8);
		CHECK_EQ(ksort_seq(a, v, n, 8, kt_cmp_u64, NULL), 0);
		kt_check_perm_u64(v, in, n);
		for (size_t c = 0; c < sizeof(cutoffs) / sizeof(cutoffs[0]);
		     c++)
			for (unsigned int t = 2; t <= 4; t += 2) {
				struct ksort_stats s;
				struct ksort_opts o = { .algo = a,
							.cutoff = cutoffs[c],
							.parallelism = t,
							.stats = &s };

				memcpy(v, in, n * 8);
				CHECK_EQ(ksort_wq(NULL, v, n, 8, kt_cmp_u64,
						  &o), 0);
				kt_check_perm_u64(v, in, n);
			}
	}
	free(in);
	free(v);
}

static void test_mod_1000(void)
{
	run(1000);
}

static void test_mod_5000(void)
{
	run(5000);
}

int main(void)
{
	harness_watchdog(KT_SANITIZED ? 290 : 120);
	RUN_TEST(test_mod_1000);
	RUN_TEST(test_mod_5000);
	return 0;
}
