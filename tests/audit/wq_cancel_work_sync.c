// SPDX-License-Identifier: MIT
/* cancel_work_sync() cancels a pending item (returns true) and, for a
 * running one, returns only once it has finished (returns false). */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(cancel_work_sync, bool (*)(struct work_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(work_busy, unsigned int (*)(struct work_struct *));
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
	wq = alloc_ordered_workqueue("audit_cancel_sync", 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(!cancel_work_sync(&b));

	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(cancel_work_sync(&b));
	AUDIT_CHECK(!work_pending(&b));

	complete(&release);
	AUDIT_CHECK(!cancel_work_sync(&a));
	AUDIT_CHECK(atomic_load(&a_done) == 1);
	AUDIT_CHECK(work_busy(&a) == 0);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&b_runs) == 0);
	destroy_workqueue(wq);
	return 0;
}
