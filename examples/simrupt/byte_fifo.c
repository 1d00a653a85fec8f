/* SPDX-License-Identifier: MIT */
/*
 * byte_fifo.c - simrupt's kfifo-like byte FIFO with blocking readers
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "byte_fifo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int byte_fifo_init(struct byte_fifo *f, unsigned int size)
{
	if (size < 2 || (size & (size - 1)) != 0 || size > (1u << 30))
		return -EINVAL;
	f->data = malloc(size);
	if (!f->data)
		return -ENOMEM;
	atomic_init(&f->in, 0);
	atomic_init(&f->out, 0);
	atomic_init(&f->waiters, 0);
	f->closed = false;
	f->mask = size - 1;
	f->overwritten = 0;
	f->delivered = 0;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	return 0;
}

void byte_fifo_destroy(struct byte_fifo *f)
{
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	free(f->data);
	f->data = NULL;
}

unsigned int byte_fifo_len(struct byte_fifo *f)
{
	return atomic_load_explicit(&f->in, memory_order_acquire) -
	       atomic_load_explicit(&f->out, memory_order_acquire);
}

/* Copy @n bytes in at stream position @in; the caller owns those slots. */
static void fifo_copy_in(struct byte_fifo *f, unsigned int in,
			 const unsigned char *buf, unsigned int n)
{
	unsigned int off = in & f->mask;
	unsigned int first = f->mask + 1 - off;

	if (first > n)
		first = n;
	memcpy(f->data + off, buf, first);
	memcpy(f->data, buf + first, n - first);
}

static void fifo_copy_out(struct byte_fifo *f, unsigned int out,
			  unsigned char *buf, unsigned int n)
{
	unsigned int off = out & f->mask;
	unsigned int first = f->mask + 1 - off;

	if (first > n)
		first = n;
	memcpy(buf, f->data + off, first);
	memcpy(buf + first, f->data, n - first);
}

/*
 * Wake readers after the producer published a new @in.  Dekker pattern with
 * byte_fifo_read(), made of sequentially consistent operations only (TSan
 * does not model fences): the reader increments @waiters then loads @in, we
 * store @in then load @waiters, all seq_cst, so in their single total order
 * either the reader's load of @in follows our store (it sees the bytes and
 * does not sleep) or our load of @waiters follows its increment (we take
 * @lock, which we get only once the reader is inside pthread_cond_wait() or
 * has not yet re-checked, so the broadcast cannot be lost).  No mutex on the
 * path when nobody waits.
 */
static void byte_fifo_publish(struct byte_fifo *f, unsigned int in,
			      bool locked)
{
	/*
	 * Seq_cst store: a release for the bytes copied before it (partner:
	 * the acquire loads of @in in byte_fifo_read()), and the first half
	 * of the Dekker pair above.
	 */
	atomic_store_explicit(&f->in, in, memory_order_seq_cst);
	/* Seq_cst load: the second half; partner: the seq_cst increment
	 * and load in byte_fifo_read(). */
	if (atomic_load_explicit(&f->waiters, memory_order_seq_cst) == 0)
		return;
	if (!locked)
		pthread_mutex_lock(&f->lock);
	pthread_cond_broadcast(&f->cond);
	if (!locked)
		pthread_mutex_unlock(&f->lock);
}

unsigned int byte_fifo_push(struct byte_fifo *f, const void *buf,
			    unsigned int n)
{
	const unsigned char *p = buf;
	unsigned int size = f->mask + 1;
	/* Relaxed: @in is written only by us, the producer. */
	unsigned int in = atomic_load_explicit(&f->in, memory_order_relaxed);
	unsigned int new_in = in + n;
	/*
	 * Acquire: pairs with the release store of @out in byte_fifo_read().
	 * Slots below the @out we see are no longer being read, so we may
	 * write over them.
	 */
	unsigned int out = atomic_load_explicit(&f->out, memory_order_acquire);
	unsigned int skip, from;

	if (new_in - out <= size) {
		/* Room for all: the lock-free path, as kfifo_in(). */
		fifo_copy_in(f, in, p, n);
		byte_fifo_publish(f, new_in, false);
		return 0;
	}
	/*
	 * Full: the oldest bytes go.  Moving @out is a consumer's act, so it
	 * happens under the consumers' lock, and we keep the lock until the
	 * new @in is published so that no reader ever sees @out ahead of
	 * @in (which happens when @n alone exceeds the FIFO).  A reader that
	 * held the lock before us has published its @out and finished its
	 * copy; we re-read @out under the lock.
	 */
	pthread_mutex_lock(&f->lock);
	out = atomic_load_explicit(&f->out, memory_order_relaxed);
	skip = 0;
	if (new_in - out > size) {
		skip = new_in - size - out;
		/*
		 * Relaxed: readers read @out only under @lock, which we hold
		 * until the matching @in is published below.
		 */
		atomic_store_explicit(&f->out, new_in - size,
				      memory_order_relaxed);
		f->overwritten += skip;
	}
	/* Bytes of @buf older than the new @out are overwritten at once. */
	from = new_in - in > size ? new_in - size : in;
	fifo_copy_in(f, from, p + (from - in), new_in - from);
	byte_fifo_publish(f, new_in, true);
	pthread_mutex_unlock(&f->lock);
	return skip;
}

ssize_t byte_fifo_read(struct byte_fifo *f, void *buf, size_t len,
		       bool nonblock, byte_fifo_read_fn cb, void *arg)
{
	unsigned int in, out, n;

	if (len == 0)
		return 0;
	pthread_mutex_lock(&f->lock);
	for (;;) {
		/*
		 * Acquire: pairs with the release store of @in in
		 * byte_fifo_push(): the bytes below @in are written.
		 */
		in = atomic_load_explicit(&f->in, memory_order_acquire);
		/* Relaxed: @out changes only under @lock, which we hold. */
		out = atomic_load_explicit(&f->out, memory_order_relaxed);
		if (in != out || f->closed || nonblock)
			break;
		/*
		 * Seq_cst increment then seq_cst load of @in: our half of
		 * the Dekker pair; partner: the seq_cst store of @in and
		 * load of @waiters in byte_fifo_publish().
		 */
		atomic_fetch_add_explicit(&f->waiters, 1,
					  memory_order_seq_cst);
		in = atomic_load_explicit(&f->in, memory_order_seq_cst);
		if (in == out && !f->closed)
			pthread_cond_wait(&f->cond, &f->lock);
		atomic_fetch_sub_explicit(&f->waiters, 1,
					  memory_order_relaxed);
	}
	if (in == out) {
		/* @closed is read under @lock, before we drop it. */
		ssize_t ret = f->closed ? 0 : -EAGAIN;

		pthread_mutex_unlock(&f->lock);
		return ret;
	}
	n = in - out;
	if (n > len)
		n = (unsigned int)len;
	fifo_copy_out(f, out, buf, n);
	/*
	 * Release: our copy of the slots completes before the producer sees
	 * them free; partner: the acquire load of @out in byte_fifo_push().
	 */
	atomic_store_explicit(&f->out, out + n, memory_order_release);
	f->delivered += n;
	if (cb)
		cb(arg, out, n);
	pthread_mutex_unlock(&f->lock);
	return n;
}

void byte_fifo_close(struct byte_fifo *f)
{
	pthread_mutex_lock(&f->lock);
	f->closed = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}
