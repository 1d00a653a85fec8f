/* SPDX-License-Identifier: MIT */
/*
 * Self-re-arming items and destroy_workqueue with armed items.
 *
 * rearm: eight 1 ms items re-arm themselves (queue_delayed_work or
 * mod_delayed_work, on bound, unbound, ordered and high-priority queues,
 * bound ones alternating CPUs); four threads stop them at once with
 * cancel_delayed_work_sync, two threads per item.  After the cancels
 * return no item runs again and none is pending; queued again, each runs
 * again (the cancel left it enabled).  prop09_delayed covers one such item
 * on system_wq without concurrency.
 *
 * destroy: a workqueue with many armed items (every CPU, two delays)
 * refuses destroy_workqueue with -EBUSY and a diagnostic, keeps its items
 * armed and keeps running work; once all but one are cancelled it still
 * refuses, after the last one it is destroyed.
 *
 * destroy_expiring: items that expire while destroy_workqueue is called in
 * a loop: when it finally succeeds, every item has run exactly once.  An
 * item that never ran means destroy_workqueue saw no armed item and freed
 * the queue while the timer service was queueing an expired item on it
 * (the timer drops nr_armed after queueing, destroy drains before reading
 * it); under ASan that is a heap-use-after-free of the pwq.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"
#include "timer_common.h"

#define NREARM 8

struct ritem {
	struct delayed_work dw;
	struct workqueue_struct *wq;
	int idx;
	atomic_int runs, inside, overlaps;
	atomic_int stopped; /* set once its cancel returned */
	atomic_int after_stop; /* runs that started after that */
};

static struct ritem ritems[NREARM];
static struct workqueue_struct *wq_bound, *wq_unbound, *wq_ordered;
static atomic_int go;

static void ritem_fn(struct work_struct *w)
{
	struct ritem *it = container_of(to_delayed_work(w), struct ritem, dw);
	int n;

	if (atomic_load(&it->stopped))
		atomic_fetch_add(&it->after_stop, 1);
	if (atomic_exchange(&it->inside, 1))
		atomic_fetch_add(&it->overlaps, 1);
	n = atomic_fetch_add(&it->runs, 1);
	atomic_store(&it->inside, 0);
	/*
	 * Re-arm in 1 ms.  A bound item alternates CPUs; half the items use
	 * mod_delayed_work, which must also be refused while a cancel_sync
	 * holds the item disabled.
	 */
	if (it->wq == wq_bound) {
		int cpu =
			timer_cpus[(unsigned int)n % (unsigned int)timer_ncpus];

		if (it->idx & 1)
			mod_delayed_work_on(cpu, it->wq, &it->dw, 1);
		else
			queue_delayed_work_on(cpu, it->wq, &it->dw, 1);
	} else if (it->idx & 1) {
		mod_delayed_work(it->wq, &it->dw, 1);
	} else {
		queue_delayed_work(it->wq, &it->dw, 1);
	}
}

static void *stopper(void *arg)
{
	int k = (int)(long)arg, j;

	while (!atomic_load(&go))
		;
	/* Thread k stops items 2k, 2k+1 and helps with the next pair. */
	for (j = 0; j < 4; j++) {
		struct ritem *it = &ritems[(2 * k + j) % NREARM];

		cancel_delayed_work_sync(&it->dw);
		atomic_store(&it->stopped, 1);
		CHECK(!delayed_work_pending(&it->dw));
		CHECK(!(work_busy(&it->dw.work) & WORK_BUSY_RUNNING));
	}
	return NULL;
}

static bool all_ran(int min)
{
	int i;

	for (i = 0; i < NREARM; i++)
		if (atomic_load(&ritems[i].runs) < min)
			return false;
	return true;
}

static void test_rearm_stopped(void)
{
	struct workqueue_struct *wqs[4] = { wq_bound, wq_unbound, wq_ordered,
					    system_highpri_wq };
	pthread_t th[4];
	int round, i, n[NREARM];

	for (i = 0; i < NREARM; i++) {
		ritems[i].wq = wqs[i % 4];
		ritems[i].idx = i;
		INIT_DELAYED_WORK(&ritems[i].dw, ritem_fn);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < NREARM; i++) {
			struct ritem *it = &ritems[i];

			atomic_store(&it->runs, 0);
			atomic_store(&it->stopped, 0);
			atomic_store(&it->after_stop, 0);
			atomic_store(&it->overlaps, 0);
			/* Enabled again by the last round's cancel_sync. */
			CHECK(queue_delayed_work(it->wq, &it->dw, round % 2));
		}
		CHECK(WAIT_UNTIL(all_ran(5), HARNESS_SLOW(5000)));
		atomic_store(&go, 0);
		for (i = 0; i < 4; i++)
			CHECK(!pthread_create(&th[i], NULL, stopper,
					      (void *)(long)i));
		atomic_store(&go, 1);
		for (i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
		for (i = 0; i < NREARM; i++)
			n[i] = atomic_load(&ritems[i].runs);
		harness_sleep_ms(50);
		for (i = 0; i < NREARM; i++) {
			struct ritem *it = &ritems[i];

			CHECK_EQ(atomic_load(&it->runs), n[i]);
			CHECK_EQ(atomic_load(&it->after_stop), 0);
			CHECK_EQ(atomic_load(&it->overlaps), 0);
			CHECK(!delayed_work_pending(&it->dw));
			CHECK(!cancel_delayed_work(&it->dw));
		}
	}
}

