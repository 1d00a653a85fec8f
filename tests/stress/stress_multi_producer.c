/* SPDX-License-Identifier: MIT */
/*
 * Multi-producer stress: several threads make millions of queue calls on a
 * few hundred items over bound, high-priority and unbound workqueues, with
 * a sprinkling of cancel_work.  Per item, exactly:
 *	runs + successful cancels == true returns of queue calls,
 * and an item never runs concurrently with itself.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define NITEMS 300
#define NPROD 4

struct item {
	struct work_struct work;
	atomic_long trues, runs, cancels;
	atomic_int inside;
};

static struct item items[NITEMS];
static struct workqueue_struct *wqs[3];
static atomic_long overlaps;
static atomic_int go;
static long calls_per_thread;

static void item_fn(struct work_struct *w)
{
	struct item *it = container_of(w, struct item, work);

	if (atomic_exchange(&it->inside, 1))
		atomic_fetch_add(&overlaps, 1);
	atomic_fetch_add(&it->runs, 1);
	atomic_store(&it->inside, 0);
}

static unsigned long long xs(unsigned long long *s)
{
	unsigned long long x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void *producer(void *arg)
{
	unsigned long long seed = 0x9e3779b97f4a7c15ull * (2 + (long)arg);
	int ncpu = cmwq_nr_cpus();
	long i;

	while (!atomic_load(&go))
		;
	for (i = 0; i < calls_per_thread; i++) {
		unsigned long long r = xs(&seed);
		int idx = (int)(r % NITEMS);
		struct item *it = &items[idx];
		int cpu;

		if ((r >> 20) % 64 == 0) {
			if (cancel_work(&it->work))
				atomic_fetch_add(&it->cancels, 1);
			continue;
		}
		cpu = (r >> 30) % 4 == 0 ? WORK_CPU_UNBOUND :
					   (int)((r >> 32) % (unsigned)ncpu);
		if (!cmwq_cpu_possible(cpu))
			cpu = WORK_CPU_UNBOUND;
		if (queue_work_on(cpu, wqs[idx % 3], &it->work))
			atomic_fetch_add(&it->trues, 1);
	}
	return NULL;
}

int main(void)
{
	pthread_t th[NPROD];
	long t = 0, r = 0, c = 0;
	int i;

	harness_watchdog(HARNESS_SLOW(60));
	calls_per_thread = HARNESS_SCALE(2000000L) / NPROD;
	wqs[0] = alloc_workqueue("smp-b", WQ_PERCPU, 0);
	wqs[1] = alloc_workqueue("smp-h", WQ_HIGHPRI, 0);
	wqs[2] = alloc_workqueue("smp-u", WQ_UNBOUND, 0);
	CHECK(wqs[0] && wqs[1] && wqs[2]);
	for (i = 0; i < NITEMS; i++)
		INIT_WORK(&items[i].work, item_fn);
	for (i = 0; i < NPROD; i++)
		CHECK(!pthread_create(&th[i], NULL, producer, (void *)(long)i));
	atomic_store(&go, 1);
	for (i = 0; i < NPROD; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NITEMS; i++)
		flush_work(&items[i].work);
	for (i = 0; i < 3; i++)
		flush_workqueue(wqs[i]);
	for (i = 0; i < NITEMS; i++) {
		struct item *it = &items[i];

		CHECK(!work_busy(&it->work));
		if (atomic_load(&it->runs) + atomic_load(&it->cancels) !=
		    atomic_load(&it->trues))
			fprintf(stderr,
				"test: item %d: %ld runs + %ld cancels"
				" != %ld true returns\n",
				i, atomic_load(&it->runs),
				atomic_load(&it->cancels),
				atomic_load(&it->trues));
		CHECK_EQ(atomic_load(&it->runs) + atomic_load(&it->cancels),
			 atomic_load(&it->trues));
		t += atomic_load(&it->trues);
		r += atomic_load(&it->runs);
		c += atomic_load(&it->cancels);
	}
	fprintf(stderr, "test: %ld calls, %ld true, %ld runs, %ld cancels\n",
		calls_per_thread * NPROD, t, r, c);
	CHECK_EQ(atomic_load(&overlaps), 0);
	CHECK(r > 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(cmwq_destroy_workqueue(wqs[i]), 0);
	return 0;
}
