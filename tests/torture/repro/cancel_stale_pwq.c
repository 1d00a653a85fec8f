/* SPDX-License-Identifier: MIT */
/*
 * Regression test run by CTest as repro_cancel_stale_pwq.
 * The bug: cancel_work() (try_to_grab_pending, src/flush.c) reads
 * pwq->pool through the pwq pointer it found in work->data, with nothing
 * keeping that pwq alive.  If the item's last instance ran on a workqueue
 * that another thread destroys meanwhile, destroy_workqueue() frees the
 * pwq (retire_wq) and the canceller reads freed memory.  flush_work
 * (cmwq_flush_work_internal) has the same pattern.  The kernel keeps pwqs
 * alive under RCU for this.
 *
 * The window is a few instructions: ThreadSanitizer reports the race at
 * once (build with -DCMWQ_SANITIZE=thread); ASan only when preempted there.
 *
 * Fixed: pwq memory is type-stable and the canceller rechecks the item
 * and the pwq's pool under the pool lock (struct pool_workqueue in
 * src/internal.h); clean under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static struct work_struct w;
static atomic_int stop;

static void fn(struct work_struct *work)
{
	(void)work;
}

static void *canceller(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		cancel_work(&w);
	return NULL;
}

int main(void)
{
	pthread_t t;
	int i;

	INIT_WORK(&w, fn);
	pthread_create(&t, NULL, canceller, NULL);
	for (i = 0; i < 20000; i++) {
		struct workqueue_struct *wq = alloc_workqueue("r%d", 0, 1, i);

		queue_work(wq, &w);
		flush_work(&w);
		destroy_workqueue(wq); /* frees the pwq w last pointed to */
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("done\n");
	return 0;
}
