// SPDX-License-Identifier: MIT
/* disable_work() nests: an item disabled twice stays disabled after one
 * enable_work() (which returns false) and is usable after the second. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(disable_work, bool (*)(struct work_struct *));
AUDIT_TYPE(enable_work, bool (*)(struct work_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
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
	wq = alloc_workqueue("audit_disable_nest", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	/* Idle: nothing was pending. */
	AUDIT_CHECK(!disable_work(&w));
	AUDIT_CHECK(!disable_work(&w));
	AUDIT_CHECK(!queue_work(wq, &w));
	AUDIT_CHECK(!enable_work(&w));
	AUDIT_CHECK(!queue_work(wq, &w));
	AUDIT_CHECK(enable_work(&w));
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
