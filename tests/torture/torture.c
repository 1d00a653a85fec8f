/* SPDX-License-Identifier: MIT */
/*
 * torture.c - a workqueue torture test in the spirit of rcutorture
 *
 * Many threads make random calls on a set of shared work items over several
 * workqueues of every kind: queue_work, queue_work_on, queue_delayed_work,
 * mod_delayed_work, cancel_work(_sync), cancel_delayed_work(_sync),
 * disable/enable, flush_work, flush_delayed_work, flush_workqueue,
 * workqueue_set_max_active and destroy/recreate of workqueues.  Invariants
 * are checked all the time:
 *
 *  - accounting: per item, executions == successful queues - successful
 *    cancels (a disable or cancel that returned true took one pending
 *    instance off; mod_delayed_work returning true replaced one), checked
 *    exactly at every quiescent point (the threads pause, everything is
 *    flushed, the counts are compared);
 *  - no item overlaps itself: an in-flight counter per item, never above 1;
 *  - ordered workqueues keep queueing order: probe items of each ordered
 *    workqueue carry a sequence number given out under the lock that
 *    queues them, and check it when they run;
 *  - flushes wait for what they must: after flush_work returns, every
 *    instance queued before the call has run or was taken off by a
 *    cancel (executions + cancels >= queues read before the call); after
 *    flush_workqueue returns, every probe instance queued on that
 *    workqueue before the call has run;
 *  - a disabled item refuses queueing and, after disable_work_sync, never
 *    runs; enable_work reports the count dropping to zero; a destroyed
 *    workqueue ran everything queued on it; destroy_workqueue refuses with
 *    -EBUSY while a delayed item is armed on it.
 *
 * The seed is printed at start; each thread's random stream is derived
 * from it, so a run's sequence of operations per thread reproduces (the
 * interleaving of threads does not).
 *
 * Usage: torture [--seed N] [--seconds S] [--threads T] [--items I]
 *		  [--epoch-ms MS] [--verbose]
 * Long run: build/tests/torture/torture --seconds 600
 *
 * Locking of the test itself (lock order: slot lock, then item lock):
 *  - slot->lock (rwlock): held shared by every call that passes the
 *    workqueue pointer, exclusive by destroy/recreate, so no thread queues
 *    on a workqueue being destroyed (such queueing is refused by the
 *    library, and after destruction would touch freed memory);
 *  - item->ctl (rwlock): held exclusive across disable ... enable and
 *    around cancel_*_sync (which disables the item while it waits), shared
 *    around mod_delayed_work, whose false return means "armed now" only
 *    while nobody disables the item.  A thread holding an item lock takes
 *    a slot lock only with a try-lock.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>

#include "harness.h"

#if HARNESS_SANITIZED
#define DFL_THREADS 3
#define DFL_SECONDS 2
#else
#define DFL_THREADS 8
#define DFL_SECONDS 3
#endif
#define DFL_ITEMS 32
#define DFL_EPOCH_MS 250
#define NPROBES 4
#define STALL_NS (30 * 1000000000ull)
#define MAX_VIOLATIONS_SHOWN 20

/* ---- random numbers: splitmix64 to seed, xoshiro256** per thread ---- */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct rng {
	uint64_t s[4];
};

static void rng_init(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t sm = seed ^ (stream * 0xd1342543de82ef95ull);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&sm);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

static unsigned int rng_below(struct rng *r, unsigned int n)
{
	return (unsigned int)((rng_next(r) >> 32) * n >> 32);
}

/* ---- shared state ---- */

/* A shared work item: plain (odd index) or delayed (even index). */
struct item {
	struct delayed_work dw; /* plain items use dw.work only */
	bool delayed;
	int idx;
	pthread_rwlock_t ctl;
	atomic_ulong q; /* successful queues (incl. mod replacing one) */
	atomic_ulong c; /* successful cancels, disables, mod replacements */
	atomic_long ci; /* cancel-like calls in progress */
	atomic_ulong x; /* executions completed */
	atomic_int inflight; /* executions running now: 0 or 1 */
	atomic_ulong nrun; /* executions started (for the item's randomness) */
};

struct slot;

/* An item that only ever goes to one workqueue and is never cancelled. */
struct probe {
	struct work_struct work;
	struct slot *slot;
	atomic_ulong seq; /* ordered: sequence number of the queued instance */
	atomic_int armed; /* ordered: queued and not yet started */
	atomic_ulong q, x;
	atomic_int inflight;
};

struct slot_kind {
	const char *name;
	unsigned int flags;
	bool ordered;
};

static const struct slot_kind kinds[] = {
	{ "percpu", 0, false },
	{ "unbound", WQ_UNBOUND, false },
	{ "ordered", 0, true },
	{ "reclaim", WQ_MEM_RECLAIM, false },
	{ "highpri", WQ_HIGHPRI, false },
	{ "cpuint", WQ_CPU_INTENSIVE, false },
	{ "ordreclaim", WQ_MEM_RECLAIM, true },
	{ "unbhipri", WQ_UNBOUND | WQ_HIGHPRI | WQ_MEM_RECLAIM, false },
};

