// SPDX-License-Identifier: MIT
/*
 * lockdep_order.c - the lock-order check of debug mode (src/lockdep.c),
 * white-box: linked with the library's objects, it takes locks of the
 * library's classes in and against the order of src/lockdep.h and checks
 * what is reported: an inversion once per pair, with both places; the
 * order itself, same-class nesting, trylocks and out-of-order unlocking
 * in silence.
 */
#define _GNU_SOURCE
#include "internal.h"

#include "harness.h"

#include <string.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;

static void test_inversion_named(void)
{
	struct harness_capture cap;
	char want[512];
	int line_a, line_b;

	harness_capture_begin(&cap);
	line_a = __LINE__ + 1;
	cmwq_mutex_lock(&a, LC_POOL);
	line_b = __LINE__ + 1;
	cmwq_mutex_lock(&b, LC_WQS); /* against the order */
	cmwq_mutex_unlock(&b, LC_WQS);
	cmwq_mutex_unlock(&a, LC_POOL);
	snprintf(want, sizeof(want),
		 "wqs_mutex taken at %s:%d while holding pool->lock, taken "
		 "at %s:%d",
		 __FILE__, line_b, __FILE__, line_a);
	CHECK(harness_capture_end(&cap, want));

	/* Reported once per pair. */
	harness_capture_begin(&cap);
	cmwq_mutex_lock(&a, LC_POOL);
	cmwq_mutex_lock(&b, LC_WQS);
	cmwq_mutex_unlock(&b, LC_WQS);
	cmwq_mutex_unlock(&a, LC_POOL);
	CHECK(!harness_capture_end(&cap, "lock order"));
}

static void test_order_silent(void)
{
	struct harness_capture cap;

	harness_capture_begin(&cap);
	/* The whole chain, in order. */
	cmwq_mutex_lock(&a, LC_MONITOR);
	cmwq_mutex_lock(&b, LC_WQ);
	cmwq_mutex_lock(&c, LC_MAYDAY);
	cmwq_mutex_unlock(&c, LC_MAYDAY);
	cmwq_mutex_unlock(&b, LC_WQ);
	cmwq_mutex_unlock(&a, LC_MONITOR);
	/* Two of a class, nested on purpose. */
	cmwq_mutex_lock(&a, LC_TIMER_DWORK);
	cmwq_mutex_lock_nested(&b, LC_TIMER_DWORK);
	cmwq_mutex_unlock(&b, LC_TIMER_DWORK);
	cmwq_mutex_unlock(&a, LC_TIMER_DWORK);
	/* A trylock cannot deadlock. */
	cmwq_mutex_lock(&a, LC_FAULT);
	CHECK(cmwq_mutex_trylock(&b, LC_WQS));
	cmwq_mutex_unlock(&b, LC_WQS);
	cmwq_mutex_unlock(&a, LC_FAULT);
	/* Unlocking out of order leaves the right one held. */
	cmwq_mutex_lock(&a, LC_WQS);
	cmwq_mutex_lock(&b, LC_POOLS);
	cmwq_mutex_unlock(&a, LC_WQS);
	cmwq_mutex_lock(&c, LC_POOL); /* after pools_mutex: fine */
	cmwq_mutex_unlock(&c, LC_POOL);
	cmwq_mutex_unlock(&b, LC_POOLS);
	CHECK(!harness_capture_end(&cap, "lock order"));
}

static void test_same_class_unnested(void)
{
	struct harness_capture cap;

	harness_capture_begin(&cap);
	cmwq_mutex_lock(&a, LC_DEBUGOBJ);
	cmwq_mutex_lock(&b, LC_DEBUGOBJ);
	cmwq_mutex_unlock(&b, LC_DEBUGOBJ);
	cmwq_mutex_unlock(&a, LC_DEBUGOBJ);
	CHECK(harness_capture_end(&cap, "debug-objects table taken at"));
}

/* Off: nothing is recorded or said. */
static void test_off(void)
{
	struct harness_capture cap;

	cmwq_lockdep_on = false;
	harness_capture_begin(&cap);
	cmwq_mutex_lock(&a, LC_MAYDAY);
	cmwq_mutex_lock(&b, LC_MONITOR);
	cmwq_mutex_unlock(&b, LC_MONITOR);
	cmwq_mutex_unlock(&a, LC_MAYDAY);
	CHECK(!harness_capture_end(&cap, "lock order"));
	cmwq_lockdep_on = true;
}

int main(void)
{
	harness_watchdog(30);
	/* The environment (CMWQ_DEBUG_LOCKS=1 from CTest) turned it on. */
	CHECK(cmwq_lockdep_on);
	RUN_TEST(test_inversion_named);
	RUN_TEST(test_order_silent);
	RUN_TEST(test_same_class_unnested);
	RUN_TEST(test_off);
	return 0;
}