/* destroy_workqueue with armed items */
static atomic_int plain_runs, armed_runs;

static void plain_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&plain_runs, 1);
}

static void armed_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&armed_runs, 1);
}

#define NARMED HARNESS_SCALE(1000)
static struct delayed_work armed[1000];

static void *cancel_half(void *arg)
{
	int k = (int)(long)arg, i;

	/* All but the last item; odd ones synchronously. */
	for (i = k; i < NARMED - 1; i += 2)
		CHECK(i & 1 ? cancel_delayed_work_sync(&armed[i]) :
			      cancel_delayed_work(&armed[i]));
	return NULL;
}

static void test_destroy_armed(void)
{
	struct workqueue_struct *wq = alloc_workqueue("tdestroy", 0, 0);
	struct harness_capture cap;
	struct work_struct plain;
	pthread_t th[2];
	bool said;
	int i, ret;

	CHECK(wq);
	atomic_store(&armed_runs, 0);
	atomic_store(&plain_runs, 0);
	for (i = 0; i < NARMED; i++) {
		INIT_DELAYED_WORK(&armed[i], armed_fn);
		CHECK(queue_delayed_work_on(
			timer_cpus[i % timer_ncpus], wq, &armed[i],
			i % 2 ? TIMER_LONG_DELAY : 2 * TIMER_LONG_DELAY));
	}
	harness_capture_begin(&cap);
	ret = cmwq_destroy_workqueue(wq);
	said = harness_capture_end(&cap, "armed");
	CHECK_EQ(ret, -EBUSY);
	CHECK(said);

	/* Nothing was freed or fired; the queue still runs work. */
	for (i = 0; i < NARMED; i++)
		CHECK(delayed_work_pending(&armed[i]));
	INIT_WORK(&plain, plain_fn);
	CHECK(queue_work(wq, &plain));
	flush_work(&plain);
	CHECK_EQ(atomic_load(&plain_runs), 1);

	for (i = 0; i < 2; i++)
		CHECK(!pthread_create(&th[i], NULL, cancel_half,
				      (void *)(long)i));
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK(delayed_work_pending(&armed[NARMED - 1]));
	harness_capture_begin(&cap);
	ret = cmwq_destroy_workqueue(wq);
	said = harness_capture_end(&cap, "armed");
	CHECK_EQ(ret, -EBUSY);
	CHECK(said);

	CHECK(cancel_delayed_work_sync(&armed[NARMED - 1]));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	CHECK_EQ(atomic_load(&armed_runs), 0);
}

/* destroy_workqueue while its items expire */
#define NEXP 64
static struct delayed_work expiring[NEXP];
static atomic_int exp_runs[NEXP];

static void exp_fn(struct work_struct *w)
{
	atomic_fetch_add(&exp_runs[to_delayed_work(w) - expiring], 1);
}

/* Send fd 2 to /dev/null (the expected diagnostics) and back. */
static int quiet_begin(void)
{
	int saved, null;

	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	CHECK(saved >= 0 && null >= 0);
	CHECK(dup2(null, 2) == 2);
	close(null);
	return saved;
}

static void quiet_end(int saved)
{
	fflush(stderr);
	CHECK(dup2(saved, 2) == 2);
	close(saved);
}

static void test_destroy_expiring(void)
{
	int round, i, tries, refused = 0;

	for (round = 0; round < HARNESS_SCALE(200); round++) {
		struct workqueue_struct *wq = alloc_workqueue(
			"texp%d", round % 2 ? WQ_UNBOUND : 0, 0, round);
		int ret, saved;

		CHECK(wq);
		for (i = 0; i < NEXP; i++) {
			atomic_store(&exp_runs[i], 0);
			INIT_DELAYED_WORK(&expiring[i], exp_fn);
			CHECK(cmwq_queue_delayed_work_on_ns(
				timer_cpus[i % timer_ncpus], wq, &expiring[i],
				(unsigned long long)(i % 16) * 100000ull +
					1000000ull));
		}
		harness_sleep_ms(1);
		saved = quiet_begin();
		for (tries = 0;; tries++) {
			ret = cmwq_destroy_workqueue(wq);
			if (ret != -EBUSY || tries > HARNESS_SLOW(100000))
				break;
			if (tries % 8 == 7)
				usleep(50);
		}
		quiet_end(saved);
		CHECK_EQ(ret, 0);
		refused += tries;
		for (i = 0; i < NEXP; i++)
			CHECK_EQ(atomic_load(&exp_runs[i]), 1);
	}
	fprintf(stderr, "test: destroy refused %d times in all\n", refused);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	timer_seed_init("timer_rearm_destroy");
	timer_cpus_init();
	wq_bound = alloc_workqueue("trearm-b", 0, 0);
	wq_unbound = alloc_workqueue("trearm-u", WQ_UNBOUND, 0);
	wq_ordered = alloc_ordered_workqueue("trearm-o", 0);
	CHECK(wq_bound && wq_unbound && wq_ordered);
	RUN_TEST(test_rearm_stopped);
	RUN_TEST(test_destroy_armed);
	RUN_TEST(test_destroy_expiring);
	CHECK_EQ(cmwq_destroy_workqueue(wq_bound), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq_unbound), 0);
	CHECK_EQ(cmwq_destroy_workqueue(wq_ordered), 0);
	return 0;
}
