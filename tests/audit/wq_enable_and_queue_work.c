// SPDX-License-Identifier: MIT
/* enable_and_queue_work() enables a disabled item and, when that makes it
 * usable, queues it and returns true; still disabled, it returns false. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(enable_and_queue_work, bool (*)(struct workqueue_struct *,
					   struct work_struct *));
AUDIT_TYPE(disable_work, bool (*)(struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w;

	audit_begin();
	wq = alloc_workqueue("audit_enable_queue", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	disable_work(&w);
	AUDIT_CHECK(enable_and_queue_work(wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 1);

	disable_work(&w);
	disable_work(&w);
	AUDIT_CHECK(!enable_and_queue_work(wq, &w));
	AUDIT_CHECK(!work_pending(&w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(enable_and_queue_work(wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	destroy_workqueue(wq);
	return 0;
}
