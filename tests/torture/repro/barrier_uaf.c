/* SPDX-License-Identifier: MIT */
/*
 * Regression test run by CTest as repro_barrier_uaf.
 * The bug: use after free, a flush barrier outlives its destroyed
 * workqueue (found by the torture as a SIGSEGV in process_one_work).
 *
 * flush_work(X) links a barrier behind the pending instance of X on W's
 * pwq.  cancel_work(X) takes X off and leaves the barrier on the pool's
 * worklist.  destroy_workqueue(W) does not count barriers (NO_COLOR), so
 * it finds W empty and frees its pwqs.  When the pool gets to the barrier,
 * process_one_work() reads pwq->wq->flags from the freed pwq.  The kernel
 * holds a pwq reference for each barrier.  Deterministic under ASan
 * (-DCMWQ_SANITIZE=address): heap-use-after-free at src/worker.c, in
 * process_one_work, "bool cpu_intensive = pwq->wq->flags & ...".
 *
 * Fixed: every barrier holds a reference on its pwq (src/queue.c,
 * insert_work_locked()), so the pwq outlives the destruction.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int hog_started, stop_hog;
static struct work_struct hog, x;

static void hog_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&hog_started, 1);
	while (!atomic_load(&stop_hog)) /* keeps the CPU 0 pool busy */
		;
}

static void x_fn(struct work_struct *w)
{
	(void)w;
}

static void *flusher(void *arg)
{
	(void)arg;
	flush_work(&x);
	return NULL;
}

int main(void)
{
	struct workqueue_struct *w2 = alloc_workqueue("busy", 0, 1);
	struct workqueue_struct *w = alloc_workqueue("victim", 0, 1);
	pthread_t t;

	cmwq_set_cpu_intensive_thresh_us(5 * 1000 * 1000);
	INIT_WORK(&hog, hog_fn);
	INIT_WORK(&x, x_fn);
	queue_work_on(0, w2, &hog);
	while (!atomic_load(&hog_started))
		usleep(100);
	queue_work_on(0, w, &x); /* waits behind the hog on CPU 0's pool */
	pthread_create(&t, NULL, flusher, NULL);
	usleep(50 * 1000); /* the flusher links its barrier behind x */
	printf("cancel_work(x) = %d\n", cancel_work(&x));
	/* The barrier is still queued (the pool is busy): W looks empty. */
	printf("destroy_workqueue(victim) = %d\n", cmwq_destroy_workqueue(w));
	atomic_store(&stop_hog, 1); /* the pool now runs the barrier */
	pthread_join(t, NULL);
	printf("flush_work returned\n");
	flush_work(&hog);
	destroy_workqueue(w2);
	return 0;
}
