/* SPDX-License-Identifier: MIT */
/*
 * Timer service under load: 20,000 delayed items armed from four threads
 * with random delays of 1-50 ms; half of them are cancelled, with
 * cancel_delayed_work or cancel_delayed_work_sync, either a few items after
 * they were armed or later, racing with their expiry.
 *
 * Per item, exactly:
 *	a cancel that returned true:	the item never runs;
 *	otherwise:			the item runs once, never before its
 *					delay has passed.
 * After cancel_delayed_work_sync returned false the item has finished its
 * one run.  The items go to a bound workqueue (on every CPU), an unbound
 * one and system_wq.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"
#include "timer_common.h"

#define NITEMS HARNESS_SCALE(20000)
#define NTHREADS 4
#define PER_THREAD (NITEMS / NTHREADS)
#define MAX_DELAY_MS 50
/* Items armed between arming an item and an early cancel of it. */
#define LAG 8

enum { KEEP, CANCEL_EARLY, CANCEL_LATE };

struct titem {
	struct delayed_work dw;
	unsigned long long armed_ns; /* clock read before arming */
	unsigned long long delay_ns;
	atomic_int runs;
	atomic_int early; /* ran before its delay had passed */
	int role; /* KEEP, CANCEL_EARLY or CANCEL_LATE */
	bool sync; /* cancel with cancel_delayed_work_sync */
	bool hit; /* the cancel returned true */
};

static struct titem items[20000];
static struct workqueue_struct *wq_bound, *wq_unbound;
static atomic_int go;
static atomic_long hits_early, hits_late, misses;

static void titem_fn(struct work_struct *w)
{
	struct titem *it = container_of(to_delayed_work(w), struct titem, dw);
	unsigned long long now = harness_now_ns();

	if (now < it->armed_ns + it->delay_ns)
		atomic_fetch_add(&it->early, 1);
	atomic_fetch_add(&it->runs, 1);
}

static void arm(struct titem *it, unsigned int idx)
{
	struct workqueue_struct *wq;
	int cpu = WORK_CPU_UNBOUND;

	switch (idx % 3) {
	case 0:
		wq = wq_bound;
		cpu = timer_cpus[(idx / 3) % (unsigned int)timer_ncpus];
		break;
	case 1:
		wq = wq_unbound;
		break;
	default:
		wq = system_wq;
		break;
	}
	it->armed_ns = harness_now_ns();
	CHECK(queue_delayed_work_on(cpu, wq, &it->dw,
				    msecs_to_jiffies(it->delay_ns / 1000000)));
}

static void cancel(struct titem *it)
{
	bool ret;

	if (it->sync) {
		ret = cancel_delayed_work_sync(&it->dw);
		/* Not pending, not running: it ran once or never will. */
		CHECK_EQ(atomic_load(&it->runs), ret ? 0 : 1);
	} else {
		ret = cancel_delayed_work(&it->dw);
		if (ret)
			CHECK_EQ(atomic_load(&it->runs), 0);
	}
	CHECK(!delayed_work_pending(&it->dw));
	it->hit = ret;
	if (!ret)
		atomic_fetch_add(&misses, 1);
	else if (it->role == CANCEL_EARLY)
		atomic_fetch_add(&hits_early, 1);
	else
		atomic_fetch_add(&hits_late, 1);
}

static void *storm(void *arg)
{
	unsigned int k = (unsigned int)(long)arg;
	unsigned long long rs = timer_stream(k);
	struct titem *mine = &items[k * PER_THREAD];
	unsigned int i;

	for (i = 0; i < PER_THREAD; i++) {
		unsigned long long r = timer_rand(&rs);
		struct titem *it = &mine[i];

		it->delay_ns = (1 + r % MAX_DELAY_MS) * 1000000ull;
		it->role = (r >> 8) & 1 ?
				   ((r >> 9) & 1 ? CANCEL_LATE : CANCEL_EARLY) :
				   KEEP;
		it->sync = (r >> 10) & 1;
	}
	while (!atomic_load(&go))
		;
	for (i = 0; i < PER_THREAD; i++) {
		arm(&mine[i], k * PER_THREAD + i);
		if (i >= LAG && mine[i - LAG].role == CANCEL_EARLY)
			cancel(&mine[i - LAG]);
	}
	for (i = PER_THREAD - LAG; i < PER_THREAD; i++)
		if (mine[i].role == CANCEL_EARLY)
			cancel(&mine[i]);
	/*
	 * The late cancels race with expiry, spread over about the longest
	 * delay: some hit, some miss.
	 */
	for (i = 0; i < PER_THREAD; i++) {
		if (mine[i].role != CANCEL_LATE)
			continue;
		if (timer_rand(&rs) % (PER_THREAD / 4 / MAX_DELAY_MS + 1) == 0)
			harness_sleep_ms(1);
		cancel(&mine[i]);
	}
	return NULL;
}

static bool all_ran(void)
{
	int i;

	for (i = 0; i < NTHREADS * PER_THREAD; i++)
		if (!items[i].hit && atomic_load(&items[i].runs) != 1)
			return false;
	return true;
}

static void test_cancel_storm(void)
{
	pthread_t th[NTHREADS];
	unsigned long long t0;
	int i, n = NTHREADS * PER_THREAD, kept = 0, bad = 0;

	wq_bound = alloc_workqueue("tstorm-b", 0, 0);
	wq_unbound = alloc_workqueue("tstorm-u", WQ_UNBOUND, 0);
	CHECK(wq_bound && wq_unbound);
	for (i = 0; i < n; i++) {
		INIT_DELAYED_WORK(&items[i].dw, titem_fn);
		atomic_init(&items[i].runs, 0);
		atomic_init(&items[i].early, 0);
		items[i].hit = false;
	}
	for (i = 0; i < NTHREADS; i++)
		CHECK(!pthread_create(&th[i], NULL, storm, (void *)(long)i));
	t0 = harness_now_ns();
	atomic_store(&go, 1);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr,
		"test: %d items armed and half cancelled in %.1f ms: "
		"%ld early hits, %ld late hits, %ld misses (ran first)\n",
		n, (harness_now_ns() - t0) / 1e6, atomic_load(&hits_early),
		atomic_load(&hits_late), atomic_load(&misses));
	/* At least some of the cancels must have found their item armed. */
	CHECK(atomic_load(&hits_early) + atomic_load(&hits_late) > 0);

	CHECK(WAIT_UNTIL(all_ran(), HARNESS_SLOW(10000)));
	/* Past every deadline: nothing more may run. */
	harness_sleep_ms(MAX_DELAY_MS + 20);
	flush_workqueue(wq_bound);
	flush_workqueue(wq_unbound);
	flush_workqueue(system_wq);
	for (i = 0; i < n; i++) {
		struct titem *it = &items[i];
		int runs = atomic_load(&it->runs);

		kept += !it->hit;
		if (runs != (it->hit ? 0 : 1) || atomic_load(&it->early) ||
		    delayed_work_pending(&it->dw)) {
			if (bad++ < 10)
				fprintf(stderr,
					"test: item %d (role %d, sync %d, "
					"hit %d, delay %llu ms) ran %d times, "
					"%d early\n",
					i, it->role, it->sync, it->hit,
					it->delay_ns / 1000000, runs,
					atomic_load(&it->early));
		}
	}
	fprintf(stderr, "test: %d items ran once, %d never ran\n", kept,
		n - kept);
	CHECK_EQ(bad, 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq_bound), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq_unbound), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	timer_seed_init("timer_cancel_storm");
	timer_cpus_init();
	RUN_TEST(test_cancel_storm);
	return 0;
}
