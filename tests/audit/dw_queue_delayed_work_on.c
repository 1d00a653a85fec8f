// SPDX-License-Identifier: MIT
/* queue_delayed_work_on() on a per-CPU workqueue runs the item, after its
 * delay, on the CPU asked for. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(queue_delayed_work_on, bool (*)(int, struct workqueue_struct *,
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
	wq = alloc_workqueue("audit_dw_on", WQ_PERCPU, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	cpu = raw_smp_processor_id();
	AUDIT_CHECK(queue_delayed_work_on(cpu, wq, &dw, 2));
	wait_for_completion(&done);
	AUDIT_CHECK(ran_on == cpu);
	destroy_workqueue(wq);
	return 0;
}
