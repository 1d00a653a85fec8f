// SPDX-License-Identifier: MIT
/* cancel_work() takes a pending item off its queue and returns true; it
 * returns false for an idle item and leaves a running one alone. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(cancel_work, bool (*)(struct work_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);
static atomic_int a_done, b_runs;

static void block_fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	wait_for_completion(&release);
	atomic_store(&a_done, 1);
}

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&b_runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;

	audit_begin();
	/* Ordered: b stays pending while a runs. */
	wq = alloc_ordered_workqueue("audit_cancel", 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(!cancel_work(&b));

	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(cancel_work(&b));
	AUDIT_CHECK(!work_pending(&b));
	AUDIT_CHECK(!cancel_work(&b));
	/* Running, not pending: nothing to cancel, it goes on. */
	AUDIT_CHECK(!cancel_work(&a));
	complete(&release);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&a_done) == 1);
	AUDIT_CHECK(atomic_load(&b_runs) == 0);
	destroy_workqueue(wq);
	return 0;
}
