// SPDX-License-Identifier: MIT
/* work_on_cpu_key(), the function behind work_on_cpu(), takes the caller's
 * static lockdep class key and runs fn(arg) on the CPU named. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(work_on_cpu_key, long (*)(int, long (*)(void *), void *,
				     struct lock_class_key *));

static long fn(void *arg)
{
	int *cpu = arg;

	return smp_processor_id() == *cpu ? 1000 + *cpu : -1;
}

int main(void)
{
	static struct lock_class_key key;
	int cpu;

	audit_begin();
	for (cpu = 0; cpu < num_possible_cpus(); cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		AUDIT_CHECK(work_on_cpu_key(cpu, fn, &cpu, &key) == 1000 + cpu);
	}
	return 0;
}
