// SPDX-License-Identifier: MIT
/* Freezing holds only WQ_FREEZABLE workqueues: while frozen, items on
 * other workqueues and on system_wq still run. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(freeze_workqueues_begin, void (*)(void));
AUDIT_TYPE(thaw_workqueues, void (*)(void));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(schedule_work, bool (*)(struct work_struct *));
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
	struct work_struct a, b;

	audit_begin();
	wq = alloc_workqueue("audit_nonfreezable", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, fn);
	INIT_WORK(&b, fn);
	freeze_workqueues_begin();
	AUDIT_CHECK(queue_work(wq, &a));
	AUDIT_CHECK(schedule_work(&b));
	flush_work(&a);
	flush_work(&b);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	thaw_workqueues();
	destroy_workqueue(wq);
	return 0;
}
