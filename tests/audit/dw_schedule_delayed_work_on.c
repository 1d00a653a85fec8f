// SPDX-License-Identifier: MIT
/* schedule_delayed_work_on() queues on the per-CPU system workqueue of the
 * CPU given; the callback runs there. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(schedule_delayed_work_on, bool (*)(int, struct delayed_work *,
					      unsigned long));

static int ran_on = -1;
static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	ran_on = raw_smp_processor_id();
	complete(&done);
}

int main(void)
{
	struct delayed_work dw;
	int cpu;

	audit_begin();
	INIT_DELAYED_WORK(&dw, fn);
	cpu = raw_smp_processor_id();
	AUDIT_CHECK(schedule_delayed_work_on(cpu, &dw, 1));
	wait_for_completion(&done);
	AUDIT_CHECK(ran_on == cpu);
	flush_delayed_work(&dw);
	return 0;
}