#define NSLOTS ((int)(sizeof(kinds) / sizeof(kinds[0])))

struct slot {
	const struct slot_kind *kind;
	pthread_rwlock_t lock;
	struct workqueue_struct *wq; /* (lock) NULL when allocation failed */
	unsigned long gen; /* (lock, exclusive to write) incarnation */
	pthread_mutex_t ord_lock; /* ordered: queue + sequence number */
	atomic_ulong next_seq; /* (ord_lock) last sequence number given */
	atomic_ulong last_seq; /* last sequence number that ran */
	struct probe probes[NPROBES];
	struct delayed_work ebusy; /* armed to see destroy refuse */
	atomic_ulong ebusy_runs;
};

static struct slot slots[NSLOTS];
static struct item *items;

static struct {
	uint64_t seed;
	unsigned int seconds, threads, items, epoch_ms;
	bool verbose;
	const char *ops;
} opt;

static int nr_cpus;
static atomic_int quiescing; /* items do not requeue themselves */
static atomic_int pause_req, stop_req;
static pthread_barrier_t epoch_barrier;

static atomic_ullong checks_passed, violations;

enum {
	OP_QUEUE,
	OP_QUEUE_ON,
	OP_QUEUE_DELAYED,
	OP_MOD_DELAYED,
	OP_CANCEL,
	OP_CANCEL_SYNC,
	OP_DISABLE,
	OP_FLUSH_WORK,
	OP_FLUSH_WQ,
	OP_PROBE,
	OP_SET_MAX_ACTIVE,
	OP_DESTROY,
	NR_OPS,
};

static const char *const op_names[NR_OPS] = {
	"queue",    "queue_on",	   "queue_delayed",  "mod_delayed",
	"cancel",   "cancel_sync", "disable",	     "flush_work",
	"flush_wq", "probe",	   "set_max_active", "destroy",
};

/* Relative frequencies (out of their sum); --ops keeps only some. */
static unsigned int op_weight[NR_OPS] = {
	[OP_QUEUE] = 140,	  [OP_QUEUE_ON] = 80,
	[OP_QUEUE_DELAYED] = 100, [OP_MOD_DELAYED] = 60,
	[OP_CANCEL] = 60,	  [OP_CANCEL_SYNC] = 30,
	[OP_DISABLE] = 25,	  [OP_FLUSH_WORK] = 50,
	[OP_FLUSH_WQ] = 12,	  [OP_PROBE] = 80,
	[OP_SET_MAX_ACTIVE] = 4,  [OP_DESTROY] = 2,
};

static atomic_ullong op_count[NR_OPS];

static void pass(void)
{
	atomic_fetch_add_explicit(&checks_passed, 1, memory_order_relaxed);
}

static void violation(const char *fmt, ...) CMWQ_PRINTF(1, 2);

static void violation(const char *fmt, ...)
{
	unsigned long long n = atomic_fetch_add(&violations, 1);
	va_list ap;
	char buf[256];

	if (n >= MAX_VIOLATIONS_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "torture: VIOLATION (seed 0x%" PRIx64 "): %s\n",
		opt.seed, buf);
}

#define EXPECT(cond, ...)                       \
	do {                                    \
		if (cond)                       \
			pass();                 \
		else                            \
			violation(__VA_ARGS__); \
	} while (0)

