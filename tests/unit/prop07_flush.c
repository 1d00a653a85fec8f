/* SPDX-License-Identifier: MIT */
/*
 * Property 7: flush_work returns false for an idle item, otherwise only
 * after the last queued instance finished; flush_workqueue waits for all
 * queued before the call and nothing queued after; drain_workqueue accepts
 * only chained work.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

struct gated {
	struct work_struct work;
	struct completion release;
	atomic_int started;
	atomic_int finished;
};

static void gated_fn(struct work_struct *w)
{
	struct gated *g = container_of(w, struct gated, work);

	atomic_fetch_add(&g->started, 1);
	wait_for_completion(&g->release);
	atomic_fetch_add(&g->finished, 1);
}

static void gated_init(struct gated *g)
{
	INIT_WORK(&g->work, gated_fn);
	init_completion(&g->release);
	atomic_store(&g->started, 0);
	atomic_store(&g->finished, 0);
}

static atomic_int plain_runs;

static void plain_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&plain_runs, 1);
}

static void test_flush_idle(void)
{
	struct work_struct w;

	INIT_WORK(&w, plain_fn);
	atomic_store(&plain_runs, 0);
	CHECK(!flush_work(&w));
	CHECK(queue_work(system_wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&plain_runs) == 1, HARNESS_SLOW(5000)));
	CHECK(WAIT_UNTIL(!work_busy(&w), HARNESS_SLOW(5000)));
	CHECK(!flush_work(&w));
}

/* A thread that calls flush_work or flush_workqueue and says when done. */
struct flusher {
	pthread_t th;
	struct work_struct *work;
	struct workqueue_struct *wq;
	atomic_int tid;
	atomic_int done;
	atomic_int ret;
};

static void *flusher_main(void *arg)
{
	struct flusher *f = arg;

	atomic_store(&f->tid, harness_gettid());
	if (f->work) {
		atomic_store(&f->ret, flush_work(f->work));
	} else {
		flush_workqueue(f->wq);
		atomic_store(&f->ret, 1);
	}
	atomic_store(&f->done, 1);
	return NULL;
}

static void flusher_start(struct flusher *f, struct work_struct *w,
			  struct workqueue_struct *wq)
{
	f->work = w;
	f->wq = wq;
	atomic_store(&f->tid, 0);
	atomic_store(&f->done, 0);
	atomic_store(&f->ret, -1);
	CHECK(!pthread_create(&f->th, NULL, flusher_main, f));
	CHECK(WAIT_UNTIL(atomic_load(&f->tid) != 0, HARNESS_SLOW(5000)));
	/* It sleeps: it is inside the flush, waiting. */
	CHECK(harness_wait_task_sleeping(atomic_load(&f->tid),
					 HARNESS_SLOW(5000)));
	harness_sleep_ms(10);
}

