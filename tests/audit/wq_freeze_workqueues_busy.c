// SPDX-License-Identifier: MIT
/* freeze_workqueues_busy() is true while a freezable workqueue still has
 * an item running after freeze_workqueues_begin(), false once it is done. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(freeze_workqueues_begin, void (*)(void));
AUDIT_TYPE(freeze_workqueues_busy, bool (*)(void));
AUDIT_TYPE(thaw_workqueues, void (*)(void));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
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

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a;

	audit_begin();
	wq = alloc_workqueue("audit_freeze_busy", WQ_FREEZABLE, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	freeze_workqueues_begin();
	AUDIT_CHECK(freeze_workqueues_busy());
	complete(&release);
	flush_work(&a);
	AUDIT_CHECK(!freeze_workqueues_busy());
	thaw_workqueues();
	destroy_workqueue(wq);
	return 0;
}