static void rwlock_init_wpref(pthread_rwlock_t *l)
{
	pthread_rwlockattr_t a;

	pthread_rwlockattr_init(&a);
	/* Writer preference: a destroy is not starved by the queuers. */
	pthread_rwlockattr_setkind_np(
		&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(l, &a);
	pthread_rwlockattr_destroy(&a);
}

static void spin_for(unsigned int loops)
{
	volatile unsigned int i;

	for (i = 0; i < loops; i++) {
	}
}

/* ---- work functions ---- */

static void item_fn(struct work_struct *w)
{
	struct item *it = container_of(w, struct item, dw.work);
	uint64_t s = opt.seed ^ ((uint64_t)it->idx << 40) ^
		     atomic_fetch_add(&it->nrun, 1);
	uint64_t r = splitmix64(&s);
	int in = atomic_fetch_add(&it->inflight, 1);

	EXPECT(in == 0, "item %d runs %d times at once", it->idx, in + 1);
	switch (r % 16) {
	case 10:
	case 11:
	case 12:
		spin_for(2000 + (unsigned int)(r >> 40) % 20000);
		break;
	case 13:
		/* Blocks without telling: detection may notice. */
		usleep(50 + (unsigned int)(r >> 40) % 200);
		break;
	case 14:
		/* Blocks and tells the pool. */
		cmwq_worker_sleeping();
		usleep(20 + (unsigned int)(r >> 40) % 100);
		cmwq_worker_running();
		break;
	case 15:
		/*
		 * Requeue itself, on a workqueue that is never destroyed,
		 * while this instance still runs: the new instance must
		 * wait for this one (checked by the in-flight counter).
		 */
		if (atomic_load(&quiescing))
			break;
		if (it->delayed) {
			if (cmwq_queue_delayed_work_on_ns(
				    WORK_CPU_UNBOUND,
				    (r >> 20) & 1 ? system_unbound_wq :
						    system_wq,
				    &it->dw, (r >> 24) % 300000))
				atomic_fetch_add(&it->q, 1);
		} else {
			if (queue_work((r >> 20) & 1 ? system_unbound_wq :
						       system_wq,
				       &it->dw.work))
				atomic_fetch_add(&it->q, 1);
		}
		sched_yield();
		break;
	default:
		break;
	}
	atomic_fetch_sub(&it->inflight, 1);
	atomic_fetch_add(&it->x, 1);
}

static void probe_fn(struct work_struct *w)
{
	struct probe *p = container_of(w, struct probe, work);
	struct slot *sl = p->slot;
	int in = atomic_fetch_add(&p->inflight, 1);

	EXPECT(in == 0, "probe of %s runs twice at once", sl->kind->name);
	if (sl->kind->ordered) {
		unsigned long seq = atomic_load(&p->seq);
		unsigned long last = atomic_load(&sl->last_seq);

		EXPECT(seq == last + 1,
		       "ordered workqueue %s ran sequence %lu after %lu",
		       sl->kind->name, seq, last);
		atomic_store(&sl->last_seq, seq);
		atomic_store(&p->armed, 0);
	}
	atomic_fetch_sub(&p->inflight, 1);
	atomic_fetch_add(&p->x, 1);
}

static void ebusy_fn(struct work_struct *w)
{
	struct slot *sl = container_of(w, struct slot, ebusy.work);

	atomic_fetch_add(&sl->ebusy_runs, 1);
}

/* ---- workqueue slots ---- */

static struct workqueue_struct *slot_alloc(struct slot *sl, struct rng *r)
{
	const struct slot_kind *k = sl->kind;
	int max_active = 1 + (int)rng_below(r, 4);

	if (k->ordered)
		return alloc_ordered_workqueue("tort-%s", k->flags, k->name);
	return alloc_workqueue("tort-%s", k->flags, max_active, k->name);
}

/* Take off one pending instance of @it with @fn; account for it. */
static bool item_remove(struct item *it, bool (*fn)(struct delayed_work *))
{
	bool ok;

	atomic_fetch_add(&it->ci, 1);
	ok = fn(&it->dw);
	if (ok)
		atomic_fetch_add(&it->c, 1);
	atomic_fetch_sub(&it->ci, 1);
	return ok;
}

static bool do_cancel(struct delayed_work *dw)
{
	return cancel_work(&dw->work);
}

static bool do_cancel_sync(struct delayed_work *dw)
{
	return cancel_work_sync(&dw->work);
}

static bool do_disable(struct delayed_work *dw)
{
	return disable_work(&dw->work);
}

static bool do_disable_sync(struct delayed_work *dw)
{
	return disable_work_sync(&dw->work);
}

static bool do_cancel_d(struct delayed_work *dw)
{
	return cancel_delayed_work(dw);
}

static bool do_cancel_d_sync(struct delayed_work *dw)
{
	return cancel_delayed_work_sync(dw);
}

static bool do_disable_d(struct delayed_work *dw)
{
	return disable_delayed_work(dw);
}

static bool do_disable_d_sync(struct delayed_work *dw)
{
	return disable_delayed_work_sync(dw);
}

/*
 * Destroy and recreate @sl's workqueue.  Armed delayed items would make
 * destroy refuse: cancel every delayed item first (no other thread can arm
 * one on this workqueue while we hold the slot exclusively).
 */
static void slot_recreate(struct slot *sl, struct rng *r)
{
	struct workqueue_struct *wq;
	unsigned int i;
	int ret, tries;

	pthread_rwlock_wrlock(&sl->lock);
	wq = sl->wq;
	if (!wq)
		goto alloc;
	for (i = 0; i < opt.items; i++) {
		struct item *it = &items[i];

		if (!it->delayed)
			continue;
		pthread_rwlock_wrlock(&it->ctl);
		item_remove(it, do_cancel_d_sync);
		pthread_rwlock_unlock(&it->ctl);
	}
	if (rng_below(r, 64) == 0) {
		/* Documented: destroy refuses while an item is armed. */
		EXPECT(cmwq_queue_delayed_work_on_ns(WORK_CPU_UNBOUND, wq,
						     &sl->ebusy,
						     30000000000ull),
		       "%s: idle ebusy probe not armed", sl->kind->name);
		ret = cmwq_destroy_workqueue(wq);
		EXPECT(ret == -EBUSY,
		       "%s: destroy with an armed item returned %d, not "
		       "-EBUSY",
		       sl->kind->name, ret);
		if (ret == 0) {
			/* The armed item points to freed memory now. */
			fprintf(stderr, "torture: cannot go on\n");
			abort();
		}
		EXPECT(cancel_delayed_work_sync(&sl->ebusy),
		       "%s: armed ebusy probe not cancelled", sl->kind->name);
		EXPECT(atomic_load(&sl->ebusy_runs) == 0,
		       "%s: cancelled ebusy probe ran", sl->kind->name);
	}
	for (tries = 0;; tries++) {
		ret = cmwq_destroy_workqueue(wq);
		if (ret == 0)
			break;
		violation("%s: destroy_workqueue returned %d although no "
			  "delayed item is armed on it (try %d)",
			  sl->kind->name, ret, tries);
		if (tries >= 100) {
			fprintf(stderr, "torture: giving up on %s\n",
				sl->kind->name);
			abort();
		}
		usleep(1000);
	}
	pass();
	sl->wq = NULL;
	/* Destroy drained: every probe instance queued on it ran. */
	for (i = 0; i < NPROBES; i++) {
		struct probe *p = &sl->probes[i];

		EXPECT(atomic_load(&p->x) == atomic_load(&p->q) &&
			       !work_pending(&p->work),
		       "%s: probe %u: %lu of %lu runs after destroy",
		       sl->kind->name, i, atomic_load(&p->x),
		       atomic_load(&p->q));
	}
alloc:
	pthread_mutex_lock(&sl->ord_lock);
	atomic_store(&sl->next_seq, 0);
	atomic_store(&sl->last_seq, 0);
	pthread_mutex_unlock(&sl->ord_lock);
	sl->wq = slot_alloc(sl, r);
	sl->gen++;
	pthread_rwlock_unlock(&sl->lock);
}

/* Queue a probe of @sl (slot held shared). */
static void probe_queue(struct slot *sl, struct rng *r)
{
	struct probe *p = &sl->probes[rng_below(r, NPROBES)];
	int cpu = rng_below(r, 2) ? WORK_CPU_UNBOUND :
				    (int)rng_below(r, (unsigned int)nr_cpus);
	bool ok;

	if (!sl->kind->ordered) {
		if (queue_work_on(cpu, sl->wq, &p->work))
			atomic_fetch_add(&p->q, 1);
		return;
	}
	/*
	 * Sequence numbers are given out in queueing order: under ord_lock,
	 * and only to a probe that is not queued (armed clear: it started,
	 * so its PENDING bit is clear and this queue must succeed).
	 */
	pthread_mutex_lock(&sl->ord_lock);
	if (atomic_load(&p->armed)) {
		pthread_mutex_unlock(&sl->ord_lock);
		return;
	}
	atomic_store(&p->seq, atomic_load(&sl->next_seq) + 1);
	atomic_store(&p->armed, 1);
	ok = queue_work_on(cpu, sl->wq, &p->work);
	EXPECT(ok, "%s: queue_work of an idle probe returned false",
	       sl->kind->name);
	if (ok) {
		atomic_fetch_add(&sl->next_seq, 1);
		atomic_fetch_add(&p->q, 1);
	} else {
		atomic_store(&p->armed, 0);
	}
	pthread_mutex_unlock(&sl->ord_lock);
}

/* flush_workqueue waits for every probe instance queued before it. */
static void flush_wq_check(struct slot *sl)
{
	unsigned long before[NPROBES];
	int i;

	for (i = 0; i < NPROBES; i++)
		before[i] = atomic_load(&sl->probes[i].q);
	flush_workqueue(sl->wq);
	for (i = 0; i < NPROBES; i++) {
		unsigned long x = atomic_load(&sl->probes[i].x);

		EXPECT(x >= before[i],
		       "%s: flush_workqueue returned with probe %d at %lu "
		       "runs of %lu queued before it",
		       sl->kind->name, i, x, before[i]);
	}
}

/* Queue @it on @wq (slot held shared); account for a success. */
static void item_queue(struct item *it, struct workqueue_struct *wq, int cpu,
		       unsigned long long delay_ns)
{
	bool ok;

	if (it->delayed)
		ok = cmwq_queue_delayed_work_on_ns(cpu, wq, &it->dw, delay_ns);
	else
		ok = queue_work_on(cpu, wq, &it->dw.work);
	if (ok)
		atomic_fetch_add(&it->q, 1);
}

/*
 * Disable @it (once or nested twice), check that it refuses queueing
 * while disabled and, after a sync disable, does not run; then enable.
 */
static void item_disable(struct item *it, struct rng *r)
{
	bool sync = rng_below(r, 2), nested = rng_below(r, 4) == 0;
	struct slot *sl = &slots[rng_below(r, NSLOTS)];
	unsigned long x0;
	bool ok;

	pthread_rwlock_wrlock(&it->ctl);
	if (it->delayed)
		item_remove(it, sync ? do_disable_d_sync : do_disable_d);
	else
		item_remove(it, sync ? do_disable_sync : do_disable);
	if (nested) {
		/* Disabled: nothing can be pending. */
		if (it->delayed)
			ok = item_remove(it, do_disable_d);
		else
			ok = item_remove(it, do_disable);
		EXPECT(!ok, "item %d: second disable found it pending",
		       it->idx);
	}
	/*
	 * Only RUNNING is checked: a concurrent cancel_work (which takes no
	 * lock here) owns PENDING for a moment even on a disabled item.
	 */
	if (sync)
		EXPECT(!(work_busy(&it->dw.work) & WORK_BUSY_RUNNING) &&
			       atomic_load(&it->inflight) == 0,
		       "item %d: running after disable_work_sync", it->idx);
	x0 = atomic_load(&it->x);
	/* Lock order is slot before item: only try the slot here. */
	if (pthread_rwlock_tryrdlock(&sl->lock) == 0) {
		if (sl->wq) {
			if (it->delayed) {
				EXPECT(!cmwq_queue_delayed_work_on_ns(
					       WORK_CPU_UNBOUND, sl->wq,
					       &it->dw, rng_below(r, 2) * 1000),
				       "item %d: disabled item queued",
				       it->idx);
				EXPECT(!mod_delayed_work(sl->wq, &it->dw, 0),
				       "item %d: mod_delayed_work of a "
				       "disabled item returned true",
				       it->idx);
			} else {
				EXPECT(!queue_work(sl->wq, &it->dw.work),
				       "item %d: disabled item queued",
				       it->idx);
			}
		}
		pthread_rwlock_unlock(&sl->lock);
	}
	if (sync) {
		usleep(rng_below(r, 200));
		EXPECT(atomic_load(&it->x) == x0 &&
			       atomic_load(&it->inflight) == 0,
		       "item %d: ran while disabled (%lu -> %lu runs)", it->idx,
		       x0, atomic_load(&it->x));
	}
	if (nested)
		EXPECT(!enable_work(&it->dw.work),
		       "item %d: enable_work of a twice-disabled item "
		       "returned true",
		       it->idx);
	EXPECT(enable_work(&it->dw.work),
	       "item %d: last enable_work returned false", it->idx);
	pthread_rwlock_unlock(&it->ctl);
}

/*
 * flush_work: every instance queued before the call has run, unless a
 * cancel took one off meanwhile.  flush_work waits behind the last queued
 * instance; if a cancel removes that one, the flush ends at once (as in the
 * kernel) even though an earlier instance may still run.  So the check
 * applies only when no cancel-like call succeeded or was in progress
 * while the flush ran; otherwise it is counted as skipped.
 */
static atomic_ullong flush_checks_skipped;

static void item_flush(struct item *it)
{
	unsigned long qb = atomic_load(&it->q), c0, x, c;
	long ci0, ci;

	ci0 = atomic_load(&it->ci);
	c0 = atomic_load(&it->c);
	if (it->delayed)
		flush_delayed_work(&it->dw);
	else
		flush_work(&it->dw.work);
	/* ci before c: a canceller bumps c before it drops ci. */
	ci = atomic_load(&it->ci);
	c = atomic_load(&it->c);
	x = atomic_load(&it->x);
	if (ci0 || ci || c != c0) {
		atomic_fetch_add_explicit(&flush_checks_skipped, 1,
					  memory_order_relaxed);
		return;
	}
	EXPECT(x + c >= qb,
	       "item %d (%s): flush returned before an instance queued "
	       "before it ran (runs %lu + cancels %lu < queued %lu)",
	       it->idx, it->delayed ? "delayed" : "plain", x, c, qb);
}

static void do_op(int op, struct rng *r)
{
	struct item *it = &items[rng_below(r, opt.items)];
	struct slot *sl = &slots[rng_below(r, NSLOTS)];
	int cpu = rng_below(r, 3) ? WORK_CPU_UNBOUND :
				    (int)rng_below(r, (unsigned int)nr_cpus);
	unsigned long long delay =
		rng_below(r, 3) ? 0 : 1000ull * rng_below(r, 3000);
	bool ok;

	atomic_fetch_add_explicit(&op_count[op], 1, memory_order_relaxed);
	switch (op) {
	case OP_QUEUE:
	case OP_QUEUE_ON:
	case OP_QUEUE_DELAYED:
		pthread_rwlock_rdlock(&sl->lock);
		if (sl->wq)
			item_queue(it, sl->wq,
				   op == OP_QUEUE ? WORK_CPU_UNBOUND : cpu,
				   op == OP_QUEUE_DELAYED ? delay : 0);
		pthread_rwlock_unlock(&sl->lock);
		break;
	case OP_MOD_DELAYED:
		pthread_rwlock_rdlock(&sl->lock);
		if (!sl->wq) {
			pthread_rwlock_unlock(&sl->lock);
			break;
		}
		if (!it->delayed) {
			item_queue(it, sl->wq, cpu, 0);
		} else if (pthread_rwlock_tryrdlock(&it->ctl) == 0) {
			/*
			 * true: a pending instance was replaced (one taken
			 * off, one queued); false: idle, now armed.
			 */
			atomic_fetch_add(&it->ci, 1);
			ok = cmwq_mod_delayed_work_on_ns(cpu, sl->wq, &it->dw,
							 delay);
			if (ok)
				atomic_fetch_add(&it->c, 1);
			atomic_fetch_add(&it->q, 1);
			atomic_fetch_sub(&it->ci, 1);
			pthread_rwlock_unlock(&it->ctl);
		}
		pthread_rwlock_unlock(&sl->lock);
		break;
	case OP_CANCEL:
		item_remove(it, it->delayed ? do_cancel_d : do_cancel);
		break;
	case OP_CANCEL_SYNC:
		pthread_rwlock_wrlock(&it->ctl);
		item_remove(it,
			    it->delayed ? do_cancel_d_sync : do_cancel_sync);
		pthread_rwlock_unlock(&it->ctl);
		break;
	case OP_DISABLE:
		item_disable(it, r);
		break;
	case OP_FLUSH_WORK:
		item_flush(it);
		break;
	case OP_FLUSH_WQ:
		pthread_rwlock_rdlock(&sl->lock);
		if (sl->wq)
			flush_wq_check(sl);
		pthread_rwlock_unlock(&sl->lock);
		break;
	case OP_PROBE:
		pthread_rwlock_rdlock(&sl->lock);
		if (sl->wq)
			probe_queue(sl, r);
		pthread_rwlock_unlock(&sl->lock);
		break;
	case OP_SET_MAX_ACTIVE:
		pthread_rwlock_rdlock(&sl->lock);
		if (sl->wq && !sl->kind->ordered)
			workqueue_set_max_active(sl->wq,
						 1 + (int)rng_below(r, 4));
		pthread_rwlock_unlock(&sl->lock);
		break;
	case OP_DESTROY:
		slot_recreate(sl, r);
		break;
	}
}

static unsigned int weight_sum;

static int pick_op(struct rng *r)
{
	unsigned int w = rng_below(r, weight_sum);
	int op;

	for (op = 0; op < NR_OPS - 1; op++) {
		if (w < op_weight[op])
			return op;
		w -= op_weight[op];
	}
	return op;
}

static void *torture_thread(void *arg)
{
	struct rng r;

	rng_init(&r, opt.seed, (uint64_t)(uintptr_t)arg + 1);
	for (;;) {
		if (atomic_load(&pause_req)) {
			pthread_barrier_wait(&epoch_barrier);
			pthread_barrier_wait(&epoch_barrier);
			if (atomic_load(&stop_req))
				break;
			continue;
		}
		do_op(pick_op(&r), &r);
	}
	return NULL;
}

/* ---- quiescent checks (all torture threads paused) ---- */

static bool everything_idle(void)
{
	unsigned int i;
	int s, p;

	for (i = 0; i < opt.items; i++)
		if (work_busy(&items[i].dw.work))
			return false;
	for (s = 0; s < NSLOTS; s++)
		for (p = 0; p < NPROBES; p++)
			if (work_busy(&slots[s].probes[p].work))
				return false;
	return true;
}

static void quiescent_check(void)
{
	unsigned int i, round;
	int s, p;

	atomic_store(&quiescing, 1);
	for (round = 0;; round++) {
		for (i = 0; i < opt.items; i++) {
			if (items[i].delayed)
				flush_delayed_work(&items[i].dw);
			else
				flush_work(&items[i].dw.work);
		}
		for (s = 0; s < NSLOTS; s++)
			for (p = 0; p < NPROBES; p++)
				flush_work(&slots[s].probes[p].work);
		if (everything_idle())
			break;
		if (round == 1000) {
			violation("work still busy after %u flush rounds",
				  round);
			break;
		}
	}
	for (i = 0; i < opt.items; i++) {
		struct item *it = &items[i];
		unsigned long q = atomic_load(&it->q), c = atomic_load(&it->c);
		unsigned long x = atomic_load(&it->x);

		EXPECT(x + c == q && atomic_load(&it->ci) == 0 &&
			       atomic_load(&it->inflight) == 0,
		       "item %u: %lu runs + %lu cancels != %lu queues", i, x, c,
		       q);
	}
	for (s = 0; s < NSLOTS; s++) {
		struct slot *sl = &slots[s];

		for (p = 0; p < NPROBES; p++) {
			struct probe *pr = &sl->probes[p];

			EXPECT(atomic_load(&pr->x) == atomic_load(&pr->q) &&
				       !atomic_load(&pr->armed),
			       "%s: probe %d: %lu runs of %lu queues",
			       sl->kind->name, p, atomic_load(&pr->x),
			       atomic_load(&pr->q));
		}
		if (sl->kind->ordered)
			EXPECT(atomic_load(&sl->last_seq) ==
				       atomic_load(&sl->next_seq),
			       "%s: last sequence run %lu, last given %lu",
			       sl->kind->name, atomic_load(&sl->last_seq),
			       atomic_load(&sl->next_seq));
	}
	atomic_store(&quiescing, 0);
}

/* ---- main ---- */

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--seed N] [--seconds S] [--threads T] "
		"[--items I] [--epoch-ms MS] [--ops OP,OP...] [--verbose]\n"
		"operations:",
		prog);
	for (int op = 0; op < NR_OPS; op++)
		fprintf(stderr, " %s", op_names[op]);
	fprintf(stderr, "\n");
	exit(2);
}

