// SPDX-License-Identifier: MIT
/* A work item that waits for a completion, on a per-CPU workqueue, does
 * not stall its CPU: the next item queued there runs and completes it. */
#include <cmwq.h>

#include "audit.h"

static DECLARE_COMPLETION(step);
static DECLARE_COMPLETION(finished);

static void first(struct work_struct *work)
{
	(void)work;
	wait_for_completion(&step);
	complete(&finished);
}

static void second(struct work_struct *work)
{
	(void)work;
	complete(&step);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;
	int cpu;

	audit_begin();
	wq = alloc_workqueue("audit_cmp_wiw", WQ_PERCPU, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, first);
	INIT_WORK(&b, second);
	cpu = raw_smp_processor_id();
	AUDIT_CHECK(queue_work_on(cpu, wq, &a));
	AUDIT_CHECK(queue_work_on(cpu, wq, &b));
	wait_for_completion(&finished);
	flush_workqueue(wq);
	destroy_workqueue(wq);
	return 0;
}
