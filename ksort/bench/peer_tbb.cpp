/* SPDX-License-Identifier: MIT */
/*
 * ksort/bench/peer_tbb.cpp - oneTBB parallel_sort, callback comparator
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <oneapi/tbb/parallel_sort.h>
#include <oneapi/tbb/task_arena.h>

#include "peers.h"

/* One arena per thread count, kept: its threads are not started per call. */
void ksb_tbb_sort(uint64_t *v, size_t n, int threads)
{
	static tbb::task_arena *arenas[65];
	tbb::task_arena *&arena = arenas[threads > 0 && threads < 65 ? threads
								       : 0];

	if (!arena)
		arena = new tbb::task_arena(threads > 0 ? threads : 1);
	arena->execute([&] {
		tbb::parallel_sort(v, v + n, [](uint64_t a, uint64_t b) {
			return ksb_cmp(&a, &b) < 0;
		});
	});
}
