// SPDX-License-Identifier: MIT
/* mod_delayed_work_on() moves an armed item to another delay and CPU:
 * returns true, and the item runs on that CPU of a per-CPU workqueue. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(mod_delayed_work_on, bool (*)(int, struct workqueue_struct *,
					 struct delayed_work *,
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
	struct workqueue_struct *wq;
	struct delayed_work dw;
	int cpu;

	audit_begin();
	wq = alloc_workqueue("audit_dw_modon", WQ_PERCPU, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	cpu = raw_smp_processor_id();
	AUDIT_CHECK(!mod_delayed_work_on(cpu, wq, &dw, 60 * HZ));
	AUDIT_CHECK(mod_delayed_work_on(cpu, wq, &dw, 1));
	wait_for_completion(&done);
	AUDIT_CHECK(ran_on == cpu);
	destroy_workqueue(wq);
	return 0;
}
