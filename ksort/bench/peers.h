/* SPDX-License-Identifier: MIT */
/*
 * ksort/bench/peers.h - the peers of ksort_bench, each in its own file
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef KSORT_BENCH_PEERS_H
#define KSORT_BENCH_PEERS_H

#include <cstddef>
#include <cstdint>

/* The comparator every sort calls through a pointer (never inlined). */
extern int (*volatile ksb_cmp)(const void *, const void *);

/* oneTBB parallel_sort with @threads threads. */
void ksb_tbb_sort(uint64_t *v, size_t n, int threads);
/* libstdc++ parallel mode (__gnu_parallel::sort, OpenMP), @threads. */
void ksb_gnu_sort(uint64_t *v, size_t n, int threads);

#endif
