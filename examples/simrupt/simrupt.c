/* SPDX-License-Identifier: MIT */
/*
 * simrupt.c - a simulated interrupt and its deferred work, in user space
 *
 * Contexts, as in the kernel original:
 *   top half      signal handler on the irq thread (async-signal context):
 *                 only lock-free atomics, the ring, queue_work()
 *   bottom half   the work item on a cmwq worker: ring -> FIFO, wakes
 *                 readers
 *   readers       any thread: simrupt_read()
 *   tracer        a normal thread: drains the trace rings, prints, keeps
 *                 the latency histograms
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "simrupt.h"
#include "byte_fifo.h"
#include "spsc_ring.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#define TRACE_TOP_SLOTS 8192u
#define TRACE_SLOTS 4096u
#define HIST_BUCKETS (64 + 58 * 32)

/* A trace record: bytes [pos, pos + n) passed a stage at @t_ns. */
struct trace_rec {
	unsigned long long t_ns;
	unsigned int pos;
	unsigned int n;
	int cpu;
	int tid;
};

/* What the tracer remembers of one position at one stage. */
struct stage_seen {
	unsigned long long t_ns;
	unsigned int pos; /* ~0u: nothing */
	int cpu;
	int tid;
};

/* Log-linear histogram of nanoseconds: 32 sub-buckets per power of two. */
struct hist {
	unsigned long long count;
	unsigned long long max;
	unsigned long long b[HIST_BUCKETS];
};

/**
 * struct simrupt - the device
 * @cfg: configuration; constant after create
 * @ring: top half (producer) -> bottom half (consumer); see spsc_ring.h
 * @ring_data: its bytes
 * @fifo: bottom half (producer) -> readers; see byte_fifo.h
 * @bh: the bottom half; queued by the handler, flushed by stop
 * @wq: the workqueue @bh goes to
 * @own_wq: @wq was allocated here
 * @seq: bytes produced; written by the handler only (never reentered: the
 *	signal is blocked while its handler runs and goes to one thread),
 *	read by others after the irq thread is joined or for stats (relaxed)
 * @dropped, @queued, @already_pending, @overruns, @trace_lost: counters,
 *	relaxed atomics (lock-free, so usable from the handler)
 * @bh_active: bottom-half instances running now; @bh_max: its maximum;
 *	@bh_runs: runs; @moved: bytes moved (relaxed atomics)
 * @top_trace: T records; producer: the handler
 * @bh_trace: B records; producer: the bottom half (one instance at a time,
 *	successive instances ordered by the workqueue's non-reentrancy)
 * @rd_trace: R records; producer: readers, under the FIFO's lock
 * @irq_thread, @irq_tid, @timer: the top half's thread and timer; set up
 *	by start, used by stop, both called by the owner thread
 * @irq_stop: asks the irq thread to exit (seq_cst atomic)
 * @irq_ready: the irq thread says its timer is armed (or failed)
 * @irq_err: its error; written before @irq_ready is completed
 * @running: between start and stop; owner thread only
 * @tracer, @tracer_stop, @tracer_on: the tracer thread, started by
 *	create; @tracer_on is constant after create, @tracer_stop an atomic
 * @tracer_wake: completed to end the tracer's wait early
 * @window_mask: positions remembered - 1, a power of two - 1 covering
 *	everything a byte can wait behind (ring + FIFO); constant
 * @top_seen, @bh_seen, @hist: tracer-private (tracer thread, then the owner
 *	after joining it)
 */
struct simrupt {
	struct simrupt_config cfg;
	struct spsc_ring ring;
	unsigned char ring_data[SIMRUPT_RING_SIZE];
	struct byte_fifo fifo;
	struct work_struct bh;
	struct workqueue_struct *wq;
	bool own_wq;

