// SPDX-License-Identifier: MIT
/* work_on_cpu() runs fn(arg) in a work item on the CPU named, waits for it
 * and returns what fn returned. */
#include <cmwq.h>

#include "audit.h"

static long fn(void *arg)
{
	int *cpu = arg;

	return smp_processor_id() == *cpu ? 1000 + *cpu : -1;
}

int main(void)
{
	int cpu;

	audit_begin();
	for (cpu = 0; cpu < num_possible_cpus(); cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		AUDIT_CHECK(work_on_cpu(cpu, fn, &cpu) == 1000 + cpu);
	}
	return 0;
}
