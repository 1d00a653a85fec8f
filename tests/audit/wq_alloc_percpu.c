// SPDX-License-Identifier: MIT
/* alloc_workqueue(WQ_PERCPU) gives a per-CPU workqueue: an item queued
 * with queue_work_on() runs on the CPU it was queued on. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work_on, bool (*)(int, struct workqueue_struct *,
				   struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int ran_on;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&ran_on, smp_processor_id());
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w;
	int cpu;

	audit_begin();
	wq = alloc_workqueue("audit_percpu", WQ_PERCPU, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	for (cpu = 0; cpu < num_possible_cpus(); cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		atomic_store(&ran_on, -1);
		AUDIT_CHECK(queue_work_on(cpu, wq, &w));
		flush_work(&w);
		AUDIT_CHECK(atomic_load(&ran_on) == cpu);
	}
	destroy_workqueue(wq);
	return 0;
}
