/* SPDX-License-Identifier: MIT */
/*
 * legacy.c - the legacy create_*workqueue() calls, unchanged
 *
 * Code written before CMWQ still compiles and works.  The legacy calls are
 * mapped as the CMWQ talk's identity table says:
 *
 *	create_workqueue(name)
 *		alloc_workqueue(name, WQ_MEM_RECLAIM, 1)
 *	create_singlethread_workqueue(name)
 *		alloc_ordered_workqueue(name, WQ_MEM_RECLAIM)
 *	create_freezable_workqueue(name)
 *		alloc_workqueue(name,
 *				WQ_FREEZABLE | WQ_UNBOUND | WQ_MEM_RECLAIM, 1)
 *
 * What this program checks, for each of the three:
 *  - the workqueue has the flags and max_active of the table;
 *  - its items all run and flush_workqueue() waits for them;
 *  - the limit holds: create_workqueue() runs one item at a time per CPU,
 *    create_singlethread_workqueue() one at a time in queueing order,
 *    create_freezable_workqueue() one at a time in all; the items now and
 *    then block in a library wait, which would let another item start if
 *    the limit allowed it.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"

#define NR_ITEMS 64
#define MAX_CPUS 1024

/* An old-style driver: a workqueue of its own and a few work items. */
struct legacy_dev {
	const char *name;
	struct workqueue_struct *wq;
	struct legacy_req {
		struct work_struct work;
		struct legacy_dev *dev;
		int seq;
		int cpu;
	} reqs[NR_ITEMS];
	atomic_int in_flight; /* in all */
	atomic_int peak;
	atomic_int ran;
	atomic_int order[NR_ITEMS]; /* seq of the n-th item to run */
	atomic_int nr_order;
	atomic_int cpu_overlaps; /* two at once on one CPU */
};

static atomic_int in_flight_on_cpu[MAX_CPUS];
static struct completion never;

static void legacy_req_func(struct work_struct *work)
{
	struct legacy_req *req = container_of(work, struct legacy_req, work);
	struct legacy_dev *dev = req->dev;
	int now, old, n, cpu = -1;

	if (req->cpu >= 0) {
		cpu = req->cpu;
		if (atomic_fetch_add(&in_flight_on_cpu[cpu], 1) != 0)
			atomic_fetch_add(&dev->cpu_overlaps, 1);
	}
	now = atomic_fetch_add(&dev->in_flight, 1) + 1;
	old = atomic_load(&dev->peak);
	while (now > old &&
	       !atomic_compare_exchange_weak(&dev->peak, &old, now)) {
	}
	n = atomic_fetch_add(&dev->nr_order, 1);
	atomic_store(&dev->order[n], req->seq);

	if (req->seq % 4 == 0)
		wait_for_completion_timeout(&never, 1);

	atomic_fetch_add(&dev->ran, 1);
	atomic_fetch_sub(&dev->in_flight, 1);
	if (cpu >= 0)
		atomic_fetch_sub(&in_flight_on_cpu[cpu], 1);
}

/* Queue every request; @per_cpu spreads them over the CPUs by hand. */
static void legacy_dev_run(struct legacy_dev *dev, bool per_cpu)
{
	int i, cpu = 0, nr_cpus = cmwq_nr_cpus();

	if (nr_cpus > MAX_CPUS)
		nr_cpus = MAX_CPUS;
	for (i = 0; i < NR_ITEMS; i++) {
		struct legacy_req *req = &dev->reqs[i];

		req->dev = dev;
		req->seq = i;
		req->cpu = -1;
		INIT_WORK(&req->work, legacy_req_func);
		if (per_cpu) {
			while (!cmwq_cpu_possible(cpu))
				cpu = (cpu + 1) % nr_cpus;
			req->cpu = cpu;
			EXPECT(queue_work_on(cpu, dev->wq, &req->work));
			cpu = (cpu + 1) % nr_cpus;
		} else {
			EXPECT(queue_work(dev->wq, &req->work));
		}
	}
	flush_workqueue(dev->wq);
	EXPECT(atomic_load(&dev->ran) == NR_ITEMS);
	EXPECT(atomic_load(&dev->nr_order) == NR_ITEMS);
	EXPECT(atomic_load(&dev->in_flight) == 0);
}

static void expect_flags(struct legacy_dev *dev, unsigned int want,
			 unsigned int absent)
{
	struct cmwq_wq_stats st;

	EXPECT(cmwq_get_wq_stats(dev->wq, &st) == 0);
	printf("%-16s flags 0x%05x max_active %d\n", st.name, st.flags,
	       st.max_active);
	EXPECT((st.flags & want) == want);
	EXPECT((st.flags & absent) == 0);
	EXPECT(st.max_active == 1);
}

int main(void)
{
	static struct legacy_dev mt = { .name = "legacy_mt" };
	static struct legacy_dev st = { .name = "legacy_st" };
	static struct legacy_dev fz = { .name = "legacy_fz" };
	int i;

	init_completion(&never);

	/* Exactly as a pre-2010 driver wrote them. */
	mt.wq = create_workqueue(mt.name);
	st.wq = create_singlethread_workqueue(st.name);
	fz.wq = create_freezable_workqueue(fz.name);
	if (!mt.wq || !st.wq || !fz.wq) {
		perror("create_*workqueue");
		return EXIT_FAILURE;
	}

	expect_flags(&mt, WQ_MEM_RECLAIM, WQ_UNBOUND | __WQ_ORDERED);
	expect_flags(&st, WQ_MEM_RECLAIM | WQ_UNBOUND | __WQ_ORDERED, 0);
	expect_flags(&fz, WQ_FREEZABLE | WQ_UNBOUND | WQ_MEM_RECLAIM, 0);

	/* Multi-threaded: max_active 1 per CPU. */
	legacy_dev_run(&mt, true);
	EXPECT(atomic_load(&mt.cpu_overlaps) == 0);

	/* Single-threaded: one at a time, in queueing order. */
	legacy_dev_run(&st, false);
	EXPECT(atomic_load(&st.peak) == 1);
	for (i = 0; i < NR_ITEMS; i++)
		EXPECT(atomic_load(&st.order[i]) == i);

	/* Freezable: unbound, max_active 1 in all. */
	legacy_dev_run(&fz, false);
	EXPECT(atomic_load(&fz.peak) == 1);

	printf("legacy: %d items each on create_workqueue (peak %d at once "
	       "over all CPUs), create_singlethread_workqueue (in order), "
	       "create_freezable_workqueue (one at a time)\n",
	       NR_ITEMS, atomic_load(&mt.peak));

	destroy_workqueue(fz.wq);
	destroy_workqueue(st.wq);
	destroy_workqueue(mt.wq);
	return EXIT_SUCCESS;
}
