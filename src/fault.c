// SPDX-License-Identifier: MIT
/*
 * fault.c - fault injection for the library's thread creations and
 * allocations
 *
 * Every allocation of the library goes through cmwq_malloc/cmwq_calloc/
 * cmwq_aligned_alloc and every thread through cmwq_thread_start, which ask
 * fault_should_fail() first.  Off (the default) it costs one relaxed load.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fault_site {
	atomic_ulong every; /* (A) 0 off, N: every Nth call fails */
	atomic_uint permille; /* (A) random failure rate */
	atomic_ullong rng; /* (A) xorshift state */
	atomic_ulong calls; /* (A) */
	atomic_ullong injected; /* (A) */
};

static struct fault_site sites[CMWQ_FAULT_NR_SITES];

/* Distinct call sites that saw an injected failure.  (points_lock) */
static pthread_mutex_t points_lock = PTHREAD_MUTEX_INITIALIZER;
static void *points[256];
static unsigned int nr_points;

static void note_point(void *where)
{
	unsigned int i;

	cmwq_mutex_lock(&points_lock, LC_FAULT);
	for (i = 0; i < nr_points; i++)
		if (points[i] == where)
			break;
	if (i == nr_points && nr_points < 256)
		points[nr_points++] = where;
	cmwq_mutex_unlock(&points_lock, LC_FAULT);
}

bool cmwq_fault_should_fail(int site, void *where)
{
	struct fault_site *f = &sites[site];
	unsigned long every =
		atomic_load_explicit(&f->every, memory_order_relaxed);
	unsigned int permille =
		atomic_load_explicit(&f->permille, memory_order_relaxed);
	bool fail = false;

	if (!every && !permille)
		return false;
	if (permille) {
		unsigned long long x = atomic_load(&f->rng), y;

		do {
			y = x;
			y ^= y << 13;
			y ^= y >> 7;
			y ^= y << 17;
		} while (!atomic_compare_exchange_weak(&f->rng, &x, y));
		fail = y % 1000 < permille;
	} else {
		fail = (atomic_fetch_add(&f->calls, 1) + 1) % every == 0;
	}
	if (fail) {
		atomic_fetch_add(&f->injected, 1);
		note_point(where);
	}
	return fail;
}

CMWQ_API void cmwq_fault_set(int site, unsigned long every,
			     unsigned int permille, unsigned long long seed)
{
	struct fault_site *f;

	if (site < 0 || site >= CMWQ_FAULT_NR_SITES) {
		cmwq_warn("cmwq_fault_set: no fault site %d", site);
		return;
	}
	if (permille > 1000) {
		cmwq_warn("cmwq_fault_set: %u per mille is more than 1000; "
			  "using 1000 (every call fails)",
			  permille);
		permille = 1000;
	}
	f = &sites[site];
	atomic_store(&f->rng, seed ? seed : 0x9e3779b97f4a7c15ull);
	atomic_store(&f->calls, 0);
	atomic_store(&f->permille, permille);
	atomic_store(&f->every, every);
}

CMWQ_API unsigned long long cmwq_fault_injected(int site)
{
	if (site < 0 || site >= CMWQ_FAULT_NR_SITES)
		return 0;
	return atomic_load(&sites[site].injected);
}

CMWQ_API unsigned int cmwq_fault_points(void)
{
	unsigned int n;

	cmwq_mutex_lock(&points_lock, LC_FAULT);
	n = nr_points;
	cmwq_mutex_unlock(&points_lock, LC_FAULT);
	return n;
}

/*
 * Parse a fault setting: "always", "N" (every Nth call; 0: off) or
 * "random:P" / "random:P:SEED" (P per mille, 0..1000).  False when @s is
 * none of these; the outputs are then untouched.
 */
static bool parse_fault_spec(const char *s, unsigned long *every,
			     unsigned int *permille, unsigned long long *seed)
{
	unsigned long long p, n = 0;
	char buf[64];
	char *colon;

	if (!strcmp(s, "always")) {
		*every = 1;
		return true;
	}
	if (strncmp(s, "random:", 7)) {
		if (!cmwq_parse_uint(s, 0, ~0ul, &n))
			return false;
		*every = (unsigned long)n;
		return true;
	}
	if (strlen(s + 7) >= sizeof(buf))
		return false;
	strcpy(buf, s + 7);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (!cmwq_parse_uint(colon + 1, 0, ~0ull, &n))
			return false;
	}
	if (!cmwq_parse_uint(buf, 0, 1000, &p))
		return false;
	*every = 0;
	*permille = (unsigned int)p;
	*seed = n;
	return true;
}

static void fault_from_env(int site, const char *name)
{
	const char *s = cmwq_setting(name);
	unsigned long long seed = 0;
	unsigned int permille = 0;
	unsigned long every = 0;

	if (!s)
		return;
	if (!parse_fault_spec(s, &every, &permille, &seed)) {
		cmwq_setting_invalid(name, s,
				     "always, N, or random:P[:SEED] with P "
				     "per mille in 0..1000",
				     "off");
		return;
	}
	cmwq_fault_set(site, every, permille, seed);
}

static int fault_init(void)
{
	fault_from_env(CMWQ_FAULT_THREAD, "CMWQ_FAULT_THREAD");
	fault_from_env(CMWQ_FAULT_ALLOC, "CMWQ_FAULT_ALLOC");
	return 0;
}
cmwq_initcall(INIT_SETTINGS, fault_init);

__attribute__((noinline)) void *cmwq_malloc(size_t size)
{
	if (cmwq_fault_should_fail(CMWQ_FAULT_ALLOC,
				   __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return malloc(size);
}

__attribute__((noinline)) void *cmwq_calloc(size_t n, size_t size)
{
	if (cmwq_fault_should_fail(CMWQ_FAULT_ALLOC,
				   __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return calloc(n, size);
}

__attribute__((noinline)) void *cmwq_aligned_alloc(size_t align, size_t size)
{
	if (cmwq_fault_should_fail(CMWQ_FAULT_ALLOC,
				   __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return aligned_alloc(align, size);
}
