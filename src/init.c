// SPDX-License-Identifier: MIT
/*
 * init.c - start-up: CPUs, bound pools, system workqueues, settings
 *
 * Runs when the library is loaded (a constructor) and starts no thread:
 * the first thread starts when the first work item needs a worker.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmwq_nr_cpu_slots = 1;
atomic_ullong cmwq_idle_timeout_ns = 300ull * 1000000000ull;
/* CPUs in this process's affinity mask at start-up.  (I) */
static cpu_set_t possible_cpus;

int cmwq_pools_init(void);
int cmwq_system_wqs_init(void);

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_cpus(void)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	int cpu, last = 0;

	CPU_ZERO(&possible_cpus);
	if (sched_getaffinity(0, sizeof(possible_cpus), &possible_cpus) < 0) {
		for (cpu = 0; cpu < conf && cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, &possible_cpus);
	}
	for (cpu = 0; cpu < CPU_SETSIZE && cpu < CMWQ_MAX_CPUS; cpu++)
		if (CPU_ISSET(cpu, &possible_cpus))
			last = cpu;
	cmwq_nr_cpu_slots = last + 1;
	if (conf > cmwq_nr_cpu_slots && conf <= CMWQ_MAX_CPUS)
		cmwq_nr_cpu_slots = (int)conf;
}

static void init_settings(void)
{
	unsigned long long ms;
	bool observe;

	if (cmwq_setting_uint("CMWQ_IDLE_TIMEOUT_MS", 0, 24ull * 3600 * 1000,
			      "a number of milliseconds up to 86400000",
			      "300000", &ms))
		cmwq_set_idle_timeout_ms((unsigned int)ms);
	/*
	 * observe.c reads CMWQ_OBSERVE itself ("0": off, anything else:
	 * on, the default); checked here so a bad value is reported.
	 */
	(void)cmwq_setting_bool("CMWQ_OBSERVE", "1", &observe);
}

static void do_init(void)
{
	cmwq_busy_hash_init();
	init_cpus();
	init_settings();
	if (cmwq_topology_init() < 0) {
		cmwq_warn("out of memory while reading the CPU topology; "
			  "aborting");
		abort();
	}
	cmwq_fault_init();
	cmwq_lockdep_init();
	cmwq_debugobj_init();
	cmwq_detect_init();
	cmwq_fork_init();
	cmwq_watchdog_init();
	if (cmwq_pools_init() < 0 || cmwq_system_wqs_init() < 0) {
		cmwq_warn("out of memory while starting; aborting");
		abort();
	}
}

void cmwq_init_once(void)
{
	pthread_once(&init_once, do_init);
}

__attribute__((constructor)) static void cmwq_constructor(void)
{
	cmwq_init_once();
}

/**
 * cmwq_init - start the library now
 *
 * Creates the pools and starts the manager thread.  Optional: everything
 * starts on first use.  A program whose first queue_work may come from a
 * signal handler calls it first, because starting a thread is not
 * async-signal-safe.
 *
 * Return: 0, or -errno when the manager thread cannot start.
 */
CMWQ_API int cmwq_init(void)
{
	cmwq_init_once();
	return cmwq_manager_start();
}

CMWQ_API int cmwq_nr_cpus(void)
{
	cmwq_init_once();
	return cmwq_nr_cpu_slots;
}

CMWQ_API bool cmwq_cpu_possible(int cpu)
{
	return cpu >= 0 && cpu < cmwq_nr_cpu_slots && cpu < CPU_SETSIZE &&
	       CPU_ISSET(cpu, &possible_cpus);
}

void cmwq_possible_mask(unsigned long *mask)
{
	int cpu;

	memset(mask, 0, CMWQ_MAX_CPUS / 8);
	for (cpu = 0; cpu < cmwq_nr_cpu_slots; cpu++)
		if (cmwq_cpu_possible(cpu))
			mask[cpu / (8 * sizeof(long))] |=
				1UL << (cpu % (8 * sizeof(long)));
}

CMWQ_API void cmwq_set_idle_timeout_ms(unsigned int ms)
{
	atomic_store_explicit(&cmwq_idle_timeout_ns,
			      (unsigned long long)ms * 1000000ull,
			      memory_order_relaxed);
	cmwq_manager_wake();
}
