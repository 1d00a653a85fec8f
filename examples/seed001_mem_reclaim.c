/* SPDX-License-Identifier: MIT */
/*
 * seed001_mem_reclaim.c - one work item on a WQ_MEM_RECLAIM workqueue
 *
 * The pattern of the dwc_eth_qos network driver in the CMWQ talk: the
 * legacy
 *
 *	create_singlethread_workqueue(DRIVER_NAME)
 *
 * becomes
 *
 *	alloc_workqueue(DRIVER_NAME, WQ_MEM_RECLAIM, 0)
 *
 * The single item (the TX timeout handler that reinitialises the device)
 * sits on the packet path, and a network device may be needed to reclaim
 * memory, so the workqueue gets a rescuer: forward progress is guaranteed
 * even when no worker thread can be created.  One item, so no max_active.
 *
 * The TX watchdog fires many times, sometimes while the handler is still
 * pending.  What this program checks:
 *  - queue_work() returns true exactly when the item was not pending, and
 *    the handler runs once per such successful queue, never more, never
 *    less (repeated timeouts merge into one reset);
 *  - the handler never runs concurrently with itself;
 *  - the handler sees every timeout reported before the queue_work() call
 *    that covers it.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"

#define DRIVER_NAME "dwceqos"
#define NR_TIMEOUTS 20000

struct net_local {
	struct workqueue_struct *txtimeout_handler_wq;
	struct work_struct txtimeout_reinit;
	atomic_long timeouts; /* reported by the watchdog */
	atomic_long handled; /* seen by the last reset */
	atomic_long resets; /* runs of the handler */
	atomic_int in_handler;
	atomic_int overlaps;
	atomic_int went_backwards;
};

static struct net_local lp;

static void dwceqos_reinit_for_txtimeout(struct work_struct *work)
{
	struct net_local *l =
		container_of(work, struct net_local, txtimeout_reinit);
	long seen;

	if (atomic_fetch_add(&l->in_handler, 1) != 0)
		atomic_fetch_add(&l->overlaps, 1);

	/* Stop the queue, reset the DMA rings, restart: all simulated. */
	seen = atomic_load(&l->timeouts);
	if (seen < atomic_load(&l->handled))
		atomic_fetch_add(&l->went_backwards, 1);
	atomic_store(&l->handled, seen);
	atomic_fetch_add(&l->resets, 1);

	atomic_fetch_sub(&l->in_handler, 1);
}

/* ndo_tx_timeout: called by the networking core's watchdog. */
static bool dwceqos_tx_timeout(struct net_local *l)
{
	atomic_fetch_add(&l->timeouts, 1);
	return queue_work(l->txtimeout_handler_wq, &l->txtimeout_reinit);
}

int main(void)
{
	struct cmwq_wq_stats st;
	long queued = 0, merged = 0, waits = 0, i;

	lp.txtimeout_handler_wq =
		alloc_workqueue(DRIVER_NAME, WQ_MEM_RECLAIM, 0);
	if (!lp.txtimeout_handler_wq) {
		perror("alloc_workqueue");
		return EXIT_FAILURE;
	}
	INIT_WORK(&lp.txtimeout_reinit, dwceqos_reinit_for_txtimeout);

	for (i = 0; i < NR_TIMEOUTS; i++) {
		if (dwceqos_tx_timeout(&lp))
			queued++;
		else
			merged++;
		/* Now and then the link settles before the next timeout. */
		if (i % 1000 == 999)
			waits += flush_work(&lp.txtimeout_reinit);
	}
	waits += flush_work(&lp.txtimeout_reinit);

	printf("%s: %ld tx timeouts, %ld queued the handler, %ld merged into "
	       "a pending one, %ld resets\n",
	       DRIVER_NAME, (long)NR_TIMEOUTS, queued, merged,
	       (long)atomic_load(&lp.resets));

	EXPECT(queued >= 1);
	EXPECT(queued + merged == NR_TIMEOUTS);
	EXPECT(atomic_load(&lp.resets) == queued);
	EXPECT(atomic_load(&lp.handled) == NR_TIMEOUTS);
	EXPECT(atomic_load(&lp.overlaps) == 0);
	EXPECT(atomic_load(&lp.went_backwards) == 0);
	EXPECT(!work_pending(&lp.txtimeout_reinit));
	EXPECT(!flush_work(&lp.txtimeout_reinit));

	EXPECT(cmwq_get_wq_stats(lp.txtimeout_handler_wq, &st) == 0);
	EXPECT(st.flags & WQ_MEM_RECLAIM);
	/*
	 * The workqueue also ran a barrier item for each flush_work() that
	 * waited (as in the kernel, flush_work() queues a barrier behind the
	 * item and waits for it), and the stats count those too; the last
	 * barrier may be counted only just after its flush_work() returned.
	 */
	EXPECT(st.items_completed >= (unsigned long long)queued);
	EXPECT(st.items_completed <= (unsigned long long)(queued + waits));
	EXPECT(st.items_started <= (unsigned long long)(queued + waits));

	destroy_workqueue(lp.txtimeout_handler_wq);
	return EXIT_SUCCESS;
}
