/* SPDX-License-Identifier: MIT */
/*
 * cmwq/fault.h - fault injection, for tests
 *
 * Makes the library's own thread creations or memory allocations fail, so
 * tests can walk every failure path.  Also settable from the environment:
 * CMWQ_FAULT_THREAD and CMWQ_FAULT_ALLOC take "always", "N" (every Nth
 * call fails) or "random:P:SEED" (P per mille, reproducible with SEED).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_FAULT_H
#define CMWQ_FAULT_H

#include <cmwq/compiler.h>

CMWQ_BEGIN_DECLS

enum cmwq_fault_site {
	CMWQ_FAULT_THREAD = 0, /* pthread_create of workers and helpers */
	CMWQ_FAULT_ALLOC = 1, /* every allocation the library makes */
	CMWQ_FAULT_NR_SITES,
};

/**
 * cmwq_fault_set - make calls at a site fail
 * @site: CMWQ_FAULT_THREAD or CMWQ_FAULT_ALLOC
 * @every: 0 never fails, 1 every call fails, N every Nth call fails
 * @permille: if non-zero, each call fails with this probability (per
 *	mille) instead, drawn from a generator seeded with @seed
 * @seed: seed of that generator (printed by tests so runs reproduce)
 */
CMWQ_API void cmwq_fault_set(int site, unsigned long every,
			     unsigned int permille, unsigned long long seed);

/**
 * cmwq_fault_injected - how many failures were injected at @site so far
 */
CMWQ_API unsigned long long cmwq_fault_injected(int site);

/**
 * cmwq_fault_points - how many distinct call sites failed so far
 *
 * A call site is a place in the library that checks the failure; tests
 * report how many they walked.
 */
CMWQ_API unsigned int cmwq_fault_points(void);

CMWQ_END_DECLS

#endif /* CMWQ_FAULT_H */
