// SPDX-License-Identifier: MIT
/* alloc_workqueue(WQ_POWER_EFFICIENT) is accepted (the kernel makes it
 * unbound only with workqueue.power_efficient) and its items run. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

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
	wq = alloc_workqueue("audit_power_efficient", WQ_POWER_EFFICIENT, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);

	wq = alloc_workqueue("audit_power_efficient_fr",
			     WQ_POWER_EFFICIENT | WQ_FREEZABLE, 0);
	AUDIT_CHECK(wq);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	destroy_workqueue(wq);
	return 0;
}
