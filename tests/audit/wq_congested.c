// SPDX-License-Identifier: MIT
/* workqueue_congested() is true while an item waits because max_active
 * items already run, false once the workqueue has caught up. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(workqueue_congested, bool (*)(int, struct workqueue_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);

static void block_fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	wait_for_completion(&release);
}

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;

	audit_begin();
	wq = alloc_workqueue("audit_congested", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(!workqueue_congested(WORK_CPU_UNBOUND, wq));
	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(workqueue_congested(WORK_CPU_UNBOUND, wq));
	complete(&release);
	flush_workqueue(wq);
	AUDIT_CHECK(!workqueue_congested(WORK_CPU_UNBOUND, wq));
	destroy_workqueue(wq);
	return 0;
}