/* flush_work waits for the last queued instance, also running + pending. */
static void test_flush_last_instance(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p7", WQ_UNBOUND, 0);
	struct gated g;
	struct flusher f;

	CHECK(wq);
	gated_init(&g);
	CHECK(queue_work(wq, &g.work));
	CHECK(WAIT_UNTIL(atomic_load(&g.started) == 1, HARNESS_SLOW(5000)));
	CHECK(queue_work(wq, &g.work)); /* pending while it runs */
	flusher_start(&f, &g.work, NULL);
	CHECK(!atomic_load(&f.done));
	complete(&g.release); /* first instance returns */
	CHECK(WAIT_UNTIL(atomic_load(&g.started) == 2, HARNESS_SLOW(5000)));
	harness_sleep_ms(20);
	CHECK(!atomic_load(&f.done)); /* the second still runs */
	complete(&g.release);
	pthread_join(f.th, NULL);
	CHECK_EQ(atomic_load(&f.ret), 1);
	CHECK_EQ(atomic_load(&g.finished), 2);
	CHECK(!work_busy(&g.work));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* A pending (not started) item: flush_work waits for it to run. */
static void test_flush_pending(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("p7o", 0);
	struct gated blocker;
	struct work_struct w;
	struct flusher f;

	CHECK(wq);
	gated_init(&blocker);
	INIT_WORK(&w, plain_fn);
	atomic_store(&plain_runs, 0);
	CHECK(queue_work(wq, &blocker.work));
	CHECK(queue_work(wq, &w));
	CHECK(WAIT_UNTIL(atomic_load(&blocker.started), HARNESS_SLOW(5000)));
	flusher_start(&f, &w, NULL);
	CHECK(!atomic_load(&f.done));
	complete(&blocker.release);
	pthread_join(f.th, NULL);
	CHECK_EQ(atomic_load(&f.ret), 1);
	CHECK_EQ(atomic_load(&plain_runs), 1);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/*
 * flush_workqueue waits for everything queued before it, and not for an
 * item queued after it began: that item blocks until the flush returned.
 */
static struct flusher wqf;
static atomic_int late_saw_flush_done, late_ran;

static void late_fn(struct work_struct *w)
{
	(void)w;
	/* Hang guard only: a correct flush returns without this item. */
	WAIT_UNTIL(atomic_load(&wqf.done), HARNESS_SLOW(3000));
	atomic_store(&late_saw_flush_done, atomic_load(&wqf.done));
	atomic_store(&late_ran, 1);
}

static void test_flush_workqueue(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p7w", WQ_UNBOUND, 0);
	struct gated g[3];
	struct work_struct late;
	int i;

	CHECK(wq);
	for (i = 0; i < 3; i++) {
		gated_init(&g[i]);
		CHECK(queue_work(wq, &g[i].work));
	}
	CHECK(WAIT_UNTIL(atomic_load(&g[0].started) &&
				 atomic_load(&g[1].started) &&
				 atomic_load(&g[2].started),
			 HARNESS_SLOW(5000)));
	atomic_store(&late_saw_flush_done, 0);
	atomic_store(&late_ran, 0);
	flusher_start(&wqf, NULL, wq);
	INIT_WORK(&late, late_fn);
	CHECK(queue_work(wq, &late));
	for (i = 0; i < 3; i++) {
		harness_sleep_ms(10);
		CHECK(!atomic_load(&wqf.done));
		complete(&g[i].release);
	}
	pthread_join(wqf.th, NULL);
	for (i = 0; i < 3; i++)
		CHECK_EQ(atomic_load(&g[i].finished), 1);
	flush_work(&late);
	CHECK(atomic_load(&late_ran));
	CHECK(atomic_load(&late_saw_flush_done));
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* A flush of an idle or empty workqueue returns. */
static void test_flush_empty(void)
{
	struct workqueue_struct *wq = alloc_workqueue("p7e", 0, 0);

	CHECK(wq);
	flush_workqueue(wq);
	drain_workqueue(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
}

/* drain_workqueue: chained work is accepted, outside queueing refused. */
static struct workqueue_struct *drain_wq;
static struct completion chain_gate;
static atomic_int chain_runs, chain_refused;
#define CHAIN_LEN 20

static void chain_fn(struct work_struct *w)
{
	int n = atomic_fetch_add(&chain_runs, 1) + 1;

	if (n == 1)
		wait_for_completion(&chain_gate);
	if (n < CHAIN_LEN && !queue_work(drain_wq, w))
		atomic_fetch_add(&chain_refused, 1);
}

static void *drainer(void *arg)
{
	struct flusher *f = arg;

	atomic_store(&f->tid, harness_gettid());
	drain_workqueue(drain_wq);
	atomic_store(&f->done, 1);
	return NULL;
}

static void test_drain(void)
{
	struct work_struct chain, outsider;
	struct flusher f;

	drain_wq = alloc_workqueue("p7d", WQ_UNBOUND, 0);
	CHECK(drain_wq);
	init_completion(&chain_gate);
	atomic_store(&chain_runs, 0);
	atomic_store(&chain_refused, 0);
	atomic_store(&plain_runs, 0);
	INIT_WORK(&chain, chain_fn);
	INIT_WORK(&outsider, plain_fn);
	CHECK(queue_work(drain_wq, &chain));
	CHECK(WAIT_UNTIL(atomic_load(&chain_runs) == 1, HARNESS_SLOW(5000)));

	atomic_store(&f.tid, 0);
	atomic_store(&f.done, 0);
	CHECK(!pthread_create(&f.th, NULL, drainer, &f));
	CHECK(WAIT_UNTIL(atomic_load(&f.tid) != 0, HARNESS_SLOW(5000)));
	CHECK(harness_wait_task_sleeping(atomic_load(&f.tid),
					 HARNESS_SLOW(5000)));
	harness_sleep_ms(10);
	CHECK(!atomic_load(&f.done));
	/* From outside, while draining: refused. */
	CHECK(!queue_work(drain_wq, &outsider));
	CHECK(!work_pending(&outsider));
	complete(&chain_gate);
	pthread_join(f.th, NULL);
	CHECK_EQ(atomic_load(&chain_runs), CHAIN_LEN);
	CHECK_EQ(atomic_load(&chain_refused), 0);
	CHECK(!work_busy(&chain));
	CHECK_EQ(atomic_load(&plain_runs), 0);
	/* After the drain the queue takes work again. */
	CHECK(queue_work(drain_wq, &outsider));
	flush_work(&outsider);
	CHECK_EQ(atomic_load(&plain_runs), 1);
	CHECK_EQ(cmwq_destroy_workqueue(drain_wq), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_flush_idle);
	RUN_TEST(test_flush_last_instance);
	RUN_TEST(test_flush_pending);
	RUN_TEST(test_flush_workqueue);
	RUN_TEST(test_flush_empty);
	RUN_TEST(test_drain);
	return 0;
}
