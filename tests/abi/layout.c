// SPDX-License-Identifier: MIT
/*
 * layout.c - the sizes of the structures programs embed or allocate are
 * part of the ABI (docs/abi.md): a change here is an ABI break and needs a
 * new soname.  The figures are those of 0.1 on x86-64 and other LP64
 * targets with 8-byte long long alignment.
 */
#include <cmwq.h>

#include <stddef.h>
#include <stdio.h>

#if defined(__LP64__) && (defined(__x86_64__) || defined(__aarch64__))
_Static_assert(sizeof(struct work_struct) == 32, "work_struct is ABI");
_Static_assert(sizeof(struct delayed_work) == 72, "delayed_work is ABI");
_Static_assert(sizeof(struct completion) == 8, "completion is ABI");
_Static_assert(sizeof(struct workqueue_attrs) == 136, "attrs are ABI");
/* 0.2 put the affinity fields in what was padding after nice. */
_Static_assert(offsetof(struct workqueue_attrs, cpumask) == 8,
	       "attrs fields are ABI");
_Static_assert(offsetof(struct workqueue_attrs, affn_scope) == 6,
	       "affn_scope sits in 0.1's padding");
_Static_assert(sizeof(struct cmwq_wq_stats) == 144, "wq stats are ABI");
_Static_assert(sizeof(struct cmwq_pool_stats) == 120, "pool stats are ABI");
/* 0.2 put min_active in what was tail padding: 0.1's fields stay put. */
_Static_assert(offsetof(struct cmwq_wq_stats, nr_in_flight) == 136,
	       "wq stats fields are ABI");
_Static_assert(offsetof(struct cmwq_wq_stats, min_active) == 140,
	       "min_active sits in 0.1's tail padding");
#define CHECKED 1
#else
#define CHECKED 0
#endif

int main(void)
{
	if (!CHECKED) {
		printf("abi_layout: sizes recorded for LP64 x86-64/aarch64 "
		       "only: skipped\n");
		return 77;
	}
	printf("abi_layout: work_struct %zu, delayed_work %zu, completion "
	       "%zu, workqueue_attrs %zu, cmwq_wq_stats %zu, "
	       "cmwq_pool_stats %zu bytes\n",
	       sizeof(struct work_struct), sizeof(struct delayed_work),
	       sizeof(struct completion), sizeof(struct workqueue_attrs),
	       sizeof(struct cmwq_wq_stats), sizeof(struct cmwq_pool_stats));
	return 0;
}
