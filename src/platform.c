// SPDX-License-Identifier: MIT
/*
 * platform.c - the platform layer: futexes, clocks, threads, diagnostics
 *
 * Everything that talks to Linux directly lives here.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"
#include "elf_sym.h"

#include <dlfcn.h>
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* @deadline_ns as the futex calls take it: NULL for none (0). */
static struct timespec *deadline_timespec(unsigned long long deadline_ns,
					  struct timespec *ts)
{
	if (!deadline_ns)
		return NULL;
	ts->tv_sec = (time_t)(deadline_ns / 1000000000ull);
	ts->tv_nsec = (long)(deadline_ns % 1000000000ull);
	return ts;
}

/* 0 when woken (or the word differed), else the wait's errno value. */
static int futex_wait_op(void *word, unsigned int val,
			 unsigned long long deadline_ns, int private_flag)
{
	struct timespec ts, *tsp = deadline_timespec(deadline_ns, &ts);
	int saved = errno, err = 0;

	/*
	 * FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline, so a
	 * spurious return does not stretch the wait.
	 */
	if (syscall(SYS_futex, word, FUTEX_WAIT_BITSET | private_flag, val, tsp,
		    NULL, FUTEX_BITSET_MATCH_ANY) < 0 &&
	    errno != EAGAIN)
		err = errno;
	errno = saved;
	return err;
}

static void futex_wake_op(void *word, int n, int private_flag)
{
	int saved = errno;

	syscall(SYS_futex, word, FUTEX_WAKE | private_flag, n, NULL, NULL, 0);
	errno = saved;
}

void cmwq_futex_wait(void *word, unsigned int val,
		     unsigned long long deadline_ns)
{
	futex_wait_op(word, val, deadline_ns, FUTEX_PRIVATE_FLAG);
}

int cmwq_futex_wait_interruptible(void *word, unsigned int val,
				  unsigned long long deadline_ns)
{
	/*
	 * A wait with a deadline is never restarted after a signal handler
	 * (the kernel's restart block), SA_RESTART or not; without one it
	 * would be.  A wait without a deadline gets one that never comes,
	 * so that every handler that runs ends the wait with EINTR.
	 */
	const unsigned long long century_ns =
		100ull * 365 * 86400 * 1000000000ull;

	if (!deadline_ns)
		deadline_ns = cmwq_clock_ns() + century_ns;
	if (futex_wait_op(word, val, deadline_ns, FUTEX_PRIVATE_FLAG) == EINTR)
		return -EINTR;
	return 0;
}

void cmwq_futex_wake(void *word, int n)
{
	futex_wake_op(word, n, FUTEX_PRIVATE_FLAG);
}

void cmwq_futex_wait_shared(void *word, unsigned int val,
			    unsigned long long deadline_ns)
{
	futex_wait_op(word, val, deadline_ns, 0);
}

void cmwq_futex_wake_shared(void *word, int n)
{
	futex_wake_op(word, n, 0);
}

int cmwq_futex_wait2(void *word, unsigned int val, void *shared_word,
		     unsigned int shared_val, unsigned long long deadline_ns)
{
#if defined(SYS_futex_waitv) && defined(FUTEX_32)
	struct futex_waitv waiters[2] = {
		{ .val = val,
		  .uaddr = (uint64_t)(uintptr_t)word,
		  .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG },
		{ .val = shared_val,
		  .uaddr = (uint64_t)(uintptr_t)shared_word,
		  .flags = FUTEX_32 },
	};
	struct timespec ts, *tsp = deadline_timespec(deadline_ns, &ts);
	int saved = errno, ret = 0;

	/* An absolute CLOCK_MONOTONIC deadline, as futex_wait_op()'s. */
	if (syscall(SYS_futex_waitv, waiters, 2, 0, tsp, CLOCK_MONOTONIC) < 0 &&
	    (errno == ENOSYS || errno == EPERM || errno == EINVAL))
		ret = -ENOSYS;
	errno = saved;
	return ret;
#else
	(void)word;
	(void)val;
	(void)shared_word;
	(void)shared_val;
	(void)deadline_ns;
	return -ENOSYS;
#endif
}

bool cmwq_futex_wait2_works(void)
{
	/* 0 not asked yet, 1 works, -1 not here.  (A) relaxed: idempotent */
	static atomic_int works;
	int w = atomic_load_explicit(&works, memory_order_relaxed);
	unsigned int a = 1, b = 1;

	if (!w) {
		/* Both words differ from what is expected: returns at once. */
		w = cmwq_futex_wait2(&a, 0, &b, 0, 0) == 0 ? 1 : -1;
		atomic_store_explicit(&works, w, memory_order_relaxed);
	}
	return w > 0;
}

unsigned long long cmwq_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

