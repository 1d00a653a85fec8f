// SPDX-License-Identifier: MIT
/* schedule_on_each_cpu() runs the function once on every CPU, each in its
 * own item, and returns 0 only after all have finished. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(schedule_on_each_cpu, int (*)(work_func_t));

#define MAX 1024

static atomic_int seen[MAX];
static atomic_int calls;
static struct work_struct *items[MAX];

static void fn(struct work_struct *work)
{
	int cpu = smp_processor_id();

	if (cpu >= 0 && cpu < MAX) {
		atomic_fetch_add(&seen[cpu], 1);
		items[cpu] = work;
	}
	atomic_fetch_add(&calls, 1);
}

int main(void)
{
	int cpu, n = 0;

	audit_begin();
	AUDIT_CHECK(schedule_on_each_cpu(fn) == 0);
	for (cpu = 0; cpu < num_possible_cpus() && cpu < MAX; cpu++) {
		if (!cmwq_cpu_possible(cpu)) {
			AUDIT_CHECK(atomic_load(&seen[cpu]) == 0);
			continue;
		}
		AUDIT_CHECK(atomic_load(&seen[cpu]) == 1);
		n++;
	}
	AUDIT_CHECK(atomic_load(&calls) == n);
	/* Each CPU's call had an item of its own. */
	for (cpu = 1; cpu < num_possible_cpus() && cpu < MAX; cpu++)
		AUDIT_CHECK(!items[cpu] || items[cpu] != items[0]);
	return 0;
}