/* Keep only the operations named in @list (comma separated). */
static void select_ops(const char *list, const char *prog)
{
	bool keep[NR_OPS] = { false };
	const char *p = list;
	int op;

	while (*p) {
		size_t n = strcspn(p, ",");

		for (op = 0; op < NR_OPS; op++)
			if (strlen(op_names[op]) == n &&
			    !strncmp(op_names[op], p, n))
				break;
		if (op == NR_OPS)
			usage(prog);
		keep[op] = true;
		p += n + (p[n] == ',');
	}
	for (op = 0; op < NR_OPS; op++)
		if (!keep[op])
			op_weight[op] = 0;
}

static void parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seed", required_argument, 0, 's' },
		{ "seconds", required_argument, 0, 'd' },
		{ "threads", required_argument, 0, 't' },
		{ "items", required_argument, 0, 'i' },
		{ "epoch-ms", required_argument, 0, 'e' },
		{ "ops", required_argument, 0, 'o' },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	bool seeded = false;
	int c;

	opt.seconds = DFL_SECONDS;
	opt.threads = DFL_THREADS;
	opt.items = DFL_ITEMS;
	opt.epoch_ms = DFL_EPOCH_MS;
	while ((c = getopt_long(argc, argv, "s:d:t:i:e:o:vh", lo, NULL)) !=
	       -1) {
		switch (c) {
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'd':
			opt.seconds = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt.threads = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'i':
			opt.items = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'e':
			opt.epoch_ms = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'o':
			opt.ops = optarg;
			break;
		case 'v':
			opt.verbose = true;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc || !opt.threads || !opt.items || !opt.epoch_ms)
		usage(argv[0]);
	if (opt.ops)
		select_ops(opt.ops, argv[0]);
	if (!seeded) {
		uint64_t s = harness_now_ns() ^ ((uint64_t)getpid() << 32);

		opt.seed = splitmix64(&s);
	}
}

