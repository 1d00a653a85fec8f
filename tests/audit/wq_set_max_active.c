// SPDX-License-Identifier: MIT
/* workqueue_set_max_active() changes how many items run at once: at 1 a
 * second item waits; raising it to 2 starts the waiting item. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(workqueue_set_max_active, void (*)(struct workqueue_struct *,
					      int));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);
static DECLARE_COMPLETION(b_done);

static void block_fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	wait_for_completion(&release);
}

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&b_done);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;

	audit_begin();
	wq = alloc_workqueue("audit_max_active", WQ_UNBOUND, 4);
	AUDIT_CHECK(wq);
	workqueue_set_max_active(wq, 1);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(!completion_done(&b_done));
	AUDIT_CHECK(workqueue_congested(WORK_CPU_UNBOUND, wq));
	/* b runs while a still holds the first slot. */
	workqueue_set_max_active(wq, 2);
	wait_for_completion(&b_done);
	complete(&release);
	flush_workqueue(wq);
	destroy_workqueue(wq);
	return 0;
}