	_Atomic unsigned long long seq;
	_Atomic unsigned long long dropped;
	_Atomic unsigned long long queued;
	_Atomic unsigned long long already_pending;
	_Atomic unsigned long long overruns;
	_Atomic unsigned long long trace_lost;
	_Atomic unsigned long long bh_runs;
	_Atomic unsigned long long moved;
	_Atomic int bh_active;
	_Atomic int bh_max;

	struct spsc_ring top_trace;
	struct spsc_ring bh_trace;
	struct spsc_ring rd_trace;
	struct trace_rec *trace_mem;

	pthread_t irq_thread;
	pid_t irq_tid;
	timer_t timer;
	_Atomic int irq_stop;
	struct completion irq_ready;
	int irq_err;
	bool running;

	pthread_t tracer;
	_Atomic int tracer_stop;
	struct completion tracer_wake;
	bool tracer_on;
	struct stage_seen *top_seen, *bh_seen;
	unsigned int window_mask;
	struct hist hist[SIMRUPT_NR_STAGES];
};

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2,
	       "the handler's counters must be lock-free");

/* The handler is installed once for all devices using a signal. */
static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
static int handler_users[_NSIG];	/* under handler_lock */
static struct sigaction handler_saved[_NSIG]; /* under handler_lock */

static void stat_max(_Atomic int *max, int v)
{
	int m = atomic_load_explicit(max, memory_order_relaxed);

	while (v > m && !atomic_compare_exchange_weak_explicit(
				max, &m, v, memory_order_relaxed,
				memory_order_relaxed)) {
	}
}

static void trace_put(struct simrupt *s, struct spsc_ring *r,
		      const struct trace_rec *rec)
{
	if (!spsc_ring_put(r, rec))
		atomic_fetch_add_explicit(&s->trace_lost, 1,
					  memory_order_relaxed);
}

/*
 * The top half.  Async-signal context: no malloc, stdio, mutex or condvar;
 * lock-free atomics, the SPSC ring (we are its only producer) and
 * queue_work(), documented async-signal-safe.
 */
static void simrupt_top_half(int signo, siginfo_t *si, void *uctx)
{
	int saved_errno = errno;
	struct simrupt *s;
	unsigned long long seq;
	unsigned int burst, i;
	unsigned char byte;

	(void)signo;
	(void)uctx;
	/* The wake-up from simrupt_stop() (tgkill) is not an interrupt. */
	if (si->si_code != SI_TIMER)
		goto out;
	s = si->si_value.sival_ptr;
	/*
	 * The kernel merges expirations while our signal is pending and
	 * reports them as overruns.  Each expiration is one interrupt, one
	 * byte: we make up for the merged ones here, so that the byte rate
	 * is the timer's rate even when signal delivery cannot keep up.
	 */
	burst = 1;
	if (si->si_overrun > 0) {
		burst += (unsigned int)si->si_overrun;
		atomic_fetch_add_explicit(&s->overruns,
					  (unsigned long long)si->si_overrun,
					  memory_order_relaxed);
	}
	/* Relaxed: only this handler writes @seq (see struct simrupt). */
	seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
	for (i = 0; i < burst; i++) {
		if (spsc_ring_full(&s->ring)) {
			/* The consumer is behind: drop the rest of the
			 * burst rather than loop in the handler. */
			atomic_fetch_add_explicit(&s->dropped, burst - i,
						  memory_order_relaxed);
			break;
		}
		byte = simrupt_pattern(seq + i);
		if (s->tracer_on) {
			struct trace_rec rec = {
				.t_ns = cmwq_now_ns(),
				/* Relaxed: we are the ring's producer. */
				.pos = atomic_load_explicit(
					&s->ring.head, memory_order_relaxed),
				.n = 1,
				.cpu = cmwq_current_cpu(),
				.tid = gettid(),
			};

			/*
			 * Before the byte: the bottom half's record of
			 * this position is made after it took the byte,
			 * so the tracer always finds T before B.
			 */
			trace_put(s, &s->top_trace, &rec);
		}
		spsc_ring_put(&s->ring, &byte);
	}
	atomic_store_explicit(&s->seq, seq + burst, memory_order_relaxed);
	/*
	 * False when the bottom half is still pending: the instance that
	 * is queued will see our byte (stores before queue_work() are
	 * visible to the work function, DESIGN.md property 3).
	 */
	if (queue_work(s->wq, &s->bh))
		atomic_fetch_add_explicit(&s->queued, 1, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&s->already_pending, 1,
					  memory_order_relaxed);
out:
	errno = saved_errno;
}

