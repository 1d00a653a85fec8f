/* SPDX-License-Identifier: MIT */
/*
 * test_ring.c - the SPSC ring alone: numbered items between two threads
 *
 * 10^8 items in the plain build, fewer under sanitizers; the environment
 * variable SIMRUPT_RING_ITEMS overrides.  The two threads are pinned to two
 * CPUs when there are two, and the throughput is printed (never asserted).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "harness.h"
#include "spsc_ring.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#if defined(__SANITIZE_THREAD__)
#define DEFAULT_ITEMS 1000000ull
#elif defined(__SANITIZE_ADDRESS__)
#define DEFAULT_ITEMS 10000000ull
#else
#define DEFAULT_ITEMS 100000000ull
#endif

static unsigned long long nr_items;
static struct spsc_ring ring;
static uint64_t slots[4096];

static void pin(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* Best effort: a restricted cpuset only makes the figure noisier. */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *producer(void *arg)
{
	uint64_t i;

	(void)arg;
	pin(0);
	for (i = 0; i < nr_items; i++) {
		while (!spsc_ring_put(&ring, &i))
			sched_yield();
	}
	return NULL;
}

/* One item at a time, every item checked against its number. */
static void test_numbered_items(void)
{
	pthread_t t;
	uint64_t expect = 0, v;
	unsigned long long t0, t1;

	CHECK_EQ(spsc_ring_init(&ring, slots, 4096, sizeof(uint64_t)), 0);
	pin(1);
	t0 = harness_now_ns();
	CHECK_EQ(pthread_create(&t, NULL, producer, NULL), 0);
	while (expect < nr_items) {
		if (!spsc_ring_get(&ring, &v)) {
			sched_yield();
			continue;
		}
		if (v != expect) {
			fprintf(stderr, "item %llu: got %llu\n",
				(unsigned long long)expect,
				(unsigned long long)v);
			CHECK(v == expect);
		}
		expect++;
	}
	t1 = harness_now_ns();
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(!spsc_ring_get(&ring, &v));
	CHECK_EQ(spsc_ring_count(&ring), 0);
	printf("ring: %llu items (8 bytes) in %.3f s: %.1f M items/s\n",
	       nr_items, (t1 - t0) / 1e9, nr_items * 1e3 / (t1 - t0));
}

static struct spsc_ring bring;
static unsigned char bslots[4096];

static void *byte_producer(void *arg)
{
	unsigned long long i;

	(void)arg;
	pin(0);
	for (i = 0; i < nr_items; i++) {
		unsigned char c = (unsigned char)(' ' + i % 95);

		while (!spsc_ring_put(&bring, &c))
			sched_yield();
	}
	return NULL;
}

/* simrupt's use: a 4096-byte ring, bulk gets, the printable pattern. */
static void test_bytes_bulk(void)
{
	pthread_t t;
	unsigned long long got = 0, t0, t1;
	unsigned char buf[512];
	unsigned int pos, n, i;

	CHECK_EQ(spsc_ring_init(&bring, bslots, 4096, 1), 0);
	pin(1);
	t0 = harness_now_ns();
	CHECK_EQ(pthread_create(&t, NULL, byte_producer, NULL), 0);
	while (got < nr_items) {
		n = spsc_ring_get_bulk(&bring, buf, sizeof(buf), &pos);
		if (n == 0) {
			sched_yield();
			continue;
		}
		CHECK_EQ(pos, (unsigned int)got);
		for (i = 0; i < n; i++) {
			if (buf[i] != ' ' + (got + i) % 95) {
				fprintf(stderr, "byte %llu: got %u\n",
					got + i, buf[i]);
				CHECK(0);
			}
		}
		got += n;
	}
	t1 = harness_now_ns();
	CHECK_EQ(pthread_join(t, NULL), 0);
	printf("ring: %llu bytes, bulk get, in %.3f s: %.1f M bytes/s\n",
	       nr_items, (t1 - t0) / 1e9, nr_items * 1e3 / (t1 - t0));
}

/* Full and empty edges, and index wrap-around at 2^32. */
static void test_edges(void)
{
	static uint64_t s[8];
	struct spsc_ring r;
	uint64_t v, i;

	CHECK(spsc_ring_init(&r, s, 6, 8) != 0);
	CHECK_EQ(spsc_ring_init(&r, s, 8, 8), 0);
	CHECK(!spsc_ring_get(&r, &v));
	for (i = 0; i < 8; i++)
		CHECK(spsc_ring_put(&r, &i));
	CHECK(spsc_ring_full(&r));
	CHECK(!spsc_ring_put(&r, &i));
	CHECK_EQ(spsc_ring_count(&r), 8);
	for (i = 0; i < 8; i++) {
		CHECK(spsc_ring_get(&r, &v));
		CHECK_EQ(v, i);
	}
	/* Restart just below the wrap of the 32-bit indices. */
	atomic_store(&r.head, 0xfffffffcu);
	atomic_store(&r.tail, 0xfffffffcu);
	r.head_cache = r.tail_cache = 0xfffffffcu;
	for (i = 0; i < 1000; i++) {
		uint64_t j = i + 1000000;

		CHECK(spsc_ring_put(&r, &i));
		CHECK(spsc_ring_put(&r, &j));
		CHECK(spsc_ring_get(&r, &v));
		CHECK_EQ(v, i);
		CHECK(spsc_ring_get(&r, &v));
		CHECK_EQ(v, j);
	}
	CHECK_EQ(spsc_ring_count(&r), 0);
}

int main(void)
{
	const char *env = getenv("SIMRUPT_RING_ITEMS");

	harness_watchdog(300);
	nr_items = env ? strtoull(env, NULL, 0) : DEFAULT_ITEMS;
	RUN_TEST(test_edges);
	RUN_TEST(test_numbered_items);
	RUN_TEST(test_bytes_bulk);
	return 0;
}
