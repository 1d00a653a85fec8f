// SPDX-License-Identifier: MIT
/*
 * dump.c - show_all_workqueues() and show_one_workqueue(): the text of
 * cmwq-dump, printed from inside the program
 *
 * Takes a private snapshot (the same one the observer publishes) and
 * prints it with the formatter cmwq-dump uses.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"
#include "shm.h"

#include <stdlib.h>
#include <string.h>

CMWQ_API void cmwq_show_workqueues_to(FILE *f, struct workqueue_struct *wq)
{
	uint32_t cap = (uint32_t)cmwq_nr_cpu_slots * 4 + 64;
	struct cmwq_shm_snap *s;
	char name[sizeof(wq->name)];

	cmwq_init_once();
	if (!f)
		return;
	if (wq) {
		/* Copy the name while the workqueue is known to be alive. */
		struct workqueue_struct *w;
		bool live = false;

		cmwq_mutex_lock(&wqs_mutex, LC_WQS);
		list_for_each_entry(w, &workqueues, node)
			live |= w == wq;
		if (!live) {
			cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
			fprintf(f,
				"show_one_workqueue: %p is not a live "
				"workqueue\n",
				(void *)wq);
			return;
		}
		memcpy(name, wq->name, sizeof(name));
		cmwq_mutex_unlock(&wqs_mutex, LC_WQS);
	}
	s = calloc(1, (size_t)cmwq_shm_snap_size(cap));
	if (!s) {
		fprintf(f, "show_all_workqueues: out of memory\n");
		return;
	}
	cmwq_shm_fill(s, cap);
	cmwq_shm_print_dump(f, s, wq ? name : NULL);
	free(s);
}

CMWQ_API void cmwq_show_all_workqueues(void)
{
	cmwq_show_workqueues_to(stderr, NULL);
}

CMWQ_API void cmwq_show_one_workqueue(struct workqueue_struct *wq)
{
	cmwq_show_workqueues_to(stderr, wq);
}

/*
 * The kernel prints this when freezing fails: every freezable workqueue
 * that still has work, each as show_one_workqueue() shows it.  Busy means
 * items in flight (queued, running, or held back by max_active or by the
 * freeze itself) in the snapshot.
 */
CMWQ_API void cmwq_show_freezable_workqueues(void)
{
	uint32_t cap = (uint32_t)cmwq_nr_cpu_slots * 4 + 64;
	struct cmwq_shm_snap *s;
	struct cmwq_shm_wq *wqs;
	uint32_t i;

	cmwq_init_once();
	s = calloc(1, (size_t)cmwq_shm_snap_size(cap));
	if (!s) {
		fprintf(stderr, "show_freezable_workqueues: out of memory\n");
		return;
	}
	cmwq_shm_fill(s, cap);
	wqs = cmwq_shm_wqs(s);
	fprintf(stderr, "Showing freezable workqueues that are still busy:\n");
	for (i = 0; i < s->nr_wqs; i++) {
		if (!(wqs[i].flags & WQ_FREEZABLE))
			continue;
		if (!wqs[i].nr_in_flight && !wqs[i].nr_inactive)
			continue;
		cmwq_shm_print_dump(stderr, s, wqs[i].name);
	}
	free(s);
}
