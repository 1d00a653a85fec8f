// SPDX-License-Identifier: MIT
/* schedule_work_on() queues on system_wq for a CPU: the item runs on that
 * CPU. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(schedule_work_on, bool (*)(int, struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

static atomic_int ran_on;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&ran_on, smp_processor_id());
}

int main(void)
{
	struct work_struct w;
	int cpu;

	audit_begin();
	INIT_WORK(&w, fn);
	for (cpu = 0; cpu < num_possible_cpus(); cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		atomic_store(&ran_on, -1);
		AUDIT_CHECK(schedule_work_on(cpu, &w));
		flush_work(&w);
		AUDIT_CHECK(atomic_load(&ran_on) == cpu);
	}
	return 0;
}