/* The bottom half: ring -> FIFO, then readers are woken by the FIFO. */
static void simrupt_bottom_half(struct work_struct *work)
{
	struct simrupt *s = container_of(work, struct simrupt, bh);
	unsigned char buf[512];
	unsigned int pos, n;
	int active;

	active = atomic_fetch_add_explicit(&s->bh_active, 1,
					   memory_order_relaxed) + 1;
	stat_max(&s->bh_max, active);
	atomic_fetch_add_explicit(&s->bh_runs, 1, memory_order_relaxed);
	if (s->cfg.bh_delay_us) {
		unsigned long long end = cmwq_now_ns() +
					 s->cfg.bh_delay_us * 1000ull;

		while (cmwq_now_ns() < end) {
		}
	}
	while ((n = spsc_ring_get_bulk(&s->ring, buf, sizeof(buf), &pos))) {
		if (s->tracer_on) {
			struct trace_rec rec = {
				.t_ns = cmwq_now_ns(),
				.pos = pos,
				.n = n,
				.cpu = cmwq_current_cpu(),
				.tid = gettid(),
			};

			/* Before the FIFO push: a reader's record of these
			 * bytes comes after ours. */
			trace_put(s, &s->bh_trace, &rec);
		}
		atomic_fetch_add_explicit(&s->moved, n, memory_order_relaxed);
		/* FIFO position == ring position: every byte goes on. */
		byte_fifo_push(&s->fifo, buf, n);
	}
	atomic_fetch_sub_explicit(&s->bh_active, 1, memory_order_relaxed);
}

/* ---- tracer ---- */

static unsigned int hist_index(unsigned long long v)
{
	unsigned int msb, shift;

	if (v < 64)
		return (unsigned int)v;
	msb = 63 - (unsigned int)__builtin_clzll(v);
	shift = msb - 5;
	return 64 + (shift - 1) * 32 + (unsigned int)((v >> shift) - 32);
}

static unsigned long long hist_value(unsigned int i)
{
	unsigned int shift;

	if (i < 64)
		return i;
	shift = (i - 64) / 32 + 1;
	/* The middle of the bucket. */
	return ((32ull + (i - 64) % 32) << shift) + (1ull << shift) / 2;
}

static void hist_add(struct hist *h, unsigned long long v)
{
	unsigned int i = hist_index(v);

	if (i >= HIST_BUCKETS)
		i = HIST_BUCKETS - 1;
	h->b[i]++;
	h->count++;
	if (v > h->max)
		h->max = v;
}

static unsigned long long hist_pct(const struct hist *h, double p)
{
	unsigned long long want, acc = 0;
	unsigned int i;

	if (!h->count)
		return 0;
	want = (unsigned long long)(p * (double)h->count);
	if (want >= h->count)
		want = h->count - 1;
	for (i = 0; i < HIST_BUCKETS; i++) {
		acc += h->b[i];
		if (acc > want)
			return hist_value(i) < h->max ? hist_value(i) : h->max;
	}
	return h->max;
}

static void seen_range(struct stage_seen *tab, unsigned int mask,
		       const struct trace_rec *r)
{
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		struct stage_seen *e = &tab[(r->pos + i) & mask];

		e->t_ns = r->t_ns;
		e->pos = r->pos + i;
		e->cpu = r->cpu;
		e->tid = r->tid;
	}
}

