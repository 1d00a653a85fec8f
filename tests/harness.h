/* SPDX-License-Identifier: MIT */
/*
 * tests/harness.h - the minimal test harness every test program uses
 *
 * A failed check prints where and why and aborts, so CTest sees a failure.
 * Each test program also arms a watchdog alarm: a hang is a failure even
 * when run outside CTest.
 */
#ifndef CMWQ_TEST_HARNESS_H
#define CMWQ_TEST_HARNESS_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		long long _a = (long long)(a), _b = (long long)(b);         \
		if (_a != _b) {                                             \
			fprintf(stderr,                                     \
				"%s:%d: CHECK_EQ failed: %s == %s "         \
				"(%lld != %lld)\n",                         \
				__FILE__, __LINE__, #a, #b, _a, _b);        \
			abort();                                            \
		}                                                           \
	} while (0)

static inline void harness_alarm(int sig)
{
	static const char msg[] = "test: watchdog alarm, test hung\n";
	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0) {
	}
	abort();
}

/* Abort the test program if it runs longer than @seconds. */
static inline void harness_watchdog(unsigned int seconds)
{
	signal(SIGALRM, harness_alarm);
	alarm(seconds);
}

#define RUN_TEST(fn)                                        \
	do {                                                \
		fprintf(stderr, "test: %s ...\n", #fn);     \
		fn();                                       \
		fprintf(stderr, "test: %s ok\n", #fn);      \
	} while (0)

static inline void harness_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0) {
	}
}

static inline unsigned long long harness_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/* Wait up to @ms for @cond to become true; evaluates to the condition. */
#define WAIT_UNTIL(cond, ms)                                              \
	({                                                                \
		unsigned long long _end = harness_now_ns() +              \
					  (unsigned long long)(ms) * 1000000ull; \
		while (!(cond) && harness_now_ns() < _end)                \
			harness_sleep_ms(1);                              \
		(cond);                                                   \
	})

#endif /* CMWQ_TEST_HARNESS_H */
