// SPDX-License-Identifier: MIT
/* The kernel's limits: WQ_MAX_ACTIVE 2048, WQ_UNBOUND_MAX_ACTIVE the same,
 * WQ_DFL_ACTIVE half of it, WQ_DFL_MIN_ACTIVE 8; max_active 0 is default. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

_Static_assert(WQ_MAX_ACTIVE == 2048, "WQ_MAX_ACTIVE");
_Static_assert(WQ_UNBOUND_MAX_ACTIVE == WQ_MAX_ACTIVE,
	       "WQ_UNBOUND_MAX_ACTIVE");
_Static_assert(WQ_DFL_ACTIVE == WQ_MAX_ACTIVE / 2, "WQ_DFL_ACTIVE");
_Static_assert(WQ_DFL_MIN_ACTIVE == 8, "WQ_DFL_MIN_ACTIVE");

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
	AUDIT_CHECK(WQ_DFL_ACTIVE == 1024);
	/* 0 selects WQ_DFL_ACTIVE; WQ_MAX_ACTIVE itself is allowed. */
	wq = alloc_workqueue("audit_dfl", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	destroy_workqueue(wq);
	wq = alloc_workqueue("audit_max", 0, WQ_MAX_ACTIVE);
	AUDIT_CHECK(wq);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	destroy_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	return 0;
}
