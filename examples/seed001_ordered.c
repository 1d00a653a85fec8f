/* SPDX-License-Identifier: MIT */
/*
 * seed001_ordered.c - an ordered workqueue
 *
 * The pattern of the caif_hsi network driver in the CMWQ talk: the legacy
 *
 *	create_singlethread_workqueue(cfhsi->ndev->name)
 *
 * becomes
 *
 *	alloc_ordered_workqueue(cfhsi->ndev->name, WQ_MEM_RECLAIM)
 *
 * The wake_up and wake_down items drive the link's power state and must
 * never run at the same time, so the workqueue is ordered: one item at a
 * time, in queueing order.  They sit on the packet path, hence
 * WQ_MEM_RECLAIM.
 *
 * What this program checks, queueing the two items alternately many times:
 *  - they never overlap, even though they now and then block in a library
 *    wait (which would let a normal workqueue start the other one);
 *  - they run in exactly the order in which queue_work() accepted them;
 *  - after the final flush the link is in the state last asked for.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"

#define NR_TOGGLES 2000
#define LOG_LEN (2 * NR_TOGGLES)

enum { WAKE_UP = 'U', WAKE_DOWN = 'D' };

struct cfhsi {
	struct workqueue_struct *wq;
	struct work_struct wake_up_work;
	struct work_struct wake_down_work;
	struct completion never; /* waited on with a timeout only */
	atomic_int in_flight;
	atomic_int overlaps;
	atomic_int awake;
	/* Order in which queue_work() accepted the items (main only). */
	char queued[LOG_LEN];
	int nr_queued;
	/* Order in which they ran. */
	char ran[LOG_LEN];
	atomic_int nr_ran;
};

static struct cfhsi cfhsi;

static void cfhsi_log_run(struct cfhsi *c, char what)
{
	int n;

	if (atomic_fetch_add(&c->in_flight, 1) != 0)
		atomic_fetch_add(&c->overlaps, 1);

	n = atomic_fetch_add(&c->nr_ran, 1);
	if (n < LOG_LEN)
		c->ran[n] = what;
	atomic_store(&c->awake, what == WAKE_UP);

	/* Now and then the modem takes a while to answer. */
	if (n % 16 == 0)
		wait_for_completion_timeout(&c->never, 1);

	atomic_fetch_sub(&c->in_flight, 1);
}

static void cfhsi_wake_up(struct work_struct *work)
{
	cfhsi_log_run(container_of(work, struct cfhsi, wake_up_work), WAKE_UP);
}

static void cfhsi_wake_down(struct work_struct *work)
{
	cfhsi_log_run(container_of(work, struct cfhsi, wake_down_work),
		      WAKE_DOWN);
}

static void cfhsi_queue(struct cfhsi *c, struct work_struct *work, char what)
{
	if (queue_work(c->wq, work))
		c->queued[c->nr_queued++] = what;
}

int main(void)
{
	struct cmwq_wq_stats st;
	int i, n;

	cfhsi.wq = alloc_ordered_workqueue("cfhsi%d", WQ_MEM_RECLAIM, 0);
	if (!cfhsi.wq) {
		perror("alloc_ordered_workqueue");
		return EXIT_FAILURE;
	}
	INIT_WORK(&cfhsi.wake_up_work, cfhsi_wake_up);
	INIT_WORK(&cfhsi.wake_down_work, cfhsi_wake_down);
	init_completion(&cfhsi.never);

	for (i = 0; i < NR_TOGGLES; i++) {
		cfhsi_queue(&cfhsi, &cfhsi.wake_up_work, WAKE_UP);
		cfhsi_queue(&cfhsi, &cfhsi.wake_down_work, WAKE_DOWN);
	}
	/*
	 * End awake.  Flush first: a wake_up still pending would merge this
	 * request into itself and run before the last wake_down.
	 */
	flush_workqueue(cfhsi.wq);
	cfhsi_queue(&cfhsi, &cfhsi.wake_up_work, WAKE_UP);
	flush_workqueue(cfhsi.wq);

	n = atomic_load(&cfhsi.nr_ran);
	printf("%s: %d wake_up/wake_down pairs asked for, %d accepted by "
	       "queue_work, %d ran, link %s\n",
	       cmwq_workqueue_name(cfhsi.wq), NR_TOGGLES, cfhsi.nr_queued, n,
	       atomic_load(&cfhsi.awake) ? "awake" : "asleep");

	EXPECT(n == cfhsi.nr_queued);
	EXPECT(n >= 3);
	EXPECT(atomic_load(&cfhsi.overlaps) == 0);
	for (i = 0; i < n; i++)
		EXPECT(cfhsi.ran[i] == cfhsi.queued[i]);
	EXPECT(cfhsi.queued[n - 1] == WAKE_UP);
	EXPECT(atomic_load(&cfhsi.awake));

	EXPECT(cmwq_get_wq_stats(cfhsi.wq, &st) == 0);
	EXPECT(st.max_active == 1);
	EXPECT(st.flags & WQ_MEM_RECLAIM);

	destroy_workqueue(cfhsi.wq);
	return EXIT_SUCCESS;
}