static void setup(void)
{
	struct rng r;
	unsigned int i;
	int s, p;

	rng_init(&r, opt.seed, 0);
	items = calloc(opt.items, sizeof(*items));
	CHECK(items);
	for (i = 0; i < opt.items; i++) {
		struct item *it = &items[i];

		it->idx = (int)i;
		it->delayed = !(i & 1);
		if (it->delayed)
			INIT_DELAYED_WORK(&it->dw, item_fn);
		else
			INIT_WORK(&it->dw.work, item_fn);
		rwlock_init_wpref(&it->ctl);
	}
	for (s = 0; s < NSLOTS; s++) {
		struct slot *sl = &slots[s];

		sl->kind = &kinds[s];
		rwlock_init_wpref(&sl->lock);
		pthread_mutex_init(&sl->ord_lock, NULL);
		for (p = 0; p < NPROBES; p++) {
			sl->probes[p].slot = sl;
			INIT_WORK(&sl->probes[p].work, probe_fn);
		}
		INIT_DELAYED_WORK(&sl->ebusy, ebusy_fn);
		sl->wq = slot_alloc(sl, &r);
	}
}

static void teardown(void)
{
	unsigned int i;
	int s;

	atomic_store(&quiescing, 1);
	for (i = 0; i < opt.items; i++)
		if (items[i].delayed)
			item_remove(&items[i], do_cancel_d_sync);
	for (s = 0; s < NSLOTS; s++) {
		struct slot *sl = &slots[s];

		if (sl->wq)
			EXPECT(cmwq_destroy_workqueue(sl->wq) == 0,
			       "%s: final destroy refused", sl->kind->name);
		sl->wq = NULL;
		pthread_rwlock_destroy(&sl->lock);
		pthread_mutex_destroy(&sl->ord_lock);
	}
	/* Items requeued on the system workqueues may still run. */
	for (i = 0; i < opt.items; i++) {
		if (items[i].delayed)
			item_remove(&items[i], do_cancel_d_sync);
		else
			item_remove(&items[i], do_cancel_sync);
	}
	for (i = 0; i < opt.items; i++) {
		struct item *it = &items[i];

		EXPECT(atomic_load(&it->x) + atomic_load(&it->c) ==
			       atomic_load(&it->q),
		       "item %u: final count off", i);
		pthread_rwlock_destroy(&it->ctl);
	}
	free(items);
}

