/* SPDX-License-Identifier: MIT */
/*
 * cmwq/concurrency.h - telling the pool that a worker sleeps
 *
 * A bound pool keeps one worker running.  When that worker blocks, the pool
 * must start another item or the CPU idles.  Code that is about to block in
 * a work function can say so; the library's own waits (flush, cancel_sync,
 * completions) already do.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_CONCURRENCY_H
#define CMWQ_CONCURRENCY_H

#include <cmwq/compiler.h>

CMWQ_BEGIN_DECLS

/**
 * cmwq_worker_sleeping - the calling worker is about to block
 *
 * The pool stops counting the caller as running and, if work is waiting,
 * wakes or creates another worker.  A no-op outside a worker.  Calls nest
 * with cmwq_worker_running(): only the outermost pair counts.
 */
CMWQ_API void cmwq_worker_sleeping(void);

/**
 * cmwq_worker_running - the calling worker runs again
 *
 * Undoes cmwq_worker_sleeping().  A no-op outside a worker.
 */
CMWQ_API void cmwq_worker_running(void);

/**
 * cmwq_current_is_worker - is the caller a cmwq worker (or rescuer)?
 */
CMWQ_API bool cmwq_current_is_worker(void);

/* How blocked workers are found without annotations. */
enum {
	CMWQ_DETECT_OFF = 0, /* only the hooks above */
	CMWQ_DETECT_PERF = 1, /* perf context-switch records, no syscall */
	CMWQ_DETECT_PROC = 2, /* /proc/self/task/TID/stat */
	CMWQ_DETECT_FORCED = 0x100, /* internal */
};

/**
 * cmwq_detect_mode - the detection layer in use
 *
 * Chosen with the environment variable CMWQ_DETECT=auto|perf|proc|off
 * (auto, the default: perf where perf_event_open is allowed, else proc).
 *
 * Return: CMWQ_DETECT_PERF, CMWQ_DETECT_PROC or CMWQ_DETECT_OFF.
 */
CMWQ_API int cmwq_detect_mode(void);

/**
 * cmwq_set_cpu_intensive_thresh_us - CPU time after which an item stops
 * counting for concurrency management
 * @us: microseconds of CPU time in one item without sleeping (default
 *	10000); also CMWQ_CPU_INTENSIVE_THRESH_US
 *
 * An item past it no longer holds up its pool: the next item starts.  The
 * event is counted (cpu_intensive) and the function is reported on stderr
 * at its 4th, 8th, 16th... time.
 */
CMWQ_API void cmwq_set_cpu_intensive_thresh_us(unsigned int us);

CMWQ_END_DECLS

#endif /* CMWQ_CONCURRENCY_H */
