// SPDX-License-Identifier: MIT
/* cancel_work_sync() stops an item that keeps queueing itself: on return
 * it is neither pending nor running and does not run again. */
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

static struct workqueue_struct *wq;
static DECLARE_COMPLETION(looping);
static atomic_int runs;

static void fn(struct work_struct *work)
{
	if (atomic_fetch_add(&runs, 1) == 3)
		complete(&looping);
	queue_work(wq, work);
}

int main(void)
{
	struct work_struct w;
	int n;

	audit_begin();
	wq = alloc_workqueue("audit_cancel_requeue", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	wait_for_completion(&looping);
	cancel_work_sync(&w);
	AUDIT_CHECK(work_busy(&w) == 0);
	AUDIT_CHECK(!work_pending(&w));
	n = atomic_load(&runs);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == n);
	destroy_workqueue(wq);
	return 0;
}