int main(int argc, char **argv)
{
	unsigned long long start, end, now, next_epoch, next_report, total;
	unsigned long epochs = 0, destroys;
	pthread_t *tids;
	unsigned int i;
	double secs;
	int op;

	parse_args(argc, argv);
	harness_watchdog(opt.seconds * 2 + 300);
	nr_cpus = cmwq_nr_cpus();
	for (op = 0; op < NR_OPS; op++)
		weight_sum += op_weight[op];
	if (!weight_sum)
		usage(argv[0]);
	printf("torture: seed 0x%016" PRIx64 " threads %u items %u seconds %u "
	       "cpus %d ops %s (reproduce: --seed 0x%016" PRIx64 ")\n",
	       opt.seed, opt.threads, opt.items, opt.seconds, nr_cpus,
	       opt.ops ? opt.ops : "all", opt.seed);
	fflush(stdout);
	setup();

	tids = calloc(opt.threads, sizeof(*tids));
	CHECK(tids);
	CHECK(pthread_barrier_init(&epoch_barrier, NULL, opt.threads + 1) == 0);
	start = harness_now_ns();
	for (i = 0; i < opt.threads; i++)
		CHECK(pthread_create(&tids[i], NULL, torture_thread,
				     (void *)(uintptr_t)i) == 0);
	end = start + opt.seconds * 1000000000ull;
	next_epoch = start + opt.epoch_ms * 1000000ull;
	next_report = start + 60 * 1000000000ull;
	for (;;) {
		now = harness_now_ns();
		if (now < next_epoch && now < end) {
			harness_sleep_ms(5);
			continue;
		}
		/* Pause the threads, check, let them go (or stop them). */
		atomic_store(&pause_req, 1);
		pthread_barrier_wait(&epoch_barrier);
		quiescent_check();
		epochs++;
		/*
		 * Pausing and flushing everything takes milliseconds: a
		 * long one means work sat queued with nobody woken for it
		 * (the pool recovered later, e.g. when idle workers were
		 * reaped).
		 */
		EXPECT(harness_now_ns() - now < STALL_NS,
		       "pausing and flushing took %llu s: a stall (lost "
		       "wake-up?)",
		       (harness_now_ns() - now) / 1000000000ull);
		now = harness_now_ns();
		if (now >= end)
			atomic_store(&stop_req, 1);
		atomic_store(&pause_req, 0);
		if (opt.verbose || now >= next_report) {
			printf("torture: %llu s, %llu checks passed, %llu "
			       "violations\n",
			       (now - start) / 1000000000ull,
			       (unsigned long long)atomic_load(&checks_passed),
			       (unsigned long long)atomic_load(&violations));
			fflush(stdout);
			next_report = now + 60 * 1000000000ull;
		}
		pthread_barrier_wait(&epoch_barrier);
		if (atomic_load(&stop_req))
			break;
		next_epoch = now + opt.epoch_ms * 1000000ull;
	}
	for (i = 0; i < opt.threads; i++)
		pthread_join(tids[i], NULL);
	secs = (double)(harness_now_ns() - start) / 1e9;
	pthread_barrier_destroy(&epoch_barrier);
	free(tids);
	destroys = (unsigned long)atomic_load(&op_count[OP_DESTROY]);
	teardown();

	total = 0;
	for (op = 0; op < NR_OPS; op++)
		total += atomic_load(&op_count[op]);
	printf("torture: ops");
	for (op = 0; op < NR_OPS; op++)
		printf(" %s=%llu", op_names[op],
		       (unsigned long long)atomic_load(&op_count[op]));
	printf("\n");
	printf("torture: %llu operations in %.1f s = %.0f ops/s; %lu "
	       "quiescent epochs, %lu destroy/recreate\n",
	       total, secs, (double)total / secs, epochs, destroys);
	printf("torture: %llu invariant checks passed, %llu violations "
	       "(seed 0x%016" PRIx64 "); %llu flush checks skipped (a "
	       "cancel raced)\n",
	       (unsigned long long)atomic_load(&checks_passed),
	       (unsigned long long)atomic_load(&violations), opt.seed,
	       (unsigned long long)atomic_load(&flush_checks_skipped));
	printf("torture: fault points walked: %u (threads %llu, allocations "
	       "%llu failures injected)\n",
	       cmwq_fault_points(),
	       (unsigned long long)cmwq_fault_injected(CMWQ_FAULT_THREAD),
	       (unsigned long long)cmwq_fault_injected(CMWQ_FAULT_ALLOC));
	return atomic_load(&violations) ? 1 : 0;
}
