/* SPDX-License-Identifier: MIT */
/*
 * seed001_led.c - a dedicated workqueue whose items run concurrently
 *
 * The pattern of the asus-laptop driver in the CMWQ talk: the legacy
 *
 *	create_singlethread_workqueue("led_workqueue")
 *
 * becomes
 *
 *	alloc_workqueue("led_workqueue", 0, 0)
 *
 * Each LED has its own work item that pushes the wanted brightness to the
 * (here simulated) hardware.  The items may run concurrently; the workqueue
 * is dedicated only so that they can be flushed as a group.  No
 * WQ_MEM_RECLAIM (not on a memory reclaim path) and no max_active (a fixed
 * number of items).
 *
 * What this program checks:
 *  - every LED item of a round is in flight at the same time: each one
 *    waits (wait_for_completion_timeout, a library wait that lets the pool
 *    start another worker) until all the others have arrived;
 *  - after flush_workqueue() every LED shows the brightness last asked for.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "expect.h"

#define NR_LEDS 4
#define NR_ROUNDS 5

struct asus_led {
	struct work_struct work;
	const char *name;
	atomic_int wanted; /* set by the "sysfs" side */
	atomic_int hw_state; /* what the "hardware" shows */
	atomic_int updates;
	atomic_int timeouts; /* waits that gave up: no concurrency */
};

struct asus_laptop {
	struct workqueue_struct *led_workqueue;
	struct asus_led leds[NR_LEDS];
	/* Rendezvous of the LED items of one round. */
	atomic_int arrived;
	struct completion all_arrived;
	atomic_int in_flight;
	atomic_int peak_in_flight;
};

static struct asus_laptop laptop;

static void note_peak(atomic_int *peak, int now)
{
	int old = atomic_load(peak);

	while (now > old && !atomic_compare_exchange_weak(peak, &old, now)) {
	}
}

static void asus_led_update(struct work_struct *work)
{
	struct asus_led *led = container_of(work, struct asus_led, work);
	int now;

	now = atomic_fetch_add(&laptop.in_flight, 1) + 1;
	note_peak(&laptop.peak_in_flight, now);

	/* Talk to the "embedded controller". */
	atomic_store(&led->hw_state, atomic_load(&led->wanted));
	atomic_fetch_add(&led->updates, 1);

	/*
	 * The controller answers slowly.  Wait until every LED item of this
	 * round is here too: that only happens if they run concurrently,
	 * which needs the pool to start another worker while this one waits.
	 */
	if (atomic_fetch_add(&laptop.arrived, 1) + 1 == NR_LEDS)
		complete_all(&laptop.all_arrived);
	else if (!wait_for_completion_timeout(&laptop.all_arrived, 10 * HZ))
		atomic_fetch_add(&led->timeouts, 1);

	atomic_fetch_sub(&laptop.in_flight, 1);
}

/* The led_classdev brightness_set callback: may not sleep, so it queues. */
static void asus_led_set(struct asus_led *led, int value)
{
	atomic_store(&led->wanted, value);
	queue_work(laptop.led_workqueue, &led->work);
}

int main(void)
{
	static const char *const names[NR_LEDS] = { "mled", "tled", "rled",
						    "pled" };
	int round, i;

	laptop.led_workqueue = alloc_workqueue("led_workqueue", 0, 0);
	if (!laptop.led_workqueue) {
		perror("alloc_workqueue");
		return EXIT_FAILURE;
	}
	for (i = 0; i < NR_LEDS; i++) {
		laptop.leds[i].name = names[i];
		INIT_WORK(&laptop.leds[i].work, asus_led_update);
	}

	for (round = 1; round <= NR_ROUNDS; round++) {
		atomic_store(&laptop.arrived, 0);
		reinit_completion(&laptop.all_arrived);

		for (i = 0; i < NR_LEDS; i++)
			asus_led_set(&laptop.leds[i], round * 10 + i);

		/* Flushed as a group: the reason for a dedicated queue. */
		flush_workqueue(laptop.led_workqueue);

		for (i = 0; i < NR_LEDS; i++) {
			struct asus_led *led = &laptop.leds[i];

			EXPECT(atomic_load(&led->hw_state) == round * 10 + i);
			EXPECT(atomic_load(&led->updates) == round);
			EXPECT(atomic_load(&led->timeouts) == 0);
			EXPECT(!work_pending(&led->work));
		}
		EXPECT(atomic_load(&laptop.in_flight) == 0);
	}

	printf("led_workqueue: %d rounds of %d LED items, up to %d in flight "
	       "at once\n",
	       NR_ROUNDS, NR_LEDS, atomic_load(&laptop.peak_in_flight));
	for (i = 0; i < NR_LEDS; i++)
		printf("  %s: brightness %d after %d updates\n",
		       laptop.leds[i].name,
		       atomic_load(&laptop.leds[i].hw_state),
		       atomic_load(&laptop.leds[i].updates));
	EXPECT(atomic_load(&laptop.peak_in_flight) == NR_LEDS);

	destroy_workqueue(laptop.led_workqueue);
	return EXIT_SUCCESS;
}
