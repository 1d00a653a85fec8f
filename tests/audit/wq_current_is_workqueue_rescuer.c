// SPDX-License-Identifier: MIT
/* current_is_workqueue_rescuer() is false outside a worker and in an
 * ordinary worker.  (A WQ_MEM_RECLAIM workqueue's item may run in the
 * rescuer on a loaded machine, after the 10 ms mayday: either answer.) */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(current_is_workqueue_rescuer, bool (*)(void));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int runs, rescuer;

static void fn(struct work_struct *work)
{
	(void)work;
	if (current_is_workqueue_rescuer())
		atomic_store(&rescuer, 1);
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w;

	audit_begin();
	AUDIT_CHECK(!current_is_workqueue_rescuer());
	wq = alloc_workqueue("audit_rescuer", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_work(&w);
	atomic_store(&rescuer, 0);
	AUDIT_CHECK(queue_work(system_wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	/* system_wq has no rescuer: an ordinary worker ran it. */
	AUDIT_CHECK(atomic_load(&rescuer) == 0);
	destroy_workqueue(wq);
	return 0;
}
