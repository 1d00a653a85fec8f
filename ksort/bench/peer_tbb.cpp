/* SPDX-License-Identifier: MIT */
/*
 * ksort/bench/peer_tbb.cpp - oneTBB parallel_sort, callback comparator
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <oneapi/tbb/parallel_sort.h>
#include <oneapi/tbb/task_arena.h>

#include "peers.h"

void ksb_tbb_sort(uint64_t *v, size_t n, int threads)
{
	tbb::task_arena arena(threads);

	arena.execute([&] {
		tbb::parallel_sort(v, v + n, [](uint64_t a, uint64_t b) {
			return ksb_cmp(&a, &b) < 0;
		});
	});
}
