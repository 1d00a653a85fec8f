/* SPDX-License-Identifier: MIT */
/*
 * seed001_highpri.c - a WQ_HIGHPRI workqueue
 *
 * The pattern of the radeon display driver in the CMWQ talk: each CRTC's
 * page-flip queue, the legacy
 *
 *	create_singlethread_workqueue("radeon-crtc")
 *
 * becomes
 *
 *	alloc_workqueue("radeon-crtc", WQ_HIGHPRI, 0)
 *
 * A flip that runs late misses the refresh, so its items go to the
 * high-priority worker pools.  Here the "vblank interrupt" is a signal
 * handler (queue_work is async-signal-safe, the user-space analogue of IRQ
 * context) that queues the flip on each CPU in turn.
 *
 * What this program checks, from inside each flip item:
 *  - the worker is a high-priority pool's kworker: its thread name is
 *    "kworker/N:MH" where N is the CPU the flip was queued on;
 *  - the worker runs on that CPU;
 * and for contrast that a plain workqueue's item runs on "kworker/N:M"
 * without the H.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

#define NR_FLIPS_PER_CPU 8

struct radeon_crtc {
	struct workqueue_struct *flip_queue;
	struct work_struct flip_work;
	atomic_int flip_cpu; /* the CPU the vblank queued it on */
	atomic_int flips;
	char worker_name[16]; /* thread name seen by the last flip */
	int ran_on_cpu;
	bool is_worker;
};

static struct radeon_crtc crtc;

/* What the item learns about the thread running it. */
static void whoami(char name[16], int *cpu, bool *is_worker)
{
	if (pthread_getname_np(pthread_self(), name, 16) != 0)
		strcpy(name, "?");
	*cpu = smp_processor_id();
	*is_worker = cmwq_current_is_worker();
}

static void radeon_flip_work_func(struct work_struct *work)
{
	struct radeon_crtc *c =
		container_of(work, struct radeon_crtc, flip_work);

	/* Program the new scanout address: simulated. */
	whoami(c->worker_name, &c->ran_on_cpu, &c->is_worker);
	atomic_fetch_add(&c->flips, 1);
}

/* The vblank "interrupt". */
static void vblank_irq(int sig)
{
	(void)sig;
	queue_work_on(atomic_load(&crtc.flip_cpu), crtc.flip_queue,
		      &crtc.flip_work);
}

/*
 * Parse "kworker/N:M" or "kworker/N:MH"; return N, or -1 if @name is not
 * that.  *highpri tells whether the H is there.
 */
static int parse_kworker(const char *name, bool *highpri)
{
	int cpu, id, n = 0;

	if (sscanf(name, "kworker/%d:%d%n", &cpu, &id, &n) != 2 || n == 0)
		return -1;
	*highpri = name[n] == 'H';
	if (name[n + (*highpri ? 1 : 0)] != '\0')
		return -1;
	return cpu;
}

struct plain_item {
	struct work_struct work;
	char worker_name[16];
	int ran_on_cpu;
	bool is_worker;
};

static void plain_func(struct work_struct *work)
{
	struct plain_item *p = container_of(work, struct plain_item, work);

	whoami(p->worker_name, &p->ran_on_cpu, &p->is_worker);
}

int main(void)
{
	struct workqueue_struct *plain_wq;
	struct plain_item plain;
	int cpu, i, nr_cpus = cmwq_nr_cpus(), cpus_used = 0;
	bool highpri;

	crtc.flip_queue = alloc_workqueue("radeon-crtc", WQ_HIGHPRI, 0);
	plain_wq = alloc_workqueue("plain", 0, 0);
	if (!crtc.flip_queue || !plain_wq) {
		perror("alloc_workqueue");
		return EXIT_FAILURE;
	}
	INIT_WORK(&crtc.flip_work, radeon_flip_work_func);
	INIT_WORK(&plain.work, plain_func);

	/*
	 * The first queue_work() of a process may start the library's
	 * helper thread, which is not async-signal-safe: a program whose
	 * first queueing may come from a signal handler starts the library
	 * beforehand.
	 */
	EXPECT(cmwq_init() == 0);

	signal(SIGUSR1, vblank_irq);

	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		cpus_used++;
		for (i = 0; i < NR_FLIPS_PER_CPU; i++) {
			atomic_store(&crtc.flip_cpu, cpu);
			raise(SIGUSR1);
			flush_work(&crtc.flip_work);

			/* Published by flush_work(): plain reads are fine. */
			EXPECT(crtc.is_worker);
			EXPECT(parse_kworker(crtc.worker_name, &highpri) ==
			       cpu);
			EXPECT(highpri);
			EXPECT(crtc.ran_on_cpu == cpu);
		}
		printf("flip queued on CPU %d ran on %s (CPU %d)\n", cpu,
		       crtc.worker_name, crtc.ran_on_cpu);

		queue_work_on(cpu, plain_wq, &plain.work);
		flush_work(&plain.work);
		EXPECT(plain.is_worker);
		EXPECT(parse_kworker(plain.worker_name, &highpri) == cpu);
		EXPECT(!highpri);
		EXPECT(plain.ran_on_cpu == cpu);
		printf("plain item on CPU %d ran on %s\n", cpu,
		       plain.worker_name);
	}
	EXPECT(cpus_used > 0);
	EXPECT(atomic_load(&crtc.flips) == cpus_used * NR_FLIPS_PER_CPU);

	signal(SIGUSR1, SIG_DFL);
	destroy_workqueue(plain_wq);
	destroy_workqueue(crtc.flip_queue);
	return EXIT_SUCCESS;
}
