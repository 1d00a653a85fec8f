// SPDX-License-Identifier: MIT
/* disable_delayed_work() cancels an armed item (returns true) and makes
 * queueing fail until enable_delayed_work() brings the count back to 0. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(disable_delayed_work, bool (*)(struct delayed_work *));
AUDIT_TYPE(enable_delayed_work, bool (*)(struct delayed_work *));

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
	wq = alloc_workqueue("audit_dw_dis", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(disable_delayed_work(&dw));
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(!queue_delayed_work(wq, &dw, 0));
	AUDIT_CHECK(!mod_delayed_work(wq, &dw, 0));
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(enable_delayed_work(&dw));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 0));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
