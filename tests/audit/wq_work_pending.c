// SPDX-License-Identifier: MIT
/* work_pending() is true from queue_work() until the item starts, false
 * for an item just initialised and once it has run. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);
static bool pending_while_running = true;

static void block_fn(struct work_struct *work)
{
	pending_while_running = work_pending(work);
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
	wq = alloc_ordered_workqueue("audit_pending", 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(!work_pending(&a));
	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(!pending_while_running);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(work_pending(&b));
	AUDIT_CHECK(!queue_work(wq, &b));
	complete(&release);
	flush_workqueue(wq);
	AUDIT_CHECK(!work_pending(&a));
	AUDIT_CHECK(!work_pending(&b));
	destroy_workqueue(wq);
	return 0;
}
