// SPDX-License-Identifier: MIT
/* A WQ_FREEZABLE workqueue runs items normally; an item queued after
 * freeze_workqueues_begin() waits until thaw_workqueues(). */
#include <cmwq.h>

#include <sched.h>
#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(freeze_workqueues_begin, void (*)(void));
AUDIT_TYPE(freeze_workqueues_busy, bool (*)(void));
AUDIT_TYPE(thaw_workqueues, void (*)(void));
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
	int i;

	audit_begin();
	wq = alloc_workqueue("audit_freezable", WQ_FREEZABLE | WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 1);

	freeze_workqueues_begin();
	AUDIT_CHECK(queue_work(wq, &w));
	/* Nothing of the frozen workqueue is active: freezing is complete. */
	AUDIT_CHECK(!freeze_workqueues_busy());
	for (i = 0; i < 100; i++)
		sched_yield();
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(work_pending(&w));
	thaw_workqueues();
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	destroy_workqueue(wq);
	return 0;
}
