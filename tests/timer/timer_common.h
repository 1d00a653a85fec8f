/* SPDX-License-Identifier: MIT */
/*
 * tests/timer/timer_common.h - helpers shared by the timer service tests
 *
 * A seeded generator (the seed comes from CMWQ_TEST_SEED or the clock and
 * is printed, so a failing run can be repeated) and the list of CPUs this
 * process may use.
 */
#ifndef CMWQ_TEST_TIMER_COMMON_H
#define CMWQ_TEST_TIMER_COMMON_H

#include <cmwq.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

/* A delay no correct engine reaches while a test runs. */
#define TIMER_LONG_DELAY (120 * HZ)

static unsigned long long timer_seed;

/* splitmix64: one stream per thread, derived from the test's seed. */
static inline unsigned long long timer_rand(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A uniform value in [lo, hi]. */
static inline unsigned long timer_rand_range(unsigned long long *s,
					     unsigned long lo, unsigned long hi)
{
	return lo + (unsigned long)(timer_rand(s) % (hi - lo + 1));
}

static inline void timer_seed_init(const char *test)
{
	const char *env = getenv("CMWQ_TEST_SEED");

	if (env && *env)
		timer_seed = strtoull(env, NULL, 0);
	else
		timer_seed = harness_now_ns() ^
			     ((unsigned long long)getpid() << 32);
	fprintf(stderr, "test: %s seed %llu (CMWQ_TEST_SEED=%llu repeats it)\n",
		test, timer_seed, timer_seed);
}

/* The generator state of stream @k. */
static inline unsigned long long timer_stream(unsigned int k)
{
	unsigned long long s = timer_seed + 0x632be59bd9b4e019ull * (k + 1);

	timer_rand(&s);
	return s;
}

static int timer_cpus[CMWQ_MAX_CPUS], timer_ncpus;

/* Fill timer_cpus with the CPUs this process may run on. */
static inline void timer_cpus_init(void)
{
	int cpu;

	timer_ncpus = 0;
	for (cpu = 0; cpu < cmwq_nr_cpus() && cpu < CMWQ_MAX_CPUS; cpu++)
		if (cmwq_cpu_possible(cpu))
			timer_cpus[timer_ncpus++] = cpu;
	CHECK(timer_ncpus > 0);
}

#endif /* CMWQ_TEST_TIMER_COMMON_H */
