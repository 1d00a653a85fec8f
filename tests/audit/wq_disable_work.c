// SPDX-License-Identifier: MIT
/* disable_work() cancels a pending item (returns true) and keeps it from
 * being queued (queue_work() returns false) until enable_work(). */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(disable_work, bool (*)(struct work_struct *));
AUDIT_TYPE(enable_work, bool (*)(struct work_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);
static atomic_int b_runs;

static void block_fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	wait_for_completion(&release);
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
	wq = alloc_ordered_workqueue("audit_disable", 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(disable_work(&b));
	AUDIT_CHECK(!work_pending(&b));
	AUDIT_CHECK(!queue_work(wq, &b));
	AUDIT_CHECK(!work_pending(&b));
	complete(&release);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&b_runs) == 0);

	AUDIT_CHECK(enable_work(&b));
	AUDIT_CHECK(queue_work(wq, &b));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&b_runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
