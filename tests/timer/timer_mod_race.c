/* SPDX-License-Identifier: MIT */
/*
 * mod_delayed_work re-arming, later and earlier, from several threads at
 * once on the same items.
 *
 * Every call that finds an item idle starts a new pending period, and each
 * pending period ends in exactly one run unless it is still armed at the
 * end.  mod_delayed_work returns false exactly when it found the item idle;
 * queue_delayed_work returns true exactly then.  So per item:
 *
 *   later:   armed at 1-20 ms, then two threads (in opposite orders) move
 *            it to a long delay:  runs == mod falses, and it stays pending;
 *   earlier: armed at a long delay, then two threads mod it to 0-10 ms
 *            while a third calls queue_delayed_work (1-10 ms):
 *            runs == 1 + mod falses + queue trues, and it ends idle.
 *
 * An item never runs concurrently with itself, and the calls that find the
 * item being handed from the timer to its queue must wait, not lose it.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"
#include "timer_common.h"

#define NITEMS HARNESS_SCALE(2000)
#define ROUNDS 4

struct mitem {
	struct delayed_work dw;
	atomic_int runs, inside, overlaps;
	atomic_int mod_false, queue_true;
};

static struct mitem items[2000];
static struct workqueue_struct *wqs[3];
static atomic_int go, ready;

static void mitem_fn(struct work_struct *w)
{
	struct mitem *it = container_of(to_delayed_work(w), struct mitem, dw);

	if (atomic_exchange(&it->inside, 1))
		atomic_fetch_add(&it->overlaps, 1);
	atomic_fetch_add(&it->runs, 1);
	atomic_store(&it->inside, 0);
}

static struct workqueue_struct *item_wq(int i)
{
	return wqs[i % 3];
}

static int item_cpu(int i)
{
	return i % 3 ? WORK_CPU_UNBOUND :
		       timer_cpus[(i / 3) % (unsigned int)timer_ncpus];
}

static void reset_items(void)
{
	int i;

	for (i = 0; i < NITEMS; i++) {
		INIT_DELAYED_WORK(&items[i].dw, mitem_fn);
		atomic_store(&items[i].runs, 0);
		atomic_store(&items[i].inside, 0);
		atomic_store(&items[i].overlaps, 0);
		atomic_store(&items[i].mod_false, 0);
		atomic_store(&items[i].queue_true, 0);
	}
}

struct racer {
	pthread_t th;
	int kind; /* 0: mod later, 1: mod earlier, 2: queue earlier */
	bool backwards;
	unsigned long long rs;
};

static void *racer_fn(void *arg)
{
	struct racer *r = arg;
	int n, i;

	atomic_fetch_add(&ready, 1);
	while (!atomic_load(&go))
		;
	for (n = 0; n < NITEMS; n++) {
		struct mitem *it;
		unsigned long d;

		i = r->backwards ? NITEMS - 1 - n : n;
		it = &items[i];
		switch (r->kind) {
		case 0:
			if (!mod_delayed_work_on(item_cpu(i), item_wq(i),
						 &it->dw, TIMER_LONG_DELAY))
				atomic_fetch_add(&it->mod_false, 1);
			break;
		case 1:
			d = timer_rand_range(&r->rs, 0, 10);
			if (!mod_delayed_work_on(item_cpu(i), item_wq(i),
						 &it->dw, d))
				atomic_fetch_add(&it->mod_false, 1);
			break;
		default:
			d = timer_rand_range(&r->rs, 1, 10);
			if (queue_delayed_work_on(item_cpu(i), item_wq(i),
						  &it->dw, d))
				atomic_fetch_add(&it->queue_true, 1);
			break;
		}
		/* Now and then let the timers catch up with the racers. */
		if (timer_rand(&r->rs) % 256 == 0)
			harness_sleep_ms(1);
	}
	return NULL;
}

static void race(struct racer *r, int nr)
{
	int i;

	atomic_store(&go, 0);
	atomic_store(&ready, 0);
	for (i = 0; i < nr; i++)
		CHECK(!pthread_create(&r[i].th, NULL, racer_fn, &r[i]));
	while (atomic_load(&ready) < nr)
		harness_sleep_ms(1);
	atomic_store(&go, 1);
	for (i = 0; i < nr; i++)
		pthread_join(r[i].th, NULL);
}

static bool later_settled(void)
{
	int i;

	for (i = 0; i < NITEMS; i++)
		if (atomic_load(&items[i].runs) !=
		    atomic_load(&items[i].mod_false))
			return false;
	return true;
}

