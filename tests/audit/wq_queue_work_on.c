// SPDX-License-Identifier: MIT
/* queue_work_on() on a per-CPU workqueue runs the item on the CPU named;
 * queueing an item that is still pending returns false. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work_on, bool (*)(int, struct workqueue_struct *,
				   struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int ran_on, runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&ran_on, smp_processor_id());
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w;
	int cpu, n = 0;

	audit_begin();
	wq = alloc_workqueue("audit_qwo", 0, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	for (cpu = 0; cpu < num_possible_cpus(); cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		atomic_store(&ran_on, -1);
		AUDIT_CHECK(queue_work_on(cpu, wq, &w));
		flush_work(&w);
		AUDIT_CHECK(atomic_load(&ran_on) == cpu);
		n++;
	}
	AUDIT_CHECK(atomic_load(&runs) == n);
	destroy_workqueue(wq);
	return 0;
}