static void tracer_reader_rec(struct simrupt *s, const struct trace_rec *r)
{
	FILE *out = s->cfg.trace_out;
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		unsigned int p = r->pos + i;
		struct stage_seen *t = &s->top_seen[p & s->window_mask];
		struct stage_seen *b = &s->bh_seen[p & s->window_mask];
		bool ht = t->pos == p, hb = b->pos == p;

		if (ht && hb) {
			hist_add(&s->hist[SIMRUPT_TOP_TO_BOTTOM],
				 b->t_ns - t->t_ns);
		}
		if (hb)
			hist_add(&s->hist[SIMRUPT_BOTTOM_TO_READER],
				 r->t_ns - b->t_ns);
		if (ht)
			hist_add(&s->hist[SIMRUPT_TOP_TO_READER],
				 r->t_ns - t->t_ns);
		if (out && i == 0 && ht && hb)
			fprintf(out,
				"simrupt: pos %u: top half cpu %d tid %d "
				"-> bottom half cpu %d tid %d +%.1f us "
				"-> reader cpu %d tid %d +%.1f us (%u bytes)\n",
				p, t->cpu, t->tid, b->cpu, b->tid,
				(b->t_ns - t->t_ns) / 1e3, r->cpu, r->tid,
				(r->t_ns - b->t_ns) / 1e3, r->n);
	}
}

/*
 * One pass.  Order matters: the R records are taken first; every T and B
 * record of their bytes was put before (handler: T before the byte; bottom
 * half: B before the FIFO push; reader: R after the FIFO read), and the
 * acquire loads in the rings carry that order to us, so draining B and T
 * after R finds them all.
 */
static void tracer_pass(struct simrupt *s)
{
	struct trace_rec rd[256], rec;
	unsigned int n, i;

	do {
		n = spsc_ring_get_bulk(&s->rd_trace, rd, 256, NULL);
		while (spsc_ring_get(&s->bh_trace, &rec))
			seen_range(s->bh_seen, s->window_mask, &rec);
		while (spsc_ring_get(&s->top_trace, &rec))
			seen_range(s->top_seen, s->window_mask, &rec);
		for (i = 0; i < n; i++)
			tracer_reader_rec(s, &rd[i]);
	} while (n == 256);
}

static void *tracer_main(void *arg)
{
	struct simrupt *s = arg;

	while (!atomic_load(&s->tracer_stop)) {
		tracer_pass(s);
		/* A pass a millisecond; tracer_finish() cuts the wait. */
		cmwq_wait_for_completion_timeout_ns(&s->tracer_wake, 1000000);
	}
	tracer_pass(s);
	return NULL;
}

static void tracer_finish(struct simrupt *s)
{
	if (!s->tracer_on || atomic_load(&s->tracer_stop))
		return;
	atomic_store(&s->tracer_stop, 1);
	complete(&s->tracer_wake);
	pthread_join(s->tracer, NULL);
}

/* Runs under the FIFO's lock: one reader at a time is the R producer. */
static void simrupt_on_read(void *arg, unsigned int pos, unsigned int n)
{
	struct simrupt *s = arg;
	struct trace_rec rec = {
		.t_ns = cmwq_now_ns(),
		.pos = pos,
		.n = n,
		.cpu = cmwq_current_cpu(),
		.tid = gettid(),
	};

	trace_put(s, &s->rd_trace, &rec);
}

static void simrupt_note_pos(void *arg, unsigned int pos, unsigned int n)
{
	void **a = arg;

	*(unsigned int *)a[1] = pos;
	if (a[0])
		simrupt_on_read(a[0], pos, n);
}

ssize_t simrupt_read_pos(struct simrupt *s, void *buf, size_t len, int flags,
			 unsigned int *pos)
{
	void *a[2] = { s->tracer_on ? s : NULL, pos };

	return byte_fifo_read(&s->fifo, buf, len, flags & SIMRUPT_NONBLOCK,
			      simrupt_note_pos, a);
}

