/* SPDX-License-Identifier: MIT */
/*
 * Regression test run by CTest as repro_flush_armed_running.
 * The bug: flush_work() on a delayed item returns false ("idle") while
 * the item runs, when the item was re-armed (queue_delayed_work with a
 * delay) after it started.  cmwq_flush_work_internal() (src/flush.c) sees
 * PENDING|TIMER and returns at once, without looking for a running
 * instance as it does for an idle item; the kernel's flush_work waits for
 * the running instance.  flush_delayed_work() has the same hole when the
 * item re-arms itself between its queue-now and its flush_work (found by
 * the torture; not deterministic here).  Property 7 of DESIGN.md.
 *
 * Case 1 fails: flush_work returns 0 and the first run has not finished.
 *
 * Fixed: flush_work() looks for a running instance of an armed item.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int started, finished;
static struct delayed_work dw;

static void fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&started, 1);
	usleep(200 * 1000);
	atomic_store(&finished, 1);
}

int main(void)
{
	struct workqueue_struct *wq = alloc_workqueue("r", WQ_UNBOUND, 1);
	bool ret;
	int bad = 0;

	INIT_DELAYED_WORK(&dw, fn);
	/* Case 1: flush_work on the running instance, re-armed by a queuer. */
	queue_delayed_work(wq, &dw, 0);
	while (!atomic_load(&started))
		usleep(100);
	queue_delayed_work(wq, &dw, 5000); /* armed 5 s ahead */
	ret = flush_work(&dw.work);
	printf("flush_work: returned %d, running instance finished: %d\n", ret,
	       atomic_load(&finished));
	bad += !atomic_load(&finished);
	cancel_delayed_work_sync(&dw);

	/* Case 2: flush_delayed_work, same situation. */
	atomic_store(&started, 0);
	atomic_store(&finished, 0);
	queue_delayed_work(wq, &dw, 0);
	while (!atomic_load(&started))
		usleep(100);
	queue_delayed_work(wq, &dw, 5000);
	/* flush_delayed_work queues the armed one now: it waits for it... */
	ret = flush_delayed_work(&dw);
	printf("flush_delayed_work: returned %d, first instance finished: %d\n",
	       ret, atomic_load(&finished));
	cancel_delayed_work_sync(&dw);
	destroy_workqueue(wq);
	return bad ? 1 : 0;
}
