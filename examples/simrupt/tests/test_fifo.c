/* SPDX-License-Identifier: MIT */
/*
 * test_fifo.c - the byte FIFO: readers' semantics and the overwrite race
 *
 * The original simrupt drops the oldest kfifo byte from the work item
 * without the readers' lock, so the work item and a reader can consume the
 * same bytes.  Here a producer overwrites a small FIFO continuously while
 * several readers drain it; every byte carries a function of its stream
 * position, so a byte read twice, read after being overwritten, or counted
 * both as read and as overwritten is caught (and TSan reports the racy
 * version).
 */
#include "harness.h"
#include "byte_fifo.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define NR_BYTES (1u << 20)
#else
#define NR_BYTES (1u << 23)
#endif
#define NR_READERS 4

static unsigned char pattern(unsigned int pos)
{
	return (unsigned char)(pos ^ (pos >> 8) ^ (pos >> 16));
}

static void test_semantics(void)
{
	struct byte_fifo f;
	unsigned char buf[16], in[10];
	unsigned int i;

	CHECK_EQ(byte_fifo_init(&f, 12), -EINVAL);
	CHECK_EQ(byte_fifo_init(&f, 8), 0);
	CHECK_EQ(byte_fifo_read(&f, buf, sizeof(buf), true, NULL, NULL),
		 -EAGAIN);
	for (i = 0; i < 10; i++)
		in[i] = (unsigned char)i;
	CHECK_EQ(byte_fifo_push(&f, in, 5), 0);
	CHECK_EQ(byte_fifo_len(&f), 5);
	/* Blocking read with data returns what is there, no more. */
	CHECK_EQ(byte_fifo_read(&f, buf, sizeof(buf), false, NULL, NULL), 5);
	CHECK_EQ(buf[4], 4);
	/* 5 more would fit exactly... */
	CHECK_EQ(byte_fifo_push(&f, in, 8), 0);
	/* ...and 3 beyond overwrite the 3 oldest. */
	CHECK_EQ(byte_fifo_push(&f, in + 7, 3), 3);
	CHECK_EQ(byte_fifo_read(&f, buf, 2, true, NULL, NULL), 2);
	CHECK_EQ(buf[0], 3);
	CHECK_EQ(buf[1], 4);
	/* A push longer than the FIFO keeps its last 8 bytes. */
	CHECK_EQ(byte_fifo_push(&f, in, 10), 6 + 2);
	CHECK_EQ(byte_fifo_read(&f, buf, sizeof(buf), true, NULL, NULL), 8);
	CHECK_EQ(buf[0], 2);
	CHECK_EQ(buf[7], 9);
	CHECK_EQ(f.overwritten, 3 + 8);
	CHECK_EQ(f.delivered, 5 + 2 + 8);
	byte_fifo_close(&f);
	CHECK_EQ(byte_fifo_read(&f, buf, sizeof(buf), false, NULL, NULL), 0);
	byte_fifo_destroy(&f);
}

static struct byte_fifo fifo;
static unsigned char *seen;		/* one per position; under fifo.lock */
static atomic_int errors;

struct reader {
	pthread_t thread;
	bool nonblock;
	unsigned char buf[97];
	unsigned long long got;
};

/* Runs under the consumers' lock: mark positions and check contents. */
static void on_read(void *arg, unsigned int pos, unsigned int n)
{
	struct reader *r = arg;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (pos + i >= NR_BYTES || seen[pos + i] ||
		    r->buf[i] != pattern(pos + i)) {
			atomic_fetch_add(&errors, 1);
			continue;
		}
		seen[pos + i] = 1;
	}
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	ssize_t n;

	for (;;) {
		n = byte_fifo_read(&fifo, r->buf, sizeof(r->buf), r->nonblock,
				   on_read, r);
		if (n == 0)
			break;
		if (n == -EAGAIN) {
			/* Non-blocking readers stop at close, too. */
			pthread_mutex_lock(&fifo.lock);
			n = fifo.closed && byte_fifo_len(&fifo) == 0;
			pthread_mutex_unlock(&fifo.lock);
			if (n)
				break;
			sched_yield();
			continue;
		}
		CHECK(n > 0);
		r->got += (unsigned long long)n;
	}
	return NULL;
}

static void test_overwrite_race(void)
{
	struct reader readers[NR_READERS] = { 0 };
	unsigned char chunk[300];
	unsigned int pos = 0, n, i, seed = 1;
	unsigned long long overwritten = 0, delivered = 0;

	seen = calloc(NR_BYTES, 1);
	CHECK(seen != NULL);
	CHECK_EQ(byte_fifo_init(&fifo, 256), 0);
	for (i = 0; i < NR_READERS; i++) {
		readers[i].nonblock = i & 1;
		CHECK_EQ(pthread_create(&readers[i].thread, NULL, reader_main,
					&readers[i]),
			 0);
	}
	while (pos < NR_BYTES) {
		seed = seed * 1103515245u + 12345u;
		n = 1 + (seed >> 16) % sizeof(chunk);
		if (n > NR_BYTES - pos)
			n = NR_BYTES - pos;
		for (i = 0; i < n; i++)
			chunk[i] = pattern(pos + i);
		overwritten += byte_fifo_push(&fifo, chunk, n);
		pos += n;
		if ((seed >> 8) % 64 == 0)
			sched_yield();
	}
	byte_fifo_close(&fifo);
	for (i = 0; i < NR_READERS; i++) {
		CHECK_EQ(pthread_join(readers[i].thread, NULL), 0);
		delivered += readers[i].got;
	}
	CHECK_EQ(atomic_load(&errors), 0);
	CHECK_EQ(byte_fifo_len(&fifo), 0);
	CHECK_EQ(fifo.overwritten, overwritten);
	CHECK_EQ(fifo.delivered, delivered);
	CHECK_EQ(delivered + overwritten, NR_BYTES);
	printf("fifo: %u bytes pushed, %llu delivered, %llu overwritten\n",
	       NR_BYTES, delivered, overwritten);
	byte_fifo_destroy(&fifo);
	free(seen);
}

int main(void)
{
	harness_watchdog(120);
	RUN_TEST(test_semantics);
	RUN_TEST(test_overwrite_race);
	return 0;
}
