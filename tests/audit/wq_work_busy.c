// SPDX-License-Identifier: MIT
/* work_busy() reports WORK_BUSY_PENDING for a queued item, RUNNING for a
 * running one, both for a running item queued again, 0 when idle. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(work_busy, unsigned int (*)(struct work_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);
static unsigned int busy_inside;

static void block_fn(struct work_struct *work)
{
	busy_inside = work_busy(work);
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
	wq = alloc_ordered_workqueue("audit_busy", 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(work_busy(&a) == 0);
	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(busy_inside == WORK_BUSY_RUNNING);
	AUDIT_CHECK(work_busy(&a) == WORK_BUSY_RUNNING);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(work_busy(&b) == WORK_BUSY_PENDING);
	AUDIT_CHECK(queue_work(wq, &a));
	AUDIT_CHECK(work_busy(&a) == (WORK_BUSY_PENDING | WORK_BUSY_RUNNING));
	complete(&release);
	/* a runs a second time: let it through, then all is idle. */
	complete(&release);
	flush_workqueue(wq);
	AUDIT_CHECK(work_busy(&a) == 0);
	AUDIT_CHECK(work_busy(&b) == 0);
	destroy_workqueue(wq);
	return 0;
}
