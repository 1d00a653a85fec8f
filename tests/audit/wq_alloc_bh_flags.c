// SPDX-License-Identifier: MIT
/* alloc_workqueue(WQ_BH) takes only WQ_HIGHPRI and WQ_PERCPU besides and
 * max_active 0; anything else is refused (NULL), as the kernel's WARN. */
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
	AUDIT_CHECK(!alloc_workqueue("audit_bh_unbound", WQ_BH | WQ_UNBOUND, 0));
	AUDIT_CHECK(!alloc_workqueue("audit_bh_max", WQ_BH, 1));
	AUDIT_CHECK(!alloc_workqueue("audit_bh_fr", WQ_BH | WQ_FREEZABLE, 0));
	wq = alloc_workqueue("audit_bh_hi", WQ_BH | WQ_HIGHPRI | WQ_PERCPU, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
