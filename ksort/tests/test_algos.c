/* SPDX-License-Identifier: MIT */
/*
 * ksort/tests/test_algos.c - every algorithm, sequential and parallel,
 * sorts every size, pattern and element size; the output is sorted and a
 * permutation of the input
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "common.h"

static size_t g_size;

/* Whole-element order: unsigned bytes, first byte most significant. */
static int cmp_bytes(const void *a, const void *b)
{
	return memcmp(a, b, g_size);
}

static void check_bytes(const char *v, const char *in, size_t n, size_t size)
{
	char *ref = malloc(n * size + 1);

	CHECK(ref);
	memcpy(ref, in, n * size);
	g_size = size;
	qsort(ref, n, size, cmp_bytes);
	for (size_t i = 1; i < n; i++)
		CHECK(memcmp(v + (i - 1) * size, v + i * size, size) <= 0);
	CHECK(memcmp(ref, v, n * size) == 0);
	free(ref);
}

/* Sort @in (n uint64) with every algorithm, alone and through ksort_wq. */
static void sort_all_u64(struct workqueue_struct *wq, const uint64_t *in,
			 size_t n, size_t cutoff)
{
	uint64_t *v = malloc((n ? n : 1) * 8);

	CHECK(v);
	for (int a = 0; a < KSORT_NR_ALGOS; a++) {
		struct ksort_opts o = { .algo = a, .cutoff = cutoff,
					.parallelism = 2 };
		unsigned long long c = 0;

		memcpy(v, in, n * 8);
		CHECK_EQ(ksort_seq(a, v, n, 8, kt_cmp_u64, &c), 0);
		kt_check_perm_u64(v, in, n);
		memcpy(v, in, n * 8);
		CHECK_EQ(ksort_wq(wq, v, n, 8, kt_cmp_u64, &o), 0);
		kt_check_perm_u64(v, in, n);
	}
	free(v);
}

static void test_sizes_patterns(void)
{
	static const size_t sizes[] = { 0,   1,	  2,	3,    5,    6,	  7,
					8,   24,  40,	41,   42,   100,  101,
					128, 129, 1000, 4096, 8191, 8192, 8193,
					16385, 100000 };
	struct workqueue_struct *wq =
		cmwq_alloc_workqueue("ksort_test", WQ_UNBOUND, 0);
	size_t big = KT_SANITIZED ? 100000 : 1000000;

	CHECK(wq);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];
		uint64_t *in = malloc((n ? n : 1) * 8);

		CHECK(in);
		for (int p = 0; p < KSORT_NR_PATTERNS; p++) {
			ksort_generate(in, n, p, 42 + n);
			/* default cut-off, and small cut-offs at the edge */
			sort_all_u64(wq, in, n, 0);
			if (n >= 100 && n <= 16385 &&
			    (p == KSORT_PAT_RANDOM || p == KSORT_PAT_FEW)) {
				sort_all_u64(wq, in, n, n);	/* == n */
				sort_all_u64(wq, in, n, n - 1);
				sort_all_u64(wq, in, n, 7);
			}
		}
		free(in);
	}
	/* The big one: every pattern, quicksort and pdqsort, 2 threads. */
	{
		uint64_t *in = malloc(big * 8), *v = malloc(big * 8);

		CHECK(in && v);
		for (int p = 0; p < KSORT_NR_PATTERNS; p++) {
			ksort_generate(in, big, p, 7);
			for (int a = 0; a < 2; a++) {
				struct ksort_opts o = { .algo = a,
							.parallelism = 2 };

				memcpy(v, in, big * 8);
				CHECK_EQ(ksort_wq(wq, v, big, 8, kt_cmp_u64,
						  &o), 0);
				kt_check_perm_u64(v, in, big);
			}
		}
		free(in);
		free(v);
	}
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* Element sizes 1..24 bytes on a misaligned base, few distinct keys. */
static void test_elem_sizes(void)
{
	static const size_t ns[] = { 0, 1, 7, 41, 101, 3000, 20000 };
	uint64_t st = 1;

	for (size_t size = 1; size <= 24; size++)
		for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
			size_t n = ns[k], bytes = n * size;
			char *raw = malloc(bytes + 1), *in = malloc(bytes + 1);
			char *v = raw + 1;	/* misaligned */

			CHECK(raw && in);
			for (size_t i = 0; i < bytes; i++)
				in[i] = (char)(ksort_splitmix64(&st) %
					       (k & 1 ? 3 : 256));
			for (int a = 0; a < KSORT_NR_ALGOS; a++) {
				struct ksort_opts o = { .algo = a,
							.cutoff = 500,
							.parallelism = 2 };

				g_size = size;
				memcpy(v, in, bytes);
				CHECK_EQ(ksort_seq(a, v, n, size, cmp_bytes,
						   NULL), 0);
				check_bytes(v, in, n, size);
				g_size = size;
				memcpy(v, in, bytes);
				CHECK_EQ(ksort_wq(NULL, v, n, size, cmp_bytes,
						  &o), 0);
				check_bytes(v, in, n, size);
			}
			free(raw);
			free(in);
		}
}

/*
 * pdqsort partitions ranges of 2^20 keys and more as two halves (by two
 * threads at once through ksort_wq): element sizes other than 8 there too.
 */
