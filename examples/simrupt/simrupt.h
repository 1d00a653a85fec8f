/* SPDX-License-Identifier: MIT */
/*
 * simrupt.h - a simulated interrupt and its deferred work, in user space
 *
 * Top half: a POSIX timer sends a signal to a dedicated "irq" thread at a
 * settable rate; the handler puts one byte of a printable pattern into a
 * lock-free ring and calls queue_work().  Bottom half: the work item moves
 * the bytes into a FIFO and wakes readers.  Readers: simrupt_read(), with
 * the semantics of the original character device's read.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef SIMRUPT_H
#define SIMRUPT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <cmwq.h>

#define SIMRUPT_RING_SIZE 4096u
#define SIMRUPT_MAX_RATE 100000u

/* The pattern: byte number i of the stream (counting dropped ones). */
static inline unsigned char simrupt_pattern(unsigned long long i)
{
	return (unsigned char)(' ' + i % 95);
}

/**
 * struct simrupt_config - how to run
 * @rate_hz: interrupts per second, 1..SIMRUPT_MAX_RATE (0: 10, as the
 *	original)
 * @fifo_size: bytes in the FIFO, a power of two (0: 4096)
 * @wq: workqueue for the bottom half; NULL: simrupt allocates "simruptd"
 *	with @wq_flags
 * @wq_flags: WQ_* flags of its own workqueue (0: WQ_UNBOUND, as the
 *	original)
 * @irq_cpu: pin the irq thread to this CPU, or -1
 * @signo: the signal (0: SIGRTMIN + 1)
 * @trace: record the per-stage trace and latencies
 * @trace_out: if not NULL, the tracer prints every byte's path here
 * @bh_delay_us: test hook: the bottom half busy-waits this long first
 */
struct simrupt_config {
	unsigned int rate_hz;
	unsigned int fifo_size;
	struct workqueue_struct *wq;
	unsigned int wq_flags;
	int irq_cpu;
	int signo;
	bool trace;
	FILE *trace_out;
	unsigned int bh_delay_us;
};

/**
 * struct simrupt_stats - counters; at rest
 * produced == dropped + overwritten + delivered + in_ring + in_fifo
 * @produced: interrupts handled (bytes made by the top half)
 * @dropped: bytes the top half could not put (ring full)
 * @moved: bytes the bottom half moved from the ring to the FIFO
 * @overwritten: oldest FIFO bytes dropped to make room
 * @delivered: bytes returned by reads
 * @in_ring: bytes in the ring now
 * @in_fifo: bytes in the FIFO now
 * @queued: queue_work() calls from the handler that returned true
 * @already_pending: queue_work() calls that returned false
 * @bh_runs: bottom-half runs
 * @bh_max_concurrent: most bottom-half instances seen running at once
 * @timer_overruns: timer expirations merged into one signal by the kernel
 * @trace_lost: trace records lost because a trace ring was full
 */
struct simrupt_stats {
	unsigned long long produced;
	unsigned long long dropped;
	unsigned long long moved;
	unsigned long long overwritten;
	unsigned long long delivered;
	unsigned long long in_ring;
	unsigned long long in_fifo;
	unsigned long long queued;
	unsigned long long already_pending;
	unsigned long long bh_runs;
	unsigned long long bh_max_concurrent;
	unsigned long long timer_overruns;
	unsigned long long trace_lost;
};

/* Latency stages. */
enum simrupt_stage {
	SIMRUPT_TOP_TO_BOTTOM, /* handler -> work item moved the byte */
	SIMRUPT_BOTTOM_TO_READER, /* work item -> a read returned it */
	SIMRUPT_TOP_TO_READER, /* handler -> a read returned it */
	SIMRUPT_NR_STAGES,
};

/**
 * struct simrupt_latency - distribution of one stage, nanoseconds
 * (about 3% resolution)
 */
struct simrupt_latency {
	unsigned long long count;
	unsigned long long p50, p90, p99, p999, max;
};

struct simrupt;

/* simrupt_read() flag: return -EAGAIN instead of waiting. */
#define SIMRUPT_NONBLOCK 1

/**
 * simrupt_create - allocate a device
 * @cfg: configuration, or NULL for the defaults
 *
 * Return: the device, or NULL with errno set.
 */
struct simrupt *simrupt_create(const struct simrupt_config *cfg);

/**
 * simrupt_start - start the timer (the interrupts)
 * @s: the device
 *
 * Return: 0 or a negative errno.
 */
int simrupt_start(struct simrupt *s);

/**
 * simrupt_stop - stop the interrupts and flush the bottom half
 * @s: the device
 *
 * On return no handler runs, the ring is empty and the FIFO is closed:
 * readers get what is left, then 0 (end of stream).
 */
void simrupt_stop(struct simrupt *s);

/**
 * simrupt_read - read the stream, as read(2) on the original device
 * @s: the device
 * @buf: where to copy
 * @len: room in @buf
 * @flags: 0 or SIMRUPT_NONBLOCK
 *
 * A blocking read returns at least one byte, or 0 once the device is
 * stopped and drained.  Any number of threads may read at once; each byte
 * goes to one of them.
 *
 * Return: bytes read, 0 at end of stream, -EAGAIN (non-blocking, empty).
 */
ssize_t simrupt_read(struct simrupt *s, void *buf, size_t len, int flags);

/**
 * simrupt_read_pos - simrupt_read() that also says where the bytes were
 * @pos: receives the stream position (bytes accepted by the ring before
 *	these) of the first byte read
 */
ssize_t simrupt_read_pos(struct simrupt *s, void *buf, size_t len, int flags,
			 unsigned int *pos);

/** simrupt_get_stats - read the counters */
void simrupt_get_stats(struct simrupt *s, struct simrupt_stats *st);

/**
 * simrupt_get_latency - one stage's latency distribution
 *
 * Stops the tracer first (after a final drain): call it once the readers
 * are done.
 */
void simrupt_get_latency(struct simrupt *s, enum simrupt_stage stage,
			 struct simrupt_latency *lat);

/** simrupt_report - print counters and latencies (stops the tracer) */
void simrupt_report(struct simrupt *s, FILE *out);

/** simrupt_destroy - stop if running and free everything */
void simrupt_destroy(struct simrupt *s);

#endif /* SIMRUPT_H */
