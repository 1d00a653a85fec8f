// SPDX-License-Identifier: MIT
/*
 * oncpu.c - run a function on a given CPU, or on every CPU, and wait:
 * work_on_cpu() and schedule_on_each_cpu()
 *
 * Both are built on the public API only: an item per CPU queued on
 * system_percpu_wq, whose pool's workers are pinned to that CPU, then
 * flushed.  The waits are flushes, so a work item that calls them lets its
 * own pool run other work meanwhile.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>

/* work_on_cpu()'s item: the function, its argument and its result. */
struct work_for_cpu {
	struct work_struct work;
	long (*fn)(void *arg);
	void *arg;
	long ret;
};

static void work_for_cpu_fn(struct work_struct *work)
{
	struct work_for_cpu *wfc =
		container_of(work, struct work_for_cpu, work);

	wfc->ret = wfc->fn(wfc->arg);
}

CMWQ_API long cmwq_work_on_cpu(int cpu, long (*fn)(void *arg), void *arg)
{
	struct work_for_cpu wfc = { .fn = fn, .arg = arg };

	if (!fn) {
		cmwq_warn("work_on_cpu: no function to run on CPU %d", cpu);
		return -EINVAL;
	}
	if (!cmwq_cpu_possible(cpu)) {
		cmwq_warn("work_on_cpu: CPU %d is not one this process may "
			  "run on; %p not run",
			  cpu, (void *)fn);
		return -EINVAL;
	}
	cmwq_init_work(&wfc.work, work_for_cpu_fn);
	cmwq_queue_work_on(cpu, cmwq_system_percpu_wq, &wfc.work);
	cmwq_flush_work(&wfc.work);
	cmwq_destroy_work_on_stack(&wfc.work);
	return wfc.ret;
}

CMWQ_API int cmwq_schedule_on_each_cpu(work_func_t func)
{
	struct work_struct *works;
	int cpu, slots = cmwq_nr_cpu_slots;

	if (!func) {
		cmwq_warn("schedule_on_each_cpu: no function");
		return -EINVAL;
	}
	works = cmwq_calloc((size_t)slots, sizeof(*works));
	if (!works)
		return -ENOMEM;
	for (cpu = 0; cpu < slots; cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		cmwq_init_work(&works[cpu], func);
		cmwq_queue_work_on(cpu, cmwq_system_percpu_wq, &works[cpu]);
	}
	for (cpu = 0; cpu < slots; cpu++)
		if (cmwq_cpu_possible(cpu))
			cmwq_flush_work(&works[cpu]);
	free(works);
	return 0;
}
