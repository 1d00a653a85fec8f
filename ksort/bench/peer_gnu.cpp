/* SPDX-License-Identifier: MIT */
/*
 * ksort/bench/peer_gnu.cpp - libstdc++ parallel mode, callback comparator
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <omp.h>
#include <parallel/algorithm>

#include "peers.h"

void ksb_gnu_sort(uint64_t *v, size_t n, int threads)
{
	omp_set_num_threads(threads);
	__gnu_parallel::sort(v, v + n, [](uint64_t a, uint64_t b) {
		return ksb_cmp(&a, &b) < 0;
	});
}
