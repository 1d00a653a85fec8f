/* SPDX-License-Identifier: MIT */
/*
 * cmwq/time.h - jiffies, as the kernel counts time
 *
 * HZ is 1000: a jiffy is a millisecond of CLOCK_MONOTONIC.  Code that wants
 * finer delays uses the _ns variants of the delayed-work calls.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_TIME_H
#define CMWQ_TIME_H

#include <cmwq/compiler.h>

CMWQ_BEGIN_DECLS

#define CMWQ_HZ 1000

/**
 * cmwq_jiffies - the current time in jiffies (milliseconds of
 * CLOCK_MONOTONIC); async-signal-safe
 */
CMWQ_API unsigned long cmwq_jiffies(void);

/**
 * cmwq_now_ns - the current CLOCK_MONOTONIC time in nanoseconds;
 * async-signal-safe
 */
CMWQ_API unsigned long long cmwq_now_ns(void);

static inline unsigned long cmwq_msecs_to_jiffies(unsigned int ms)
{
	return ms;
}

static inline unsigned long cmwq_usecs_to_jiffies(unsigned int us)
{
	/* Round up, as the kernel does: a non-zero delay is at least 1. */
	return (us + 999u) / 1000u;
}

static inline unsigned int cmwq_jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)j;
}

static inline unsigned int cmwq_jiffies_to_usecs(unsigned long j)
{
	return (unsigned int)(j * 1000u);
}

#ifndef CMWQ_NO_KERNEL_NAMES
/*
 * The kernel's names: its functions are static inline functions here (a
 * function pointer to one works, a struct member of that name is not
 * rewritten), its macros are macros.
 */
#ifndef HZ
#define HZ CMWQ_HZ
#endif
#define jiffies (cmwq_jiffies())

static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	return cmwq_msecs_to_jiffies(m);
}

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return cmwq_usecs_to_jiffies(u);
}

static inline unsigned int jiffies_to_msecs(const unsigned long j)
{
	return cmwq_jiffies_to_msecs(j);
}

static inline unsigned int jiffies_to_usecs(const unsigned long j)
{
	return cmwq_jiffies_to_usecs(j);
}

#ifndef time_after
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#endif

/* Is @a in [@b, @c] (time_in_range) or in [@b, @c) (time_in_range_open)? */
#ifndef time_in_range
#define time_in_range(a, b, c) \
	(time_after_eq(a, b) && time_before_eq(a, c))
#define time_in_range_open(a, b, c) \
	(time_after_eq(a, b) && time_before(a, c))
#endif

/* Compare @a with the current jiffies: is the deadline @a still ahead? */
#ifndef time_is_after_jiffies
#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)
#define time_is_before_eq_jiffies(a) time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a) time_before_eq(jiffies, a)
#endif

/*
 * A time in seconds as jiffies, a macro as the kernel's (6.13+), so that a
 * static initialiser can use it.  Multiplies by CMWQ_HZ: the jiffies here
 * are milliseconds whatever HZ the program defined.
 */
#ifndef secs_to_jiffies
#define secs_to_jiffies(_secs) ((unsigned long)((_secs) * CMWQ_HZ))
#endif

/**
 * get_jiffies_64 - the current time in jiffies, in 64 bits
 *
 * Where unsigned long has 32 bits, jiffies is the low half of this count
 * and wraps every 49.7 days; this one does not wrap.  The kernel's returns
 * u64, which is unsigned long long on every architecture.
 *
 * Return: the milliseconds of CLOCK_MONOTONIC, as jiffies counts them.
 */
static inline unsigned long long get_jiffies_64(void)
{
	return cmwq_now_ns() / 1000000ull;
}

/* The kernel's variable, read-only here: a call, as jiffies is. */
#define jiffies_64 (get_jiffies_64())

/* time_after() and friends for 64-bit time stamps (get_jiffies_64()). */
#ifndef time_after64
#define time_after64(a, b) ((long long)((b) - (a)) < 0)
#define time_before64(a, b) time_after64(b, a)
#define time_after_eq64(a, b) ((long long)((a) - (b)) >= 0)
#define time_before_eq64(a, b) time_after_eq64(b, a)
#endif
#endif

CMWQ_END_DECLS

#endif /* CMWQ_TIME_H */
