/* SPDX-License-Identifier: MIT */
/*
 * byte_fifo.h - simrupt's kfifo-like byte FIFO with blocking readers
 *
 * One producer (simrupt's bottom half; the work item never runs twice at
 * once) and any number of readers.  The readers serialise among themselves
 * on @lock, the consumers' lock, so the FIFO sees one consumer at a time and
 * the producer's normal path is lock-free, as kfifo is with one reader and
 * one writer.
 *
 * When the FIFO is full the producer overwrites the oldest bytes.  Dropping
 * the oldest bytes moves @out, which makes the producer a consumer: it does
 * so only while holding @lock, so it never races a reader copying the same
 * bytes out (the race of the original simrupt, where the work item skipped
 * kfifo entries without the reader's lock).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef SIMRUPT_BYTE_FIFO_H
#define SIMRUPT_BYTE_FIFO_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/**
 * typedef byte_fifo_read_fn - called by a read, under @lock, after the copy
 * @arg: the reader's argument
 * @pos: stream position of the first byte read
 * @n: bytes read (at least 1)
 */
typedef void (*byte_fifo_read_fn)(void *arg, unsigned int pos, unsigned int n);

/**
 * struct byte_fifo - the FIFO
 * @in: bytes ever put; written by the producer only (release), read by
 *	consumers (acquire)
 * @out: bytes ever removed (read or overwritten); written only under @lock
 *	(release), read by the producer (acquire) and under @lock
 * @waiters: readers blocked or about to block on @cond; changed under @lock,
 *	read by the producer without it (see byte_fifo_publish())
 * @closed: set once by byte_fifo_close(); read and written under @lock
 * @mask: size - 1; constant
 * @data: the bytes; slot ownership follows @in/@out as in spsc_ring.h
 * @lock: the consumers' lock: readers, and the producer when it overwrites
 * @cond: readers wait here for data or close; signalled under @lock
 * @overwritten: bytes dropped from the old end; written under @lock
 * @delivered: bytes returned by reads; written under @lock
 */
struct byte_fifo {
	_Atomic unsigned int in;
	_Atomic unsigned int out;
	_Atomic int waiters;
	bool closed;
	unsigned int mask;
	unsigned char *data;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long long overwritten;
	unsigned long long delivered;
};

/**
 * byte_fifo_init - allocate a FIFO
 * @f: the FIFO
 * @size: bytes, a power of two
 *
 * Return: 0, -EINVAL for a bad size, -ENOMEM.
 */
int byte_fifo_init(struct byte_fifo *f, unsigned int size);

/** byte_fifo_destroy - free a FIFO no thread uses any more */
void byte_fifo_destroy(struct byte_fifo *f);

/**
 * byte_fifo_push - add bytes, overwriting the oldest when full; producer
 * only
 * @f: the FIFO
 * @buf: the bytes
 * @n: how many
 *
 * Wakes blocked readers.
 *
 * Return: the number of old bytes overwritten to make room.
 */
unsigned int byte_fifo_push(struct byte_fifo *f, const void *buf,
			    unsigned int n);

/**
 * byte_fifo_read - the character device's read
 * @f: the FIFO
 * @buf: where to copy
 * @len: room in @buf
 * @nonblock: return -EAGAIN instead of waiting when empty
 * @cb: called under the consumers' lock with the stream position read, or
 *	NULL
 * @arg: for @cb
 *
 * A blocking read returns at least one byte, or 0 once the FIFO is closed
 * and empty.  Concurrent readers get disjoint bytes.
 *
 * Return: bytes read, 0 at end of stream, -EAGAIN.
 */
ssize_t byte_fifo_read(struct byte_fifo *f, void *buf, size_t len,
		       bool nonblock, byte_fifo_read_fn cb, void *arg);

/** byte_fifo_close - end of stream: wake every reader, reads of an empty
 * FIFO return 0 from now on */
void byte_fifo_close(struct byte_fifo *f);

/** byte_fifo_len - bytes in the FIFO (a snapshot) */
unsigned int byte_fifo_len(struct byte_fifo *f);

#endif /* SIMRUPT_BYTE_FIFO_H */