static void write_all(const char *buf, size_t len)
{
	int saved = errno;

	while (len) {
		ssize_t n = write(STDERR_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf += n;
		len -= (size_t)n;
	}
	errno = saved;
}

void cmwq_warn(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	memcpy(buf, "cmwq: ", 6);
	va_start(ap, fmt);
	n = vsnprintf(buf + 6, sizeof(buf) - 7, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += 6;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(buf, (size_t)n);
}

void cmwq_warn_const2(const char *what, const char *msg)
{
	char buf[256];
	size_t used = 6, len;

	memcpy(buf, "cmwq: ", 6);
	if (what) {
		len = strlen(what);
		if (len > 64)
			len = 64;
		memcpy(buf + used, what, len);
		used += len;
		memcpy(buf + used, ": ", 2);
		used += 2;
	}
	len = strlen(msg);
	if (len > sizeof(buf) - used - 1)
		len = sizeof(buf) - used - 1;
	memcpy(buf + used, msg, len);
	used += len;
	buf[used++] = '\n';
	write_all(buf, used);
}

void cmwq_warn_const(const char *msg)
{
	cmwq_warn_const2(NULL, msg);
}

void cmwq_mutex_init_short(pthread_mutex_t *m)
{
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
	pthread_mutexattr_t attr;

	/*
	 * Without it, two workers of an unbound pool and a queuer, one lock
	 * between them, go to sleep in futex_wait every few hundred items,
	 * and the sleep costs more than the critical section it waits for
	 * (docs/design.md, "What an item costs").
	 */
	if (!pthread_mutexattr_init(&attr)) {
		int err = pthread_mutexattr_settype(&attr,
						    PTHREAD_MUTEX_ADAPTIVE_NP);

		if (!err)
			err = pthread_mutex_init(m, &attr);
		pthread_mutexattr_destroy(&attr);
		if (!err)
			return;
	}
#endif
	pthread_mutex_init(m, NULL);
}

__attribute__((noinline)) int cmwq_thread_start(void *(*fn)(void *), void *arg)
{
	/*
	 * Raised by the faulting instruction itself and delivered to the
	 * thread that executed it: blocking them does not defer them, the
	 * kernel kills the process instead, and the program's handler (a
	 * crash reporter, a guard-page handler) never runs.
	 */
	static const int sync_signals[] = { SIGSEGV, SIGBUS,  SIGFPE,
					    SIGILL,  SIGTRAP, SIGSYS };
	sigset_t async, old;
	pthread_attr_t attr;
	pthread_t thread;
	unsigned int i;
	int ret;

	/*
	 * The library's threads (workers, rescuers, the manager, the
	 * monitor, the observer) never take the program's asynchronous
	 * signals: the new thread inherits a mask with all of them blocked,
	 * and only them.
	 */
	if (cmwq_fault_should_fail(CMWQ_FAULT_THREAD,
				   __builtin_return_address(0)))
		return -EAGAIN;
	sigfillset(&async);
	for (i = 0; i < sizeof(sync_signals) / sizeof(sync_signals[0]); i++)
		sigdelset(&async, sync_signals[i]);
	pthread_sigmask(SIG_SETMASK, &async, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&thread, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -ret;
}

void cmwq_thread_set_name(const char *name)
{
	char buf[16];

	/* Linux keeps 15 characters of a thread's name. */
	snprintf(buf, sizeof(buf), "%s", name);
	prctl(PR_SET_NAME, buf, 0, 0, 0);
}

int cmwq_thread_bind(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int cmwq_thread_bind_mask(const unsigned long *mask)
{
	cpu_set_t set;
	bool any = false;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < CMWQ_MAX_CPUS && cpu < CPU_SETSIZE; cpu++) {
		if (mask[cpu / (8 * sizeof(long))] &
		    (1UL << (cpu % (8 * sizeof(long))))) {
			CPU_SET(cpu, &set);
			any = true;
		}
	}
	if (!any)
		return 0;
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

pid_t cmwq_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

CMWQ_API unsigned long long cmwq_now_ns(void)
{
	return cmwq_clock_ns();
}

CMWQ_API unsigned long cmwq_jiffies(void)
{
	return (unsigned long)(cmwq_clock_ns() / 1000000ull);
}

CMWQ_API int cmwq_current_cpu(void)
{
	int cpu = sched_getcpu();

	return cpu < 0 ? 0 : cpu;
}

const char *cmwq_func_name(void (*func)(struct work_struct *), char *buf,
			   size_t len)
{
	uintptr_t addr = (uintptr_t)func;
	const char *path;
	Dl_info info;

	memset(&info, 0, sizeof(info));
	if (!func || !dladdr((void *)func, &info)) {
		snprintf(buf, len, "%p", (void *)func);
		return buf;
	}
	/* An exported function: dladdr() names it. */
	if (info.dli_sname && info.dli_saddr == (void *)func)
		return info.dli_sname;
	/*
	 * A static function, or one of a program linked without -rdynamic:
	 * dladdr() only knows the nearest exported symbol before it (which
	 * is another function), so read the file's own symbol table.  The
	 * main program's name may be relative: /proc/self/exe is the file.
	 * This maps and scans the file: a few milliseconds at most, on the
	 * rare path of a report, sometimes with a pool lock held.
	 */
	path = info.dli_fname;
	if (!path || path[0] != '/')
		path = "/proc/self/exe";
	if (cmwq_elf_file_func(path, addr - (uintptr_t)info.dli_fbase, addr,
			       buf, len))
		return buf;
	/* Stripped: the address, with the object it is in. */
	snprintf(buf, len, "%p (%s+%#lx)", (void *)func,
		 info.dli_fname && info.dli_fname[0] ? info.dli_fname : "main",
		 (unsigned long)(addr - (uintptr_t)info.dli_fbase));
	return buf;
}
