// SPDX-License-Identifier: MIT
/* alloc_workqueue(WQ_UNBOUND | WQ_SYSFS) is accepted (there is no sysfs
 * to show it in) and its items run. */
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
	wq = alloc_workqueue("audit_sysfs", WQ_UNBOUND | WQ_SYSFS, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
