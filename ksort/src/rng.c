/* SPDX-License-Identifier: MIT */
/*
 * ksort/src/rng.c - splitmix64 seeding and the test-data patterns
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <string.h>

#include "internal.h"

uint64_t ksort_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void ksort_xoro_seed(struct ksort_xoro *x, uint64_t seed, unsigned int stream)
{
	uint64_t st = seed + 2 * (uint64_t)stream * 0x9e3779b97f4a7c15ull;

	x->s[0] = ksort_splitmix64(&st);
	x->s[1] = ksort_splitmix64(&st);
	if (!x->s[0] && !x->s[1])	/* the one state xoroshiro must avoid */
		x->s[1] = 1;
}

static const char *const pattern_names[KSORT_NR_PATTERNS] = {
	[KSORT_PAT_RANDOM] = "random", [KSORT_PAT_SORTED] = "sorted",
	[KSORT_PAT_REVERSE] = "reverse", [KSORT_PAT_EQUAL] = "equal",
	[KSORT_PAT_FEW] = "few",	 [KSORT_PAT_ORGAN] = "organ",
	[KSORT_PAT_HALF] = "half",
};

const char *ksort_pattern_name(enum ksort_pattern p)
{
	return (unsigned int)p < KSORT_NR_PATTERNS ? pattern_names[p] : NULL;
}

int ksort_pattern_parse(const char *name)
{
	int i;

	for (i = 0; i < KSORT_NR_PATTERNS; i++)
		if (!strcmp(name, pattern_names[i]))
			return i;
	return -1;
}

void ksort_generate(uint64_t *v, size_t n, enum ksort_pattern p,
		    uint64_t seed)
{
	uint64_t st = seed;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p) {
		case KSORT_PAT_SORTED:
			v[i] = i;
			break;
		case KSORT_PAT_REVERSE:
			v[i] = n - i;
			break;
		case KSORT_PAT_EQUAL:
			v[i] = 42;
			break;
		case KSORT_PAT_FEW:
			v[i] = ksort_splitmix64(&st) % 16;
			break;
		case KSORT_PAT_ORGAN:
			v[i] = i < n / 2 ? i : n - i;
			break;
		case KSORT_PAT_HALF:
			/* sorted first half (small keys), random second */
			v[i] = i < n / 2 ? i : ksort_splitmix64(&st);
			break;
		case KSORT_PAT_RANDOM:
		default:
			v[i] = ksort_splitmix64(&st);
			break;
		}
	}
}