/* Short timers moved far out while they expire. */
static void test_mod_later(void)
{
	struct racer r[2];
	int round, i, fired = 0;

	for (round = 0; round < ROUNDS; round++) {
		unsigned long long rs = timer_stream(100 + round);

		reset_items();
		for (i = 0; i < 2; i++) {
			r[i].kind = 0;
			r[i].backwards = i;
			r[i].rs = timer_stream(200 + 2 * round + i);
		}
		for (i = 0; i < NITEMS; i++)
			CHECK(queue_delayed_work_on(
				item_cpu(i), item_wq(i), &items[i].dw,
				timer_rand_range(&rs, 1, 20)));
		race(r, 2);
		/* A run that a false return saw coming finishes soon. */
		CHECK(WAIT_UNTIL(later_settled(), HARNESS_SLOW(5000)));
		harness_sleep_ms(30);
		for (i = 0; i < NITEMS; i++) {
			struct mitem *it = &items[i];

			CHECK(atomic_load(&it->mod_false) <= 1);
			CHECK_EQ(atomic_load(&it->runs),
				 atomic_load(&it->mod_false));
			CHECK_EQ(atomic_load(&it->overlaps), 0);
			CHECK(delayed_work_pending(&it->dw));
			fired += atomic_load(&it->runs);
		}
		/* Everything is armed far out: each cancel finds it. */
		for (i = 0; i < NITEMS; i++)
			CHECK(i % 2 ? cancel_delayed_work(&items[i].dw) :
				      cancel_delayed_work_sync(&items[i].dw));
		harness_sleep_ms(5);
		for (i = 0; i < NITEMS; i++) {
			CHECK_EQ(atomic_load(&items[i].runs),
				 atomic_load(&items[i].mod_false));
			CHECK(!delayed_work_pending(&items[i].dw));
		}
	}
	fprintf(stderr,
		"test: %d rounds x %d items: %d fired before a mod moved "
		"them\n",
		ROUNDS, NITEMS, fired);
}

static bool earlier_settled(void)
{
	int i;

	for (i = 0; i < NITEMS; i++) {
		struct mitem *it = &items[i];

		if (delayed_work_pending(&it->dw) ||
		    atomic_load(&it->runs) !=
			    1 + atomic_load(&it->mod_false) +
				    atomic_load(&it->queue_true))
			return false;
	}
	return true;
}

/* Long timers pulled in, while a third thread tries to queue them. */
static void test_mod_earlier(void)
{
	struct racer r[3];
	int round, i, extra = 0;

	for (round = 0; round < ROUNDS; round++) {
		reset_items();
		for (i = 0; i < 3; i++) {
			r[i].kind = i < 2 ? 1 : 2;
			r[i].backwards = i == 1;
			r[i].rs = timer_stream(300 + 3 * round + i);
		}
		for (i = 0; i < NITEMS; i++)
			CHECK(queue_delayed_work_on(item_cpu(i), item_wq(i),
						    &items[i].dw,
						    TIMER_LONG_DELAY));
		race(r, 3);
		CHECK(WAIT_UNTIL(earlier_settled(), HARNESS_SLOW(5000)));
		for (i = 0; i < 3; i++)
			flush_workqueue(wqs[i]);
		harness_sleep_ms(20);
		for (i = 0; i < NITEMS; i++) {
			struct mitem *it = &items[i];

			CHECK_EQ(atomic_load(&it->runs),
				 1 + atomic_load(&it->mod_false) +
					 atomic_load(&it->queue_true));
			CHECK_EQ(atomic_load(&it->overlaps), 0);
			CHECK(!delayed_work_pending(&it->dw));
			extra += atomic_load(&it->runs) - 1;
		}
	}
	fprintf(stderr,
		"test: %d rounds x %d items: %d extra runs after an item "
		"fired mid-race\n",
		ROUNDS, NITEMS, extra);
}

int main(void)
{
	int i;

	harness_watchdog(HARNESS_SLOW(60));
	timer_seed_init("timer_mod_race");
	timer_cpus_init();
	wqs[0] = alloc_workqueue("tmod-b", 0, 0);
	wqs[1] = alloc_workqueue("tmod-u", WQ_UNBOUND, 0);
	wqs[2] = system_highpri_wq;
	CHECK(wqs[0] && wqs[1]);
	RUN_TEST(test_mod_later);
	RUN_TEST(test_mod_earlier);
	for (i = 0; i < 2; i++)
		CHECK_EQ(cmwq_destroy_workqueue(wqs[i]), 0);
	return 0;
}