ssize_t simrupt_read(struct simrupt *s, void *buf, size_t len, int flags)
{
	return byte_fifo_read(&s->fifo, buf, len, flags & SIMRUPT_NONBLOCK,
			      s->tracer_on ? simrupt_on_read : NULL, s);
}

/* ---- top half's thread ---- */

static int install_handler(int signo)
{
	struct sigaction sa;
	int err = 0;

	pthread_mutex_lock(&handler_lock);
	if (handler_users[signo]++ == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = simrupt_top_half;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigfillset(&sa.sa_mask);
		if (sigaction(signo, &sa, &handler_saved[signo]) != 0) {
			err = -errno;
			handler_users[signo]--;
		}
	}
	pthread_mutex_unlock(&handler_lock);
	return err;
}

static void remove_handler(int signo)
{
	pthread_mutex_lock(&handler_lock);
	if (--handler_users[signo] == 0)
		sigaction(signo, &handler_saved[signo], NULL);
	pthread_mutex_unlock(&handler_lock);
}

/*
 * The irq thread: owns the timer, whose signal is directed at it alone
 * (SIGEV_THREAD_ID), so the handler never runs twice at once.  The signal
 * is blocked except inside sigsuspend(), which is where the "interrupts"
 * arrive.
 */
static void *irq_main(void *arg)
{
	struct simrupt *s = arg;
	struct sigevent sev;
	struct itimerspec its;
	sigset_t waitmask;
	unsigned long long period;

	if (s->cfg.irq_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(s->cfg.irq_cpu, &set);
		/* Best effort: the CPU may be outside our cpuset. */
		(void)pthread_setaffinity_np(pthread_self(), sizeof(set),
					     &set);
	}
	s->irq_tid = gettid();
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = s->cfg.signo;
	sev.sigev_value.sival_ptr = s;
	sev.sigev_notify_thread_id = s->irq_tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &s->timer) != 0) {
		s->irq_err = -errno;
		complete(&s->irq_ready);
		return NULL;
	}
	period = 1000000000ull / s->cfg.rate_hz;
	its.it_interval.tv_sec = (time_t)(period / 1000000000ull);
	its.it_interval.tv_nsec = (long)(period % 1000000000ull);
	its.it_value = its.it_interval;
	if (timer_settime(s->timer, 0, &its, NULL) != 0) {
		s->irq_err = -errno;
		timer_delete(s->timer);
		complete(&s->irq_ready);
		return NULL;
	}
	complete(&s->irq_ready);

	pthread_sigmask(SIG_SETMASK, NULL, &waitmask);
	sigdelset(&waitmask, s->cfg.signo);
	while (!atomic_load(&s->irq_stop))
		sigsuspend(&waitmask);
	/* The signal is blocked again here: no handler runs after this. */
	timer_delete(s->timer);
	return NULL;
}

/* ---- life cycle ---- */

