// SPDX-License-Identifier: MIT
/*
 * timer.c - the timer service: delayed work's timers and the kernel's
 * struct timer_list
 *
 * Two timer bases share one implementation.  Each keeps its armed timers
 * in a 4-ary min-heap of (deadline, timer) slots under its lock, and an
 * ingress stack that arming pushes on lock-free (async-signal-safe, no
 * allocation); whoever next takes the lock moves the stack into the heap.
 * Each base's servicing thread sleeps exactly until its earliest deadline,
 * or with no deadline when nothing is armed: no periodic tick.
 *
 *   dwork base     the timers of delayed work items; the manager thread
 *                  queues an expired item (cmwq_timer_run_expired())
 *   callback base  timer_list timers; the timer thread ("cmwq-timer")
 *                  runs their callbacks one at a time, in deadline order,
 *                  with the base unlocked
 *
 * A timer's state is two bits of timer->flags (the kernel's
 * TIMER_ARRAYMASK), changed atomically:
 *   IDLE -> INCOMING (armed, on the ingress stack: only the armer that
 *           made this transition pushes it, so a timer is on the stack
 *           at most once)
 *        -> ARMED (in the heap; cmwq_index is its slot) -> IDLE (expired,
 *           or deleted)
 * While INCOMING, cmwq_index holds the nanoseconds below the jiffy of
 * the deadline (delayed work has nanosecond delays), and the deadline is
 * read from expires when the timer is drained into the heap: a program
 * that writes expires of an armed timer (a bug in the kernel too) may
 * move it, never lose it.
 *
 * Delayed work: the PENDING bit of the item is owned by whoever armed it
 * until the timer is cancelled (the canceller takes it) or expires (the
 * manager queues the item with it).
 *
 * Lock order: a base's lock is taken alone, or inside fork.c's lock-all
 * (src/internal.h states the whole order); a callback runs with no lock.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>

#define NS_PER_JIFFY (1000000000ull / CMWQ_HZ)
/* A deadline past what 64 bits of nanoseconds hold: never. */
#define DEADLINE_NEVER (~0ull - 1)
/* A callback that runs longer than this delays every later timer. */
#define CALLBACK_TOO_LONG_NS (100ull * 1000000ull)

#define TSTATE_MASK (3u << TIMER_ARRAYSHIFT)
#define TSTATE_IDLE 0u
#define TSTATE_INCOMING (1u << TIMER_ARRAYSHIFT)
#define TSTATE_ARMED (2u << TIMER_ARRAYSHIFT)

struct timer_slot {
	unsigned long long deadline_ns;
	struct timer_list *timer;
};

struct timer_base {
	pthread_mutex_t lock;
	enum lock_class lock_class; /* (I) its place in the lock order */
	struct timer_slot *heap; /* (lock) */
	unsigned int len, cap; /* (lock) */
	/* (A) ingress stack, linked by cmwq_next; emptied under lock */
	_Atomic(struct timer_list *) incoming;
	/*
	 * (A) The deadline the servicing thread sleeps until (~0: none).
	 * An armer with an earlier deadline lowers it and kicks the thread;
	 * the thread stores it before looking at the ingress one last time
	 * (seq_cst both sides: base_push() and base_next_due()).
	 */
	atomic_ullong sleep_deadline;
	void (*kick)(void);
	/* The callback base only: */
	struct timer_list *running; /* (lock) the callback running now */
	unsigned int nr_sync_waiters; /* (lock) waiting for running */
	atomic_uint running_seq; /* (A) futex word: bumped as running ends */
};

static void dwork_kick(void)
{
	cmwq_manager_start_if_needed();
	cmwq_manager_wake();
}

static void callback_kick(void);

static struct timer_base dwork_base = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.lock_class = LC_TIMER_DWORK,
	.sleep_deadline = ~0ull,
	.kick = dwork_kick,
};

static struct timer_base callback_base = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.lock_class = LC_TIMER_CALLBACK,
	.sleep_deadline = ~0ull,
	.kick = callback_kick,
};

/* The timer thread. */
static atomic_uint tthread_seq; /* (A) futex word: bumped to wake it */
static atomic_int tthread_state; /* (A) 0 not started, 1 starting, 2 runs */
/* The timer whose callback this thread runs now (the timer thread). */
static __thread struct timer_list *current_timer;

static unsigned int tflags(const struct timer_list *t)
{
	return __atomic_load_n(&t->flags, __ATOMIC_ACQUIRE);
}

static unsigned int tstate(const struct timer_list *t)
{
	return tflags(t) & TSTATE_MASK;
}

