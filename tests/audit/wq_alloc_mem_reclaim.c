// SPDX-License-Identifier: MIT
/* alloc_workqueue(WQ_MEM_RECLAIM) gives a workqueue with a rescuer; its
 * items run, in ordinary workers or, when a worker is slow to start (a
 * loaded machine: the kernel's 10 ms mayday), in the rescuer. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(current_is_workqueue_rescuer, bool (*)(void));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int runs, by_rescuer;

static void fn(struct work_struct *work)
{
	(void)work;
	if (current_is_workqueue_rescuer())
		atomic_fetch_add(&by_rescuer, 1);
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w[4];
	int i;

	audit_begin();
	wq = alloc_workqueue("audit_mem_reclaim", WQ_MEM_RECLAIM, 0);
	AUDIT_CHECK(wq);
	for (i = 0; i < 4; i++) {
		INIT_WORK(&w[i], fn);
		AUDIT_CHECK(queue_work(wq, &w[i]));
	}
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 4);
	AUDIT_CHECK(atomic_load(&by_rescuer) <= 4);
	destroy_workqueue(wq);
	return 0;
}
