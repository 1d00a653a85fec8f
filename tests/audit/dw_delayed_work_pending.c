// SPDX-License-Identifier: MIT
/* delayed_work_pending() is true from queueing until the callback starts
 * (false inside it) and false after a cancel. */
#include <cmwq.h>

#include "audit.h"

static struct delayed_work dw;
static int pending_inside = -1;

static void fn(struct work_struct *work)
{
	(void)work;
	pending_inside = delayed_work_pending(&dw);
}

int main(void)
{
	struct workqueue_struct *wq;

	audit_begin();
	wq = alloc_workqueue("audit_dw_dwp", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(delayed_work_pending(&dw));
	AUDIT_CHECK(cancel_delayed_work(&dw));
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(delayed_work_pending(&dw));
	AUDIT_CHECK(flush_delayed_work(&dw));
	AUDIT_CHECK(pending_inside == 0);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	destroy_workqueue(wq);
	return 0;
}