static void set_tstate(struct timer_list *t, unsigned int state)
{
	unsigned int old = __atomic_load_n(&t->flags, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&t->flags, &old,
					    (old & ~TSTATE_MASK) | state, true,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

/*
 * expires is the program's to read at any time (the kernel's READ_ONCE()
 * use): the service reads and writes it with relaxed atomics.
 */
static unsigned long texpires(const struct timer_list *t)
{
	return __atomic_load_n(&t->expires, __ATOMIC_RELAXED);
}

static void set_texpires(struct timer_list *t, unsigned long expires)
{
	__atomic_store_n(&t->expires, expires, __ATOMIC_RELAXED);
}

static void (*tfunction(const struct timer_list *t))(struct timer_list *)
{
	return __atomic_load_n(&t->function, __ATOMIC_RELAXED);
}

/*
 * The deadline of the jiffy @expires plus @rem_ns, as nanoseconds of
 * cmwq_clock_ns(), with @now_ns the time now: @expires is taken as the
 * jiffy nearest now modulo the width of unsigned long, as time_after()
 * takes it, so a 32-bit jiffy count that wrapped still works.
 */
static unsigned long long expires_to_ns(unsigned long expires,
					unsigned int rem_ns,
					unsigned long long now_ns)
{
	unsigned long long now_j = now_ns / NS_PER_JIFFY, j;
	long delta = (long)(expires - (unsigned long)now_j);

	if (delta < 0) {
		if ((unsigned long long)-(delta + 1) >= now_j)
			return 0;
		j = now_j - (unsigned long long)-(delta + 1) - 1;
	} else {
		if ((unsigned long long)delta >
		    (DEADLINE_NEVER - NS_PER_JIFFY) / NS_PER_JIFFY - now_j)
			return DEADLINE_NEVER;
		j = now_j + (unsigned long long)delta;
	}
	return j * NS_PER_JIFFY + rem_ns;
}

/* Heap helpers.  (b->lock) */
static void heap_set(struct timer_base *b, unsigned int i,
		     struct timer_slot slot)
{
	b->heap[i] = slot;
	slot.timer->cmwq_index = i;
}

static void sift_up(struct timer_base *b, unsigned int i)
{
	struct timer_slot slot = b->heap[i];

	while (i > 0) {
		unsigned int parent = (i - 1) / 4;

		if (b->heap[parent].deadline_ns <= slot.deadline_ns)
			break;
		heap_set(b, i, b->heap[parent]);
		i = parent;
	}
	heap_set(b, i, slot);
}

static void sift_down(struct timer_base *b, unsigned int i)
{
	struct timer_slot slot = b->heap[i];

	for (;;) {
		unsigned int c = i * 4 + 1, best = i, k;
		unsigned long long best_ns = slot.deadline_ns;

		for (k = c; k < c + 4 && k < b->len; k++) {
			if (b->heap[k].deadline_ns < best_ns) {
				best = k;
				best_ns = b->heap[k].deadline_ns;
			}
		}
		if (best == i)
			break;
		heap_set(b, i, b->heap[best]);
		i = best;
	}
	heap_set(b, i, slot);
}

static bool heap_reserve(struct timer_base *b, unsigned int n)
{
	struct timer_slot *h;
	unsigned int cap;

	if (n <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < n)
		cap *= 2;
	h = realloc(b->heap, sizeof(*h) * cap);
	if (!h)
		return false;
	b->heap = h;
	b->cap = cap;
	return true;
}

/* Insert @t, ARMED; the caller has reserved the room.  (b->lock) */
static void heap_insert(struct timer_base *b, struct timer_list *t,
			unsigned long long deadline_ns)
{
	struct timer_slot slot = { deadline_ns, t };

	heap_set(b, b->len++, slot);
	sift_up(b, b->len - 1);
	set_tstate(t, TSTATE_ARMED);
}

/* Take @t, ARMED, out of the heap; the caller sets its state.  (b->lock) */
static void heap_remove(struct timer_base *b, struct timer_list *t)
{
	unsigned int i = t->cmwq_index;
	struct timer_slot last = b->heap[--b->len];

	t->cmwq_index = ~0u;
	if (i == b->len)
		return;
	heap_set(b, i, last);
	if (i > 0 && b->heap[(i - 1) / 4].deadline_ns > last.deadline_ns)
		sift_up(b, i);
	else
		sift_down(b, i);
}

/* Is @t in @b's heap, by its own slot?  (b->lock; @t may be garbage) */
static bool heap_holds(struct timer_base *b, const struct timer_list *t)
{
	unsigned int i = t->cmwq_index;

	return i < b->len && b->heap[i].timer == t;
}

/*
 * Move the ingress stack into the heap.  (b->lock)  The heap grows here,
 * never while arming; if it cannot grow the timers stay on the stack and
 * are retried at the next drain.
 */
static void base_drain(struct timer_base *b)
{
	struct timer_list *t, *p, *tail = NULL, *head;
	unsigned long long now;
	unsigned int n = 0;

	if (!atomic_load_explicit(&b->incoming, memory_order_relaxed))
		return;
	/* Acquire: pairs with the release of the push in base_push(). */
	t = atomic_exchange_explicit(&b->incoming, NULL, memory_order_acquire);
	for (p = t; p; p = p->cmwq_next) {
		tail = p;
		n++;
	}
	if (!tail)
		return;
	if (!heap_reserve(b, b->len + n)) {
		/* Give them back; a later drain retries. */
		head = atomic_load(&b->incoming);
		do {
			tail->cmwq_next = head;
		} while (!atomic_compare_exchange_weak(&b->incoming, &head, t));
		cmwq_warn("timer service: out of memory; timers are late");
		return;
	}
	now = cmwq_clock_ns();
	for (; t; t = p) {
		p = t->cmwq_next;
		heap_insert(b, t, expires_to_ns(texpires(t), t->cmwq_index, now));
	}
}

/* Lower the servicing thread's sleep deadline to @deadline_ns, kicking it. */
static void base_note_deadline(struct timer_base *b,
			       unsigned long long deadline_ns)
{
	unsigned long long cur = atomic_load(&b->sleep_deadline);

	while (deadline_ns < cur) {
		if (atomic_compare_exchange_weak(&b->sleep_deadline, &cur,
						 deadline_ns)) {
			b->kick();
			break;
		}
	}
}

/*
 * Push @t, which the caller has just moved IDLE -> INCOMING, on the
 * ingress stack.  Lock-free, allocation-free, async-signal-safe.
 */
static void base_push(struct timer_base *b, struct timer_list *t,
		      unsigned long long deadline_ns)
{
	struct timer_list *head;

	head = atomic_load_explicit(&b->incoming, memory_order_relaxed);
	do {
		t->cmwq_next = head;
	} while (!atomic_compare_exchange_weak_explicit(
		&b->incoming, &head, t, memory_order_seq_cst,
		memory_order_relaxed));
	base_note_deadline(b, deadline_ns);
}

/*
 * Wait out an armer between its IDLE -> INCOMING and its push: drop the
 * lock and yield, then drain again.  (b->lock, held again on return)  An
 * arm cut short by fork() in the parent leaves a timer INCOMING and on no
 * stack in the child: after a second it is taken as idle, with a word.
 */
static void base_wait_incoming(struct timer_base *b, struct timer_list *t,
			       unsigned int *spins)
{
	base_drain(b);
	if (tstate(t) != TSTATE_INCOMING)
		return;
	cmwq_mutex_unlock(&b->lock, b->lock_class);
	sched_yield();
	cmwq_mutex_lock(&b->lock, b->lock_class);
	if (++*spins == 100000) {
		cmwq_warn("timer %p: arming never finished (cut by a fork?); "
			  "taken as idle",
			  (void *)t);
		set_tstate(t, TSTATE_IDLE);
	}
}

/*
 * The earliest timer of @b due by @now_ns, out of the heap and IDLE; or
 * NULL, with the next deadline published as the sleep deadline and
 * stored in *@next_ns (~0: none).  (b->lock)
 */
static struct timer_list *base_next_due(struct timer_base *b,
					unsigned long long now_ns,
					unsigned long long *next_ns)
{
	for (;;) {
		unsigned long long d;

		base_drain(b);
		if (b->len && b->heap[0].deadline_ns <= now_ns) {
			struct timer_list *t = b->heap[0].timer;

			heap_remove(b, t);
			set_tstate(t, TSTATE_IDLE);
			return t;
		}
		d = b->len ? b->heap[0].deadline_ns : ~0ull;
		/*
		 * Publish the deadline, then look at the ingress one last
		 * time (the armer's half is in base_note_deadline()).
		 */
		atomic_store(&b->sleep_deadline, d);
		if (atomic_load(&b->incoming)) {
			unsigned int before = b->len;

			base_drain(b);
			if (b->len != before)
				continue;
			/* Out of memory: retry the drain in 10 ms. */
			if (d > now_ns + 10000000ull)
				d = now_ns + 10000000ull;
		}
		*next_ns = d;
		return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Delayed work's timers (the dwork base), for delayed.c and flush.c.  */

static struct delayed_work *timer_dwork(struct timer_list *t)
{
	return container_of(t, struct delayed_work, timer);
}

void cmwq_dwork_timer_prepare(struct delayed_work *dwork, int cpu)
{
	struct timer_list *t = &dwork->timer;
	unsigned int cpubits = cpu < 0 ? TIMER_CPUMASK :
					 ((unsigned int)cpu & TIMER_CPUMASK);
	unsigned int old = __atomic_load_n(&t->flags, __ATOMIC_RELAXED), nf;

	__atomic_store_n(&t->function, cmwq_delayed_work_timer_fn,
			 __ATOMIC_RELAXED);
	do {
		nf = (old & ~(TIMER_CPUMASK | TSTATE_MASK)) | cpubits |
		     TIMER_CMWQ_DWORK;
	} while (!__atomic_compare_exchange_n(&t->flags, &old, nf, true,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

int cmwq_dwork_cpu(const struct delayed_work *dwork)
{
	unsigned int cpu = tflags(&dwork->timer) & TIMER_CPUMASK;

	return cpu == TIMER_CPUMASK ? WORK_CPU_UNBOUND : (int)cpu;
}

void cmwq_dwork_timer_arm(struct delayed_work *dwork,
			  unsigned long long deadline_ns)
{
	struct timer_list *t = &dwork->timer;

	if (deadline_ns > DEADLINE_NEVER)
		deadline_ns = DEADLINE_NEVER;
	set_texpires(t, (unsigned long)(deadline_ns / NS_PER_JIFFY));
	t->cmwq_index = (unsigned int)(deadline_ns % NS_PER_JIFFY);
	/* The caller owns PENDING: nothing else arms this timer. */
	set_tstate(t, TSTATE_INCOMING);
	base_push(&dwork_base, t, deadline_ns);
}

bool cmwq_dwork_timer_armed(struct delayed_work *dwork)
{
	struct timer_list *t = &dwork->timer;
	bool armed;

	cmwq_mutex_lock(&dwork_base.lock, LC_TIMER_DWORK);
	base_drain(&dwork_base);
	/* Not in the heap after a drain: being armed now, or garbage. */
	armed = tstate(t) == TSTATE_ARMED && heap_holds(&dwork_base, t);
	cmwq_mutex_unlock(&dwork_base.lock, LC_TIMER_DWORK);
	return armed;
}

/*
 * Stop the timer of @dwork if it is armed.  Returns true if it was: the
 * caller then owns the item's PENDING bit.
 */
bool cmwq_timer_cancel(struct delayed_work *dwork)
{
	struct timer_list *t = &dwork->timer;
	bool ret = false;

	cmwq_mutex_lock(&dwork_base.lock, LC_TIMER_DWORK);
	if (tstate(t) == TSTATE_INCOMING)
		base_drain(&dwork_base);
	if (tstate(t) == TSTATE_ARMED) {
		heap_remove(&dwork_base, t);
		set_tstate(t, TSTATE_IDLE);
		atomic_fetch_sub(&dwork->wq->nr_armed, 1);
		/* PENDING stays set: the caller owns it now. */
		work_data_store(&dwork->work, claim_bits());
		ret = true;
	}
	cmwq_mutex_unlock(&dwork_base.lock, LC_TIMER_DWORK);
	return ret;
}

/*
 * Queue every item whose timer expired by @now; lower *@next_ns to the
 * next deadline.  Runs on the manager thread.
 */
void cmwq_timer_run_expired(unsigned long long now, unsigned long long *next_ns)
{
	for (;;) {
		struct timer_list *t;
		struct delayed_work *dwork;
		struct workqueue_struct *wq;
		/* Set by base_next_due() when it returns NULL. */
		unsigned long long d = ~0ull;

		cmwq_mutex_lock(&dwork_base.lock, LC_TIMER_DWORK);
		t = base_next_due(&dwork_base, now, &d);
		if (t) {
			/*
			 * In transit from here until queued: flush and
			 * cancel see PENDING without a pwq and wait.  The
			 * state went IDLE before the item is queued, so a
			 * later arm is never overwritten.
			 */
			work_data_store(&timer_dwork(t)->work, claim_bits());
		} else if (d < *next_ns) {
			*next_ns = d;
		}
		cmwq_mutex_unlock(&dwork_base.lock, LC_TIMER_DWORK);
		if (!t)
			return;
		dwork = timer_dwork(t);
		wq = dwork->wq;
		cmwq_queue_claimed(cmwq_dwork_cpu(dwork), wq, &dwork->work);
		atomic_fetch_sub(&wq->nr_armed, 1);
	}
}

/* Are timers of delayed items of @wq armed (not merely firing)? */
bool cmwq_timers_armed_on(struct workqueue_struct *wq)
{
	unsigned int i;
	bool ret = false;

	cmwq_mutex_lock(&dwork_base.lock, LC_TIMER_DWORK);
	base_drain(&dwork_base);
	for (i = 0; i < dwork_base.len && !ret; i++)
		ret = timer_dwork(dwork_base.heap[i].timer)->wq == wq;
	/* Not drained (out of memory): count them as armed. */
	if (atomic_load(&dwork_base.incoming))
		ret = true;
	cmwq_mutex_unlock(&dwork_base.lock, LC_TIMER_DWORK);
	return ret;
}

bool cmwq_timers_armed(void)
{
	bool ret;

	cmwq_mutex_lock(&dwork_base.lock, LC_TIMER_DWORK);
	ret = dwork_base.len || atomic_load(&dwork_base.incoming);
	cmwq_mutex_unlock(&dwork_base.lock, LC_TIMER_DWORK);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The timer thread and the callback base.                            */

static void callback_kick(void)
{
	atomic_fetch_add(&tthread_seq, 1);
	if (atomic_load(&tthread_state) == 2)
		cmwq_futex_wake(&tthread_seq, 1);
}

static void warn_long_callback(void (*fn)(struct timer_list *),
			       unsigned long long ran_ns)
{
	static atomic_ullong last_ns;
	unsigned long long now = cmwq_clock_ns(), last = atomic_load(&last_ns);
	char buf[160];

	/* One report per 10 s: a slow callback is usually slow every time. */
	if (last && now - last < 10000000000ull)
		return;
	if (!atomic_compare_exchange_strong(&last_ns, &last, now))
		return;
	cmwq_warn("timer callback %s ran %llu ms on the timer thread: a timer "
		  "callback must not sleep, and every later timer waited for "
		  "it",
		  cmwq_func_name((void (*)(struct work_struct *))(void (*)(void))
					 fn,
				 buf, sizeof(buf)),
		  ran_ns / 1000000ull);
}

static void run_callback(struct timer_list *t, void (*fn)(struct timer_list *),
			 unsigned int flags, int *bound, cpu_set_t *home,
			 bool have_home)
{
	unsigned long long start, ran;

	/* A timer added on a CPU runs there, the thread moving to it. */
	if (flags & TIMER_CMWQ_BOUND) {
		int cpu = (int)(flags & TIMER_CPUMASK);

		if (*bound != cpu && cmwq_thread_bind(cpu) == 0)
			*bound = cpu;
	} else if (*bound >= 0 && have_home) {
		if (!pthread_setaffinity_np(pthread_self(), sizeof(*home),
					    home))
			*bound = -1;
	}
	current_timer = t;
	start = cmwq_clock_ns();
	fn(t);
	ran = cmwq_clock_ns() - start;
	current_timer = NULL;
	if (ran > CALLBACK_TOO_LONG_NS)
		warn_long_callback(fn, ran);
}

static void *timer_thread(void *arg)
{
	struct timer_base *b = &callback_base;
	cpu_set_t home;
	bool have_home;
	int bound = -1;

	(void)arg;
	cmwq_thread_set_name("cmwq-timer");
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	have_home = !pthread_getaffinity_np(pthread_self(), sizeof(home),
					    &home);
	for (;;) {
		unsigned int seq = atomic_load(&tthread_seq);
		unsigned long long next = ~0ull;
		void (*fn)(struct timer_list *);
		struct timer_list *t;
		unsigned int flags;
		bool wake;

		cmwq_mutex_lock(&b->lock, b->lock_class);
		t = base_next_due(b, cmwq_clock_ns(), &next);
		if (!t) {
			cmwq_mutex_unlock(&b->lock, b->lock_class);
			if (atomic_load(&tthread_seq) == seq)
				cmwq_futex_wait(&tthread_seq, seq,
						next == ~0ull ? 0 : next);
			continue;
		}
		fn = tfunction(t);
		flags = tflags(t);
		b->running = t;
		cmwq_mutex_unlock(&b->lock, b->lock_class);
		if (fn)
			run_callback(t, fn, flags, &bound, &home, have_home);
		cmwq_mutex_lock(&b->lock, b->lock_class);
		b->running = NULL;
		wake = b->nr_sync_waiters != 0;
		atomic_fetch_add(&b->running_seq, 1);
		cmwq_mutex_unlock(&b->lock, b->lock_class);
		if (wake)
			cmwq_futex_wake(&b->running_seq, INT_MAX);
	}
	return NULL;
}

/* Start the timer thread unless it runs; not async-signal-safe. */
static void tthread_start_if_needed(void)
{
	int expected = 0;

	if (atomic_load(&tthread_state) == 2)
		return;
	if (!atomic_compare_exchange_strong(&tthread_state, &expected, 1))
		return;
	if (cmwq_thread_start(timer_thread, NULL) < 0) {
		atomic_store(&tthread_state, 0);
		cmwq_warn_const("cannot start the timer thread: timer_list "
				"timers do not fire until a later timer call "
				"starts it");
		return;
	}
	atomic_store(&tthread_state, 2);
	cmwq_futex_wake(&tthread_seq, 1);
}

/* Diagnose a timer the timer_list API cannot take; true if it can. */
static bool timer_arg_ok(const char *what, const struct timer_list *t)
{
	if (!t) {
		cmwq_warn("%s: NULL timer", what);
		return false;
	}
	if (tflags(t) & TIMER_CMWQ_DWORK) {
		cmwq_warn("%s: timer %p is the timer of a delayed work item: "
			  "use the delayed-work calls (mod_delayed_work(), "
			  "cancel_delayed_work_sync()); left alone",
			  what, (const void *)t);
		return false;
	}
	return true;
}

/* May @t be armed?  A shut-down timer silently not (the kernel's rule). */
static bool timer_armable(const char *what, const struct timer_list *t)
{
	if (tfunction(t))
		return true;
	if (!(tflags(t) & TIMER_CMWQ_SHUTDOWN))
		cmwq_warn("%s: timer %p has no callback (never set up with "
			  "timer_setup()?); not armed",
			  what, (const void *)t);
	return false;
}

enum timer_mod { TMOD_ALWAYS, TMOD_PENDING_ONLY, TMOD_REDUCE, TMOD_ADD };

/*
 * Arm an idle @t lock-free: IDLE -> INCOMING with @set/@clear applied to
 * its flags, then push.  False if @t was not idle (take the lock).
 */
static bool timer_arm_idle(struct timer_list *t, unsigned long expires,
			   unsigned int set, unsigned int clear)
{
	unsigned int old = tflags(t);

	if ((old & TSTATE_MASK) != TSTATE_IDLE)
		return false;
	if (!__atomic_compare_exchange_n(
		    &t->flags, &old, (old & ~clear) | set | TSTATE_INCOMING,
		    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return false;
	set_texpires(t, expires);
	t->cmwq_index = 0;
	base_push(&callback_base, t, expires_to_ns(expires, 0, cmwq_clock_ns()));
	return true;
}

/*
 * The arming calls.  Return: 1 if @t was armed before, 0 if not, -1 for
 * TMOD_ADD of an armed timer (nothing done).
 */
static int timer_modify(const char *what, struct timer_list *t,
			unsigned long expires, enum timer_mod mode,
			unsigned int set, unsigned int clear)
{
	struct timer_base *b = &callback_base;
	unsigned long long deadline = 0;
	unsigned int spins = 0;
	bool note = false;
	int was = 0, ret;

	if (!timer_armable(what, t))
		return 0;
	/* Armed already (or being armed): add_timer() leaves it alone. */
	if (mode == TMOD_ADD && tstate(t) != TSTATE_IDLE)
		return -1;
	tthread_start_if_needed();
	if (mode != TMOD_PENDING_ONLY && timer_arm_idle(t, expires, set, clear))
		return 0;
	cmwq_mutex_lock(&b->lock, b->lock_class);
	for (;;) {
		unsigned int f = tflags(t);

		if ((f & TSTATE_MASK) == TSTATE_INCOMING) {
			base_wait_incoming(b, t, &spins);
			continue;
		}
		if ((f & TSTATE_MASK) == TSTATE_ARMED) {
			if (mode == TMOD_ADD) {
				ret = -1;
				break;
			}
			if (mode == TMOD_REDUCE &&
			    (long)(expires - texpires(t)) >= 0) {
				ret = 1;
				break;
			}
			heap_remove(b, t);
			set_tstate(t, TSTATE_IDLE);
			was = 1;
			continue;
		}
		if (mode == TMOD_PENDING_ONLY && !was) {
			ret = 0;
			break;
		}
		if (!tfunction(t)) {
			ret = was; /* shut down meanwhile */
			break;
		}
		if (!__atomic_compare_exchange_n(
			    &t->flags, &f,
			    (f & ~clear) | set | TSTATE_INCOMING, false,
			    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue; /* armed lock-free meanwhile: move it */
		set_texpires(t, expires);
		t->cmwq_index = 0;
		deadline = expires_to_ns(expires, 0, cmwq_clock_ns());
		if (heap_reserve(b, b->len + 1)) {
			heap_insert(b, t, deadline);
			note = true;
		} else {
			cmwq_mutex_unlock(&b->lock, b->lock_class);
			base_push(b, t, deadline);
			return was;
		}
		ret = was;
		break;
	}
	cmwq_mutex_unlock(&b->lock, b->lock_class);
	if (note)
		base_note_deadline(b, deadline);
	return ret;
}

enum timer_del { TDEL_PLAIN, TDEL_SYNC, TDEL_TRY };

static int timer_detach(const char *what, struct timer_list *t,
			enum timer_del how, bool shutdown)
{
	struct timer_base *b = &callback_base;
	unsigned int spins = 0;
	int ret = 0;

	cmwq_mutex_lock(&b->lock, b->lock_class);
	for (;;) {
		unsigned int st = tstate(t);

		if (st == TSTATE_INCOMING) {
			base_wait_incoming(b, t, &spins);
			continue;
		}
		if (how == TDEL_TRY && b->running == t) {
			ret = -1;
			break;
		}
		if (st == TSTATE_ARMED) {
			heap_remove(b, t);
			set_tstate(t, TSTATE_IDLE);
			ret = 1;
		}
		if (shutdown) {
			/* Under the lock: a later arm sees it (timer_modify). */
			__atomic_or_fetch(&t->flags, TIMER_CMWQ_SHUTDOWN,
					  __ATOMIC_RELAXED);
			__atomic_store_n(&t->function, NULL, __ATOMIC_RELAXED);
		}
		if (how == TDEL_SYNC && b->running == t) {
			unsigned int seq;

			if (current_timer == t) {
				cmwq_mutex_unlock(&b->lock, b->lock_class);
				cmwq_warn("%s: called from the callback of timer "
					  "%p, which cannot wait for itself: "
					  "disarmed, not waited for",
					  what, (void *)t);
				return ret;
			}
			seq = atomic_load(&b->running_seq);
			b->nr_sync_waiters++;
			cmwq_mutex_unlock(&b->lock, b->lock_class);
			cmwq_futex_wait(&b->running_seq, seq, 0);
			cmwq_mutex_lock(&b->lock, b->lock_class);
			b->nr_sync_waiters--;
			/* The callback may have armed it again: go round. */
			continue;
		}
		break;
	}
	cmwq_mutex_unlock(&b->lock, b->lock_class);
	return ret;
}

CMWQ_API void cmwq_timer_setup(struct timer_list *timer,
			       void (*func)(struct timer_list *),
			       unsigned int flags)
{
	unsigned int cur;

	/* Not timer_arg_ok(): the memory may be garbage yet. */
	if (!timer) {
		cmwq_warn("timer_setup: NULL timer");
		return;
	}
	if (flags & ~TIMER_INIT_FLAGS) {
		cmwq_warn("timer_setup: unknown flags %#x dropped (known: "
			  "TIMER_DEFERRABLE, TIMER_PINNED, TIMER_IRQSAFE)",
			  flags & ~TIMER_INIT_FLAGS);
		flags &= TIMER_INIT_FLAGS;
	}
	cur = tflags(timer);
	if ((cur & TSTATE_MASK) != TSTATE_IDLE) {
		/* Armed: a reinitialisation would corrupt the heap. */
		cmwq_mutex_lock(&callback_base.lock, LC_TIMER_CALLBACK);
		base_drain(&callback_base);
		if (tstate(timer) == TSTATE_ARMED &&
		    heap_holds(&callback_base, timer)) {
			cmwq_mutex_unlock(&callback_base.lock, LC_TIMER_CALLBACK);
			cmwq_warn("timer_setup: timer %p is armed; not "
				  "reinitialised",
				  (void *)timer);
			return;
		}
		cmwq_mutex_unlock(&callback_base.lock, LC_TIMER_CALLBACK);
	}
	timer->cmwq_next = NULL;
	set_texpires(timer, 0);
	timer->cmwq_index = ~0u;
	__atomic_store_n(&timer->function, func, __ATOMIC_RELAXED);
	__atomic_store_n(&timer->flags,
			 flags | ((unsigned int)cmwq_current_cpu() &
				  TIMER_CPUMASK),
			 __ATOMIC_RELEASE);
	if (!func)
		cmwq_warn("timer_setup: timer %p has a NULL callback",
			  (void *)timer);
	tthread_start_if_needed();
}

/* The flags an arm applies: a pinned timer runs on the arming CPU. */
static void arm_flags(const struct timer_list *t, unsigned int *set,
		      unsigned int *clear)
{
	*set = 0;
	*clear = 0;
	if (tflags(t) & TIMER_PINNED) {
		*set = TIMER_CMWQ_BOUND |
		       ((unsigned int)cmwq_current_cpu() & TIMER_CPUMASK);
		*clear = TIMER_CPUMASK;
	}
}

CMWQ_API int cmwq_mod_timer(struct timer_list *timer, unsigned long expires)
{
	unsigned int set, clear;

	if (!timer_arg_ok("mod_timer", timer))
		return 0;
	arm_flags(timer, &set, &clear);
	return timer_modify("mod_timer", timer, expires, TMOD_ALWAYS, set,
			    clear);
}

CMWQ_API int cmwq_mod_timer_pending(struct timer_list *timer,
				    unsigned long expires)
{
	unsigned int set, clear;

	if (!timer_arg_ok("mod_timer_pending", timer))
		return 0;
	arm_flags(timer, &set, &clear);
	return timer_modify("mod_timer_pending", timer, expires,
			    TMOD_PENDING_ONLY, set, clear);
}

CMWQ_API int cmwq_timer_reduce(struct timer_list *timer, unsigned long expires)
{
	unsigned int set, clear;

	if (!timer_arg_ok("timer_reduce", timer))
		return 0;
	arm_flags(timer, &set, &clear);
	return timer_modify("timer_reduce", timer, expires, TMOD_REDUCE, set,
			    clear);
}

static void add_timer_flags(const char *what, struct timer_list *timer,
			    unsigned int set, unsigned int clear)
{
	if (timer_modify(what, timer, texpires(timer), TMOD_ADD, set, clear) <
	    0)
		cmwq_warn("%s: timer %p is armed already; left as it is "
			  "(use mod_timer() to move it)",
			  what, (void *)timer);
}

CMWQ_API void cmwq_add_timer(struct timer_list *timer)
{
	unsigned int set, clear;

	if (!timer_arg_ok("add_timer", timer))
		return;
	arm_flags(timer, &set, &clear);
	add_timer_flags("add_timer", timer, set, clear);
}

CMWQ_API void cmwq_add_timer_on(struct timer_list *timer, int cpu)
{
	if (!timer_arg_ok("add_timer_on", timer))
		return;
	if (!cmwq_cpu_possible(cpu)) {
		cmwq_warn("add_timer_on: the process may not run on CPU %d; "
			  "timer %p not armed",
			  cpu, (void *)timer);
		return;
	}
	add_timer_flags("add_timer_on", timer,
			TIMER_CMWQ_BOUND | ((unsigned int)cpu & TIMER_CPUMASK),
			TIMER_CPUMASK);
}

CMWQ_API void cmwq_add_timer_local(struct timer_list *timer)
{
	if (!timer_arg_ok("add_timer_local", timer))
		return;
	add_timer_flags("add_timer_local", timer,
			TIMER_CMWQ_BOUND | ((unsigned int)cmwq_current_cpu() &
					    TIMER_CPUMASK),
			TIMER_CPUMASK);
}

CMWQ_API void cmwq_add_timer_global(struct timer_list *timer)
{
	if (!timer_arg_ok("add_timer_global", timer))
		return;
	add_timer_flags("add_timer_global", timer, 0, TIMER_CMWQ_BOUND);
}

CMWQ_API int cmwq_timer_delete(struct timer_list *timer)
{
	if (!timer_arg_ok("timer_delete", timer))
		return 0;
	return timer_detach("timer_delete", timer, TDEL_PLAIN, false);
}

CMWQ_API int cmwq_timer_delete_sync(struct timer_list *timer)
{
	if (!timer_arg_ok("timer_delete_sync", timer))
		return 0;
	return timer_detach("timer_delete_sync", timer, TDEL_SYNC, false);
}

CMWQ_API int cmwq_timer_delete_sync_try(struct timer_list *timer)
{
	if (!timer_arg_ok("timer_delete_sync_try", timer))
		return 0;
	return timer_detach("timer_delete_sync_try", timer, TDEL_TRY, false);
}

CMWQ_API int cmwq_timer_shutdown(struct timer_list *timer)
{
	if (!timer_arg_ok("timer_shutdown", timer))
		return 0;
	return timer_detach("timer_shutdown", timer, TDEL_PLAIN, true);
}

CMWQ_API int cmwq_timer_shutdown_sync(struct timer_list *timer)
{
	if (!timer_arg_ok("timer_shutdown_sync", timer))
		return 0;
	return timer_detach("timer_shutdown_sync", timer, TDEL_SYNC, true);
}

CMWQ_API int cmwq_timer_pending(const struct timer_list *timer)
{
	if (!timer) {
		cmwq_warn("timer_pending: NULL timer");
		return 0;
	}
	return tstate(timer) != TSTATE_IDLE;
}

CMWQ_API void cmwq_delayed_work_timer_fn(struct timer_list *timer)
{
	struct delayed_work *dwork;

	if (!timer || !(tflags(timer) & TIMER_CMWQ_DWORK)) {
		cmwq_warn("delayed_work_timer_fn: timer %p is not the timer of "
			  "a delayed work item armed by the delayed-work calls",
			  (void *)timer);
		return;
	}
	dwork = timer_dwork(timer);
	if (cmwq_timer_cancel(dwork))
		cmwq_queue_claimed(cmwq_dwork_cpu(dwork), dwork->wq,
				   &dwork->work);
}

/*
 * Round @j to a whole second: to the nearest one, down only when less
 * than a quarter second past it, or always up; never into the past.
 */
static unsigned long round_jiffies_common(unsigned long j, bool force_up)
{
	unsigned long original = j, rem = j % CMWQ_HZ;

	if (rem < CMWQ_HZ / 4 && !force_up)
		j -= rem;
	else
		j += CMWQ_HZ - rem;
	if (rem == 0)
		j = original;
	if ((long)(j - cmwq_jiffies()) <= 0)
		return original;
	return j;
}

CMWQ_API unsigned long cmwq_round_jiffies(unsigned long j)
{
	return round_jiffies_common(j, false);
}

CMWQ_API unsigned long cmwq_round_jiffies_relative(unsigned long j)
{
	unsigned long now = cmwq_jiffies();

	return round_jiffies_common(j + now, false) - now;
}

CMWQ_API unsigned long cmwq_round_jiffies_up(unsigned long j)
{
	return round_jiffies_common(j, true);
}

CMWQ_API unsigned long cmwq_round_jiffies_up_relative(unsigned long j)
{
	unsigned long now = cmwq_jiffies();

	return round_jiffies_common(j + now, true) - now;
}

/* ------------------------------------------------------------------ */
/* fork(): held across it; in the child nothing is armed.             */

void cmwq_timer_lock_all(void)
{
	cmwq_mutex_lock(&dwork_base.lock, LC_TIMER_DWORK);
	cmwq_mutex_lock(&callback_base.lock, LC_TIMER_CALLBACK);
}

void cmwq_timer_unlock_all(void)
{
	cmwq_mutex_unlock(&callback_base.lock, LC_TIMER_CALLBACK);
	cmwq_mutex_unlock(&dwork_base.lock, LC_TIMER_DWORK);
}

static void base_forget_all(struct timer_base *b, bool dwork)
{
	struct timer_list *t, *next;
	unsigned int i;

	for (i = 0; i < b->len; i++) {
		t = b->heap[i].timer;
		t->cmwq_index = ~0u;
		set_tstate(t, TSTATE_IDLE);
		if (dwork)
			work_data_store(&timer_dwork(t)->work, 0);
	}
	b->len = 0;
	t = atomic_exchange(&b->incoming, NULL);
	for (; t; t = next) {
		next = t->cmwq_next;
		set_tstate(t, TSTATE_IDLE);
		if (dwork)
			work_data_store(&timer_dwork(t)->work, 0);
	}
	atomic_store(&b->sleep_deadline, ~0ull);
	b->running = NULL;
	b->nr_sync_waiters = 0;
}

void cmwq_timer_forget_all(void)
{
	base_forget_all(&dwork_base, true);
	base_forget_all(&callback_base, false);
	/* The child has no timer thread; the next timer call starts one. */
	atomic_store(&tthread_state, 0);
	atomic_store(&tthread_seq, 0);
}
