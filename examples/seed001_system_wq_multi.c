/* SPDX-License-Identifier: MIT */
/*
 * seed001_system_wq_multi.c - several self-re-arming delayed items on
 * system_wq, cancelled on exit
 *
 * The pattern of the octeon ethernet driver in the CMWQ talk: polling items
 * on a dedicated
 *
 *	cvm_oct_poll_queue = create_singlethread_workqueue("octeon-ethernet");
 *	queue_delayed_work(cvm_oct_poll_queue, &cvm_oct_rx_refill_work, HZ);
 *	queue_delayed_work(cvm_oct_poll_queue, &priv->port_periodic_work, HZ);
 *	...
 *	destroy_workqueue(cvm_oct_poll_queue);
 *
 * become
 *
 *	schedule_delayed_work(&cvm_oct_rx_refill_work, HZ);
 *	schedule_delayed_work(&priv->port_periodic_work, HZ);
 *	...
 *	cancel_delayed_work_sync(&cvm_oct_rx_refill_work);
 *	cancel_delayed_work_sync(&priv->port_periodic_work);
 *
 * The items need no ordering among themselves, so system_wq serves, and
 * concurrency goes up.  Each item re-arms itself at the end of its run.
 * (The driver polls every HZ; this program every few milliseconds, so that
 * it finishes quickly.)
 *
 * What this program checks:
 *  - every item runs repeatedly, re-armed by itself;
 *  - after cancel_delayed_work_sync() an item is neither pending nor
 *    running, and it never runs again, although it re-arms itself: its run
 *    count stays the same while the program waits many periods more.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"

#define NR_PORTS 2
#define POLL_PERIOD msecs_to_jiffies(2)
#define MIN_RUNS 10

/* Enough runs of every item seen: main may start tearing down. */
static struct completion polled_enough;
static atomic_int items_short_of_runs;

struct poll_item {
	struct delayed_work dwork;
	const char *name;
	atomic_int runs;
	atomic_int running;
};

static struct poll_item cvm_oct_rx_refill;
static struct poll_item port_periodic[NR_PORTS];

static void poll_item_ran(struct poll_item *p)
{
	if (atomic_fetch_add(&p->runs, 1) + 1 == MIN_RUNS &&
	    atomic_fetch_sub(&items_short_of_runs, 1) == 1)
		complete(&polled_enough);
}

static void cvm_oct_rx_refill_worker(struct work_struct *work)
{
	struct poll_item *p =
		container_of(to_delayed_work(work), struct poll_item, dwork);

	atomic_store(&p->running, 1);
	/* Refill the RX buffer pool: simulated. */
	poll_item_ran(p);
	atomic_store(&p->running, 0);
	schedule_delayed_work(&p->dwork, POLL_PERIOD);
}

static void cvm_oct_periodic_worker(struct work_struct *work)
{
	struct poll_item *p =
		container_of(to_delayed_work(work), struct poll_item, dwork);

	atomic_store(&p->running, 1);
	/* Poll the port's link state and statistics: simulated. */
	poll_item_ran(p);
	atomic_store(&p->running, 0);
	schedule_delayed_work(&p->dwork, POLL_PERIOD);
}

static struct poll_item *all_items[1 + NR_PORTS];

static void probe_func(struct work_struct *work)
{
	(void)work;
	fprintf(stderr, "probe: ran although cancelled\n");
	exit(EXIT_FAILURE);
}

int main(void)
{
	static const char *const port_names[NR_PORTS] = { "port0", "port1" };
	struct delayed_work probe;
	struct completion never;
	int runs_at_cancel[1 + NR_PORTS];
	int i, nr = 0;

	init_completion(&polled_enough);
	init_completion(&never);

	cvm_oct_rx_refill.name = "rx_refill";
	INIT_DELAYED_WORK(&cvm_oct_rx_refill.dwork, cvm_oct_rx_refill_worker);
	all_items[nr++] = &cvm_oct_rx_refill;
	for (i = 0; i < NR_PORTS; i++) {
		port_periodic[i].name = port_names[i];
		INIT_DELAYED_WORK(&port_periodic[i].dwork,
				  cvm_oct_periodic_worker);
		all_items[nr++] = &port_periodic[i];
	}
	atomic_store(&items_short_of_runs, nr);

	/* Module init: start polling. */
	for (i = 0; i < nr; i++)
		EXPECT(schedule_delayed_work(&all_items[i]->dwork,
					     POLL_PERIOD));
	/*
	 * An armed item is not re-armed by a second call, and
	 * cancel_delayed_work() disarms it (a probe that never fires).
	 */
	INIT_DELAYED_WORK(&probe, probe_func);
	EXPECT(schedule_delayed_work(&probe, 60 * HZ));
	EXPECT(!schedule_delayed_work(&probe, 60 * HZ));
	EXPECT(delayed_work_pending(&probe));
	EXPECT(cancel_delayed_work(&probe));
	EXPECT(!delayed_work_pending(&probe));

	EXPECT(wait_for_completion_timeout(&polled_enough, 30 * HZ));

	/* Module exit: no polling may be in flight after this. */
	for (i = 0; i < nr; i++) {
		cancel_delayed_work_sync(&all_items[i]->dwork);
		EXPECT(!delayed_work_pending(&all_items[i]->dwork));
		EXPECT(!(work_busy(&all_items[i]->dwork.work) &
			 WORK_BUSY_RUNNING));
		EXPECT(atomic_load(&all_items[i]->running) == 0);
		runs_at_cancel[i] = atomic_load(&all_items[i]->runs);
	}

	/* Twenty periods later, still nothing has run. */
	wait_for_completion_timeout(&never, 20 * POLL_PERIOD);
	for (i = 0; i < nr; i++) {
		EXPECT(atomic_load(&all_items[i]->runs) == runs_at_cancel[i]);
		EXPECT(!delayed_work_pending(&all_items[i]->dwork));
		EXPECT(runs_at_cancel[i] >= MIN_RUNS);
		printf("%s: ran %d times on system_wq, none after "
		       "cancel_delayed_work_sync\n",
		       all_items[i]->name, runs_at_cancel[i]);
	}
	return EXIT_SUCCESS;
}
