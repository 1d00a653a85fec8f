// SPDX-License-Identifier: MIT
/* workqueue_set_min_active() on an unbound workqueue: with min_active 2,
 * two interdependent items (one waits for the other) both run. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(workqueue_set_min_active, void (*)(struct workqueue_struct *,
					      int));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(b_ran);
static DECLARE_COMPLETION(a_done);

static void wait_fn(struct work_struct *work)
{
	(void)work;
	wait_for_completion(&b_ran);
	complete(&a_done);
}

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&b_ran);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;

	audit_begin();
	wq = alloc_workqueue("audit_min_active", WQ_UNBOUND, 2);
	AUDIT_CHECK(wq);
	workqueue_set_min_active(wq, 2);
	INIT_WORK(&a, wait_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(queue_work(wq, &a));
	AUDIT_CHECK(queue_work(wq, &b));
	wait_for_completion(&a_done);
	flush_workqueue(wq);
	destroy_workqueue(wq);
	return 0;
}
