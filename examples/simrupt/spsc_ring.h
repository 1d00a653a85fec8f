/* SPDX-License-Identifier: MIT */
/*
 * spsc_ring.h - a single-producer/single-consumer lock-free ring
 *
 * The ring between simrupt's top half (a signal handler) and its bottom half
 * (a work item), and the rings that carry trace records from the handler to
 * the printing thread.  Elements have a fixed size set at init; the capacity
 * is a power of two.  Put and get take no lock, allocate nothing and make no
 * system call: both are async-signal-safe.
 *
 * Protocol.  @head counts elements ever put and is written only by the
 * producer; @tail counts elements ever taken and is written only by the
 * consumer.  Both run freely and wrap at 2^32; head - tail is the fill level
 * and never exceeds the capacity.  A slot is owned by the producer while
 * head - tail < capacity says it is free, and by the consumer from the
 * moment the head that covers it is published until the consumer publishes
 * a tail past it.  The two release/acquire pairs below hand a slot over in
 * each direction.
 *
 * Each side keeps a private copy of the other's index (@tail_cache,
 * @head_cache) so that it reads the shared line only when the copy says the
 * ring is full (producer) or empty (consumer).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef SIMRUPT_SPSC_RING_H
#define SIMRUPT_SPSC_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A lock-free atomic is what makes the ring usable from a signal handler. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic int must be lock-free");

#define SPSC_CACHELINE 64

/**
 * struct spsc_ring - the ring
 * @head: elements ever put; written by the producer only (release), read
 *	by the consumer (acquire)
 * @tail_cache: the producer's last view of @tail; producer-private
 * @tail: elements ever taken; written by the consumer only (release), read
 *	by the producer (acquire)
 * @head_cache: the consumer's last view of @head; consumer-private
 * @mask: capacity - 1; constant after init
 * @esize: size of an element in bytes; constant after init
 * @data: capacity * @esize bytes; a slot belongs to one side at a time, as
 *	the protocol in the file comment says
 *
 * Producer and consumer fields sit on different cache lines so that the two
 * sides do not bounce one line between their CPUs.
 */
struct spsc_ring {
	_Alignas(SPSC_CACHELINE) _Atomic unsigned int head;
	unsigned int tail_cache;
	_Alignas(SPSC_CACHELINE) _Atomic unsigned int tail;
	unsigned int head_cache;
	_Alignas(SPSC_CACHELINE) unsigned int mask;
	unsigned int esize;
	unsigned char *data;
};

/**
 * spsc_ring_init - set up a ring over caller-provided storage
 * @r: the ring
 * @data: capacity * @esize bytes
 * @capacity: number of elements, a power of two (at most 2^31)
 * @esize: bytes per element
 *
 * Return: 0, or -1 if @capacity is not a power of two.
 */
static inline int spsc_ring_init(struct spsc_ring *r, void *data,
				 unsigned int capacity, unsigned int esize)
{
	if (capacity == 0 || (capacity & (capacity - 1)) != 0 ||
	    capacity > (1u << 31))
		return -1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->tail_cache = 0;
	r->head_cache = 0;
	r->mask = capacity - 1;
	r->esize = esize;
	r->data = data;
	return 0;
}

static inline unsigned int spsc_ring_capacity(const struct spsc_ring *r)
{
	return r->mask + 1;
}

/* Copy one element; a byte ring (simrupt's) takes the one-store path. */
static inline void spsc_copy(void *dst, const void *src, unsigned int esize)
{
	if (esize == 1)
		*(unsigned char *)dst = *(const unsigned char *)src;
	else
		memcpy(dst, src, esize);
}

/**
 * spsc_ring_full - would a put fail now?  Producer side only.
 * @r: the ring
 *
 * Exact for the producer: only the consumer can make room, and that only
 * turns "full" into "not full".
 */
static inline bool spsc_ring_full(struct spsc_ring *r)
{
	unsigned int head = atomic_load_explicit(&r->head,
						 memory_order_relaxed);

	if (head - r->tail_cache <= r->mask)
		return false;
	/*
	 * Acquire: pairs with the release store of @tail in
	 * spsc_ring_get()/spsc_ring_get_bulk().  Once we see the consumer's
	 * new tail, its reads of the slots below it are complete, so our
	 * next writes into those slots cannot overtake them.
	 */
	r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
	return head - r->tail_cache > r->mask;
}