static void test_halves_sizes(void)
{
	static const size_t sizes[] = { 12, 3, 20 };
	size_t n = ((size_t)1 << 20) + 77;
	/*
	 * One size under ASan; none under TSan (20x slower; ksort_counts
	 * runs the halves on two threads there, with 8-byte keys).
	 */
#if defined(__SANITIZE_THREAD__)
	size_t nsizes = 0;
#else
	size_t nsizes = KT_SANITIZED ? 1 : sizeof(sizes) / sizeof(sizes[0]);
#endif
	uint64_t st = 7;

	for (size_t k = 0; k < nsizes; k++) {
		size_t size = sizes[k], bytes = n * size;
		char *raw = malloc(bytes + 1), *in = malloc(bytes + 1);
		char *v = raw + 1;	/* misaligned */
		struct ksort_opts o = { .algo = KSORT_PDQSORT,
					.parallelism = 2 };

		CHECK(raw && in);
		for (size_t i = 0; i < bytes; i++)
			in[i] = (char)ksort_splitmix64(&st);
		g_size = size;
		memcpy(v, in, bytes);
		CHECK_EQ(ksort_seq(KSORT_PDQSORT, v, n, size, cmp_bytes,
				   NULL), 0);
		check_bytes(v, in, n, size);
		g_size = size;
		memcpy(v, in, bytes);
		CHECK_EQ(ksort_wq(NULL, v, n, size, cmp_bytes, &o), 0);
		check_bytes(v, in, n, size);
		free(raw);
		free(in);
	}
}

static void test_bad_args(void)
{
	uint64_t v[2] = { 2, 1 };
	struct ksort_opts o = { .algo = KSORT_NR_ALGOS };

	CHECK_EQ(ksort(NULL, 2, 8, kt_cmp_u64), -EINVAL);
	CHECK_EQ(ksort(v, 2, 0, kt_cmp_u64), -EINVAL);
	CHECK_EQ(ksort(v, 2, 8, NULL), -EINVAL);
	CHECK_EQ(ksort(v, (size_t)-1 / 4, 8, kt_cmp_u64), -EINVAL);
	CHECK_EQ(ksort_wq(NULL, v, 2, 8, kt_cmp_u64, &o), -EINVAL);
	CHECK_EQ(ksort_seq(KSORT_NR_ALGOS, v, 2, 8, kt_cmp_u64, NULL),
		 -EINVAL);
	CHECK(v[0] == 2 && v[1] == 1);		/* untouched */
	CHECK_EQ(ksort(NULL, 0, 8, kt_cmp_u64), 0);
	CHECK_EQ(ksort(v, 2, 8, kt_cmp_u64), 0);
	CHECK(v[0] == 1 && v[1] == 2);
}

/* list_sort on a kernel-style list: sorted and stable. */
struct item {
	struct list_head link;
	unsigned int key, seq;
};

static int item_cmp(void *priv, const struct list_head *a,
		    const struct list_head *b)
{
	const struct item *x = container_of(a, struct item, link);
	const struct item *y = container_of(b, struct item, link);

	(*(unsigned long *)priv)++;
	return (x->key > y->key) - (x->key < y->key);
}

static void test_list_sort(void)
{
	static const size_t ns[] = { 0, 1, 2, 3, 100, 1001, 65537 };
	uint64_t st = 5;

	for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		size_t n = ns[k], count = 0;
		struct item *it = malloc((n ? n : 1) * sizeof(*it));
		struct list_head head = { &head, &head }, *pos, *prev;
		unsigned long ncmp = 0;

		CHECK(it);
		for (size_t i = 0; i < n; i++) {
			it[i].key = (unsigned int)(ksort_splitmix64(&st) % 50);
			it[i].seq = (unsigned int)i;
			it[i].link.prev = head.prev;
			it[i].link.next = &head;
			head.prev->next = &it[i].link;
			head.prev = &it[i].link;
		}
		ksort_list_sort(&ncmp, &head, item_cmp);
		prev = &head;
		for (pos = head.next; pos != &head; pos = pos->next) {
			CHECK(pos->prev == prev);
			if (prev != &head) {
				struct item *x = container_of(prev, struct item,
							      link);
				struct item *y = container_of(pos, struct item,
							      link);

				CHECK(x->key < y->key ||
				      (x->key == y->key && x->seq < y->seq));
			}
			prev = pos;
			count++;
		}
		CHECK(head.prev == prev);
		CHECK_EQ(count, n);
		free(it);
	}
}

/* Timsort is stable: sort (key, index) pairs by key only. */
static int cmp_key32(const void *a, const void *b)
{
	uint32_t x, y;

	memcpy(&x, a, 4);
	memcpy(&y, b, 4);
	return (x > y) - (x < y);
}

static void test_timsort_stable(void)
{
	size_t n = 50000;
	uint32_t *v = malloc(n * 8);
	uint64_t st = 9;

	CHECK(v);
	for (size_t i = 0; i < n; i++) {
		v[2 * i] = (uint32_t)(ksort_splitmix64(&st) % 100);
		v[2 * i + 1] = (uint32_t)i;
	}
	CHECK_EQ(ksort_timsort(v, n, 8, cmp_key32), 0);
	for (size_t i = 1; i < n; i++) {
		CHECK(v[2 * i - 2] <= v[2 * i]);
		if (v[2 * i - 2] == v[2 * i])
			CHECK(v[2 * i - 1] < v[2 * i + 1]);
	}
	free(v);
}

int main(void)
{
	harness_watchdog(KT_SANITIZED ? 280 : 110);
	RUN_TEST(test_bad_args);
	RUN_TEST(test_list_sort);
	RUN_TEST(test_timsort_stable);
	RUN_TEST(test_elem_sizes);
	RUN_TEST(test_halves_sizes);
	RUN_TEST(test_sizes_patterns);
	return 0;
}
