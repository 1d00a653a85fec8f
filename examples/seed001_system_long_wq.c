/* SPDX-License-Identifier: MIT */
/*
 * seed001_system_long_wq.c - a long-running item on system_long_wq
 *
 * The pattern of the TTM memory manager in the CMWQ talk: the dedicated
 *
 *	glob->swap_queue = create_singlethread_workqueue("ttm_swap");
 *	queue_work(glob->swap_queue, &glob->work);
 *	...
 *	flush_workqueue(glob->swap_queue);
 *	destroy_workqueue(glob->swap_queue);
 *
 * becomes
 *
 *	queue_work(system_long_wq, &glob->work);
 *	...
 *	flush_work(&glob->work);
 *
 * The swap item shrinks memory and spends most of its time waiting for the
 * GPU.  A dedicated thread used to keep it from holding up other work; with
 * concurrency management the shared pools start another worker whenever it
 * waits, so system_long_wq is enough.
 *
 * What this program checks:
 *  - while the swap item waits for a GPU fence (wait_for_completion), a
 *    short item queued on system_wq on the same CPU still runs: the "GPU"
 *    only signals the first fence after that short item ran, so without
 *    concurrency management the swap item would wait until it timed out;
 *  - flush_work() returns only once the whole swap pass is done.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"

#define NR_FENCES 50

struct ttm_mem_global {
	struct work_struct work; /* the swap pass */
	atomic_int fences_waited;
	atomic_int fence_timeouts;
	atomic_int swap_cpu;
	atomic_bool done;
};

static struct ttm_mem_global glob;

/* The "GPU": a thread that signals a fence when asked to. */
static struct completion fence_request; /* swap item -> GPU */
static struct completion fence_signaled; /* GPU -> swap item */
static struct completion short_item_ran; /* short item -> GPU */
static atomic_bool gpu_stop;

static void *gpu_thread(void *arg)
{
	(void)arg;
	/* The first fence waits until the short item proved it could run. */
	wait_for_completion(&short_item_ran);
	for (;;) {
		wait_for_completion(&fence_request);
		if (atomic_load(&gpu_stop))
			break;
		complete(&fence_signaled);
	}
	return NULL;
}

static struct work_struct short_work;

static void short_func(struct work_struct *work)
{
	(void)work;
	complete(&short_item_ran);
}

static void ttm_shrink_work(struct work_struct *work)
{
	struct ttm_mem_global *g =
		container_of(work, struct ttm_mem_global, work);
	int i;

	atomic_store(&g->swap_cpu, smp_processor_id());
	for (i = 0; i < NR_FENCES; i++) {
		/* Swap out a buffer object, then wait for the GPU copy. */
		complete(&fence_request);
		if (i == 0)
			/* Meanwhile a short item lands on this CPU. */
			schedule_work_on(smp_processor_id(), &short_work);
		if (!wait_for_completion_timeout(&fence_signaled, 10 * HZ)) {
			atomic_fetch_add(&g->fence_timeouts, 1);
			break;
		}
		atomic_fetch_add(&g->fences_waited, 1);
	}
	atomic_store(&g->done, true);
}

int main(void)
{
	pthread_t gpu;

	init_completion(&fence_request);
	init_completion(&fence_signaled);
	init_completion(&short_item_ran);
	INIT_WORK(&short_work, short_func);
	INIT_WORK(&glob.work, ttm_shrink_work);
	if (pthread_create(&gpu, NULL, gpu_thread, NULL)) {
		perror("pthread_create");
		return EXIT_FAILURE;
	}

	/* Memory is short: start a swap pass. */
	EXPECT(queue_work(system_long_wq, &glob.work));

	/* ttm_mem_global_release(): nothing may be pending past this. */
	flush_work(&glob.work);
	EXPECT(atomic_load(&glob.done));
	EXPECT(!work_pending(&glob.work));
	EXPECT(atomic_load(&glob.fence_timeouts) == 0);
	EXPECT(atomic_load(&glob.fences_waited) == NR_FENCES);

	flush_work(&short_work);
	EXPECT(!work_pending(&short_work));

	atomic_store(&gpu_stop, true);
	complete(&fence_request);
	pthread_join(gpu, NULL);

	printf("ttm_swap: swap pass on system_long_wq (CPU %d) waited for %d "
	       "GPU fences; a system_wq item on the same CPU ran meanwhile\n",
	       atomic_load(&glob.swap_cpu), atomic_load(&glob.fences_waited));
	return EXIT_SUCCESS;
}
