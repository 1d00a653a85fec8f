/* SPDX-License-Identifier: MIT */
/*
 * platform.h - the platform layer: futexes, clocks, threads, diagnostics
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_PLATFORM_H
#define CMWQ_PLATFORM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

/* Wait while *@word == @val, at most until @deadline_ns (0: no deadline). */
void cmwq_futex_wait(void *word, unsigned int val,
		     unsigned long long deadline_ns);
/*
 * The same, ended by a signal handler that runs on this thread: -EINTR
 * then, else 0 (woken, the word differed, or the deadline passed).
 */
int cmwq_futex_wait_interruptible(void *word, unsigned int val,
				  unsigned long long deadline_ns);
/* Wake up to @n waiters of @word; async-signal-safe. */
void cmwq_futex_wake(void *word, int n);
/* The same on a word in memory shared with other processes. */
void cmwq_futex_wait_shared(void *word, unsigned int val,
			    unsigned long long deadline_ns);
void cmwq_futex_wake_shared(void *word, int n);

/*
 * Wait while *@word == @val (a private word) and *@shared_word ==
 * @shared_val (a word shared with other processes), at most until
 * @deadline_ns (0: none), with futex_waitv (Linux 5.16+): 0 when woken, a
 * word differed or the deadline passed; -ENOSYS where there is no
 * futex_waitv (the kernel, a seccomp filter, or the headers built with).
 */
int cmwq_futex_wait2(void *word, unsigned int val, void *shared_word,
		     unsigned int shared_val, unsigned long long deadline_ns);
/* Does cmwq_futex_wait2() work here?  Asked once, then remembered. */
bool cmwq_futex_wait2_works(void);

unsigned long long cmwq_clock_ns(void);

/*
 * Diagnostics: "cmwq: " + message on stderr, written with one write(2).
 * cmwq_warn formats with vsnprintf (not for signal handlers);
 * cmwq_warn_const writes a constant string and is async-signal-safe.
 */
void cmwq_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmwq_warn_const(const char *msg);

struct work_struct;
/*
 * The name of @func for a diagnostic: dladdr() for an exported function,
 * else the .symtab of the file it is in (static functions), else its
 * address and file, in @buf.  Not for signal handlers.
 */
const char *cmwq_func_name(void (*func)(struct work_struct *), char *buf,
			   size_t len);
/* "cmwq: @what: @msg"; async-signal-safe. */
void cmwq_warn_const2(const char *what, const char *msg);

/*
 * Initialise @m for a lock held a few hundred nanoseconds at a time by
 * threads on several CPUs (a pool's lock): a waiter spins a while before it
 * sleeps in the kernel, where the C library can (glibc's adaptive mutex),
 * as the kernel's raw spinlock never sleeps.  A plain mutex elsewhere.
 */
void cmwq_mutex_init_short(pthread_mutex_t *m);

/*
 * Start a detached thread with every asynchronous signal blocked (the
 * synchronous ones, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP and SIGSYS,
 * stay deliverable); 0 or -errno.
 */
int cmwq_thread_start(void *(*fn)(void *), void *arg);

void cmwq_thread_set_name(const char *name);
int cmwq_thread_bind(int cpu);
int cmwq_thread_bind_mask(const unsigned long *mask);
pid_t cmwq_gettid(void);

#endif /* CMWQ_PLATFORM_H */
