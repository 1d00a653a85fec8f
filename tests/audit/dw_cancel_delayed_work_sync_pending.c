// SPDX-License-Identifier: MIT
/* cancel_delayed_work_sync() of an armed item returns true; the item is
 * idle afterwards and its callback never ran. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(cancel_delayed_work_sync, bool (*)(struct delayed_work *));

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_csp", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(!cancel_delayed_work_sync(&dw));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(!timer_pending(&dw.timer));
	AUDIT_CHECK(atomic_load(&runs) == 0);
	/* Idle again: it can be queued anew. */
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 0));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