/**
 * spsc_ring_put - add one element; producer side only
 * @r: the ring
 * @e: the element (@r->esize bytes)
 *
 * Async-signal-safe, wait-free.
 *
 * Return: true if added, false if the ring was full (nothing changed).
 */
static inline bool spsc_ring_put(struct spsc_ring *r, const void *e)
{
	/* Relaxed: @head is written only by us, the producer. */
	unsigned int head = atomic_load_explicit(&r->head,
						 memory_order_relaxed);

	if (spsc_ring_full(r))
		return false;
	spsc_copy(r->data + (size_t)(head & r->mask) * r->esize, e, r->esize);
	/*
	 * Release: orders the element store above before the new head.
	 * Pairs with the acquire load of @head in spsc_ring_get() and
	 * spsc_ring_get_bulk(): a consumer that sees head + 1 sees the
	 * element.
	 */
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

/*
 * Elements the consumer may take now; refreshes @head_cache only when the
 * cached view says empty.
 */
static inline unsigned int spsc_ring_avail(struct spsc_ring *r,
					   unsigned int tail)
{
	if (r->head_cache == tail) {
		/*
		 * Acquire: pairs with the release store of @head in
		 * spsc_ring_put().  Every element below the head we read
		 * here is fully written.
		 */
		r->head_cache = atomic_load_explicit(&r->head,
						     memory_order_acquire);
	}
	return r->head_cache - tail;
}

/**
 * spsc_ring_get - take one element; consumer side only
 * @r: the ring
 * @e: where to copy the element
 *
 * Return: true if an element was taken, false if the ring was empty.
 */
static inline bool spsc_ring_get(struct spsc_ring *r, void *e)
{
	/* Relaxed: @tail is written only by us, the consumer. */
	unsigned int tail = atomic_load_explicit(&r->tail,
						 memory_order_relaxed);

	if (spsc_ring_avail(r, tail) == 0)
		return false;
	spsc_copy(e, r->data + (size_t)(tail & r->mask) * r->esize, r->esize);
	/*
	 * Release: orders our read of the slot before the new tail.  Pairs
	 * with the acquire load of @tail in spsc_ring_full(): the producer
	 * reuses the slot only after it sees this tail.
	 */
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return true;
}

/**
 * spsc_ring_get_bulk - take up to @max elements; consumer side only
 * @r: the ring
 * @buf: room for @max elements
 * @max: most elements to take
 * @pos: if not NULL, receives the tail (stream position) of the first one
 *
 * Return: the number of elements taken (0 when empty).
 */
static inline unsigned int spsc_ring_get_bulk(struct spsc_ring *r, void *buf,
					      unsigned int max,
					      unsigned int *pos)
{
	unsigned int tail = atomic_load_explicit(&r->tail,
						 memory_order_relaxed);
	unsigned int n = spsc_ring_avail(r, tail);
	unsigned int off, first;

	if (n > max)
		n = max;
	if (pos)
		*pos = tail;
	if (n == 0)
		return 0;
	off = tail & r->mask;
	first = r->mask + 1 - off;
	if (first > n)
		first = n;
	memcpy(buf, r->data + (size_t)off * r->esize, (size_t)first * r->esize);
	memcpy((unsigned char *)buf + (size_t)first * r->esize, r->data,
	       (size_t)(n - first) * r->esize);
	/*
	 * Release: as in spsc_ring_get(), the slot reads above complete
	 * before the producer can see them free (its partner is the acquire
	 * in spsc_ring_full()).
	 */
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

/**
 * spsc_ring_count - fill level as seen by anyone; exact only when both
 * sides are quiescent
 * @r: the ring
 */
static inline unsigned int spsc_ring_count(struct spsc_ring *r)
{
	return atomic_load_explicit(&r->head, memory_order_acquire) -
	       atomic_load_explicit(&r->tail, memory_order_acquire);
}

#endif /* SIMRUPT_SPSC_RING_H */
