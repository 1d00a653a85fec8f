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

CMWQ_END_DECLS

#endif /* CMWQ_CONCURRENCY_H */