struct simrupt *simrupt_create(const struct simrupt_config *cfg)
{
	struct simrupt *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return NULL;
	/*
	 * The handler's queue_work() may be the library's first: start the
	 * library here, since starting threads is not async-signal-safe.
	 */
	err = cmwq_init();
	if (err) {
		free(s);
		errno = -err;
		return NULL;
	}
	if (cfg)
		s->cfg = *cfg;
	else
		s->cfg.irq_cpu = -1;
	if (!s->cfg.rate_hz)
		s->cfg.rate_hz = 10;
	if (!s->cfg.fifo_size)
		s->cfg.fifo_size = 4096;
	if (!s->cfg.signo)
		s->cfg.signo = SIGRTMIN + 1;
	if (s->cfg.rate_hz > SIMRUPT_MAX_RATE || s->cfg.signo >= _NSIG) {
		free(s);
		errno = EINVAL;
		return NULL;
	}
	spsc_ring_init(&s->ring, s->ring_data, SIMRUPT_RING_SIZE, 1);
	err = byte_fifo_init(&s->fifo, s->cfg.fifo_size);
	if (err) {
		free(s);
		errno = -err;
		return NULL;
	}
	INIT_WORK(&s->bh, simrupt_bottom_half);
	init_completion(&s->irq_ready);
	init_completion(&s->tracer_wake);
	if (s->cfg.wq) {
		s->wq = s->cfg.wq;
	} else {
		s->wq = alloc_workqueue("simruptd",
					s->cfg.wq_flags ? s->cfg.wq_flags :
							  WQ_UNBOUND,
					WQ_MAX_ACTIVE);
		if (!s->wq)
			goto fail;
		s->own_wq = true;
	}
	if (s->cfg.trace) {
		unsigned int i, window = 1;

		while (window < 2 * (SIMRUPT_RING_SIZE + s->cfg.fifo_size))
			window <<= 1;
		s->window_mask = window - 1;
		s->trace_mem = calloc(TRACE_TOP_SLOTS + 2 * TRACE_SLOTS,
				      sizeof(struct trace_rec));
		s->top_seen = malloc(window * sizeof(*s->top_seen));
		s->bh_seen = malloc(window * sizeof(*s->bh_seen));
		if (!s->trace_mem || !s->top_seen || !s->bh_seen)
			goto fail;
		for (i = 0; i < window; i++)
			s->top_seen[i].pos = s->bh_seen[i].pos = ~0u;
		spsc_ring_init(&s->top_trace, s->trace_mem, TRACE_TOP_SLOTS,
			       sizeof(struct trace_rec));
		spsc_ring_init(&s->bh_trace, s->trace_mem + TRACE_TOP_SLOTS,
			       TRACE_SLOTS, sizeof(struct trace_rec));
		spsc_ring_init(&s->rd_trace,
			       s->trace_mem + TRACE_TOP_SLOTS + TRACE_SLOTS,
			       TRACE_SLOTS, sizeof(struct trace_rec));
		/* Set before any other thread can see @s; constant after. */
		s->tracer_on = true;
		if (pthread_create(&s->tracer, NULL, tracer_main, s) != 0)
			goto fail;
	}
	return s;
fail:
	if (s->own_wq)
		destroy_workqueue(s->wq);
	free(s->trace_mem);
	free(s->top_seen);
	free(s->bh_seen);
	byte_fifo_destroy(&s->fifo);
	free(s);
	errno = ENOMEM;
	return NULL;
}

int simrupt_start(struct simrupt *s)
{
	sigset_t block, old;
	int err;

	if (s->running)
		return -EBUSY;
	err = install_handler(s->cfg.signo);
	if (err)
		return err;
	/* The irq thread starts with the signal blocked (see irq_main()). */
	sigemptyset(&block);
	sigaddset(&block, s->cfg.signo);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	atomic_store(&s->irq_stop, 0);
	s->irq_err = 0;
	reinit_completion(&s->irq_ready);
	err = pthread_create(&s->irq_thread, NULL, irq_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		remove_handler(s->cfg.signo);
		return -err;
	}
	wait_for_completion(&s->irq_ready);
	if (s->irq_err) {
		pthread_join(s->irq_thread, NULL);
		remove_handler(s->cfg.signo);
		return s->irq_err;
	}
	s->running = true;
	return 0;
}

void simrupt_stop(struct simrupt *s)
{
	if (!s->running)
		return;
	/*
	 * Seq_cst store, then the signal: the irq thread checks @irq_stop
	 * after every sigsuspend(); our signal is either pending when it
	 * next suspends (so that returns at once) or wakes it.
	 */
	atomic_store(&s->irq_stop, 1);
	pthread_kill(s->irq_thread, s->cfg.signo);
	pthread_join(s->irq_thread, NULL);
	remove_handler(s->cfg.signo);
	/*
	 * No handler runs any more.  The last one either queued the bottom
	 * half or found it pending; either way the instance flush_work()
	 * waits for runs after the last byte was put, and empties the ring.
	 */
	flush_work(&s->bh);
	byte_fifo_close(&s->fifo);
	s->running = false;
}

void simrupt_get_stats(struct simrupt *s, struct simrupt_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->produced = atomic_load_explicit(&s->seq, memory_order_relaxed);
	st->dropped = atomic_load_explicit(&s->dropped, memory_order_relaxed);
	st->moved = atomic_load_explicit(&s->moved, memory_order_relaxed);
	pthread_mutex_lock(&s->fifo.lock);
	st->overwritten = s->fifo.overwritten;
	st->delivered = s->fifo.delivered;
	pthread_mutex_unlock(&s->fifo.lock);
	st->in_ring = spsc_ring_count(&s->ring);
	st->in_fifo = byte_fifo_len(&s->fifo);
	st->queued = atomic_load_explicit(&s->queued, memory_order_relaxed);
	st->already_pending = atomic_load_explicit(&s->already_pending,
						   memory_order_relaxed);
	st->bh_runs = atomic_load_explicit(&s->bh_runs, memory_order_relaxed);
	st->bh_max_concurrent = (unsigned long long)atomic_load_explicit(
		&s->bh_max, memory_order_relaxed);
	st->timer_overruns = atomic_load_explicit(&s->overruns,
						  memory_order_relaxed);
	st->trace_lost = atomic_load_explicit(&s->trace_lost,
					      memory_order_relaxed);
}

void simrupt_get_latency(struct simrupt *s, enum simrupt_stage stage,
			 struct simrupt_latency *lat)
{
	const struct hist *h;

	memset(lat, 0, sizeof(*lat));
	if (!s->cfg.trace || stage >= SIMRUPT_NR_STAGES)
		return;
	tracer_finish(s);
	h = &s->hist[stage];
	lat->count = h->count;
	lat->p50 = hist_pct(h, 0.50);
	lat->p90 = hist_pct(h, 0.90);
	lat->p99 = hist_pct(h, 0.99);
	lat->p999 = hist_pct(h, 0.999);
	lat->max = h->max;
}

void simrupt_report(struct simrupt *s, FILE *out)
{
	static const char *const names[] = {
		"top half -> bottom half",
		"bottom half -> reader",
		"top half -> reader",
	};
	struct simrupt_stats st;
	struct simrupt_latency l;
	int i;

	simrupt_get_stats(s, &st);
	fprintf(out,
		"simrupt: produced %llu dropped %llu overwritten %llu "
		"delivered %llu in ring %llu in fifo %llu (%s)\n",
		st.produced, st.dropped, st.overwritten, st.delivered,
		st.in_ring, st.in_fifo,
		st.produced == st.dropped + st.overwritten + st.delivered +
					 st.in_ring + st.in_fifo ?
			"balanced" :
			"NOT BALANCED");
	fprintf(out,
		"simrupt: queue_work true %llu false %llu, bottom half runs "
		"%llu (max %llu at once), timer overruns %llu, trace lost "
		"%llu\n",
		st.queued, st.already_pending, st.bh_runs,
		st.bh_max_concurrent, st.timer_overruns, st.trace_lost);
	if (!s->cfg.trace)
		return;
	for (i = 0; i < SIMRUPT_NR_STAGES; i++) {
		simrupt_get_latency(s, (enum simrupt_stage)i, &l);
		fprintf(out,
			"simrupt: latency %-24s n %llu p50 %.1f us p90 %.1f "
			"us p99 %.1f us p99.9 %.1f us max %.1f us\n",
			names[i], l.count, l.p50 / 1e3, l.p90 / 1e3,
			l.p99 / 1e3, l.p999 / 1e3, l.max / 1e3);
	}
}

void simrupt_destroy(struct simrupt *s)
{
	if (!s)
		return;
	simrupt_stop(s);
	tracer_finish(s);
	cancel_work_sync(&s->bh);
	if (s->own_wq)
		destroy_workqueue(s->wq);
	byte_fifo_destroy(&s->fifo);
	free(s->trace_mem);
	free(s->top_seen);
	free(s->bh_seen);
	free(s);
}
