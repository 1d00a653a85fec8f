// SPDX-License-Identifier: MIT
/* Disabling nests: after two disable_delayed_work() calls the first
 * enable_delayed_work() returns false (still disabled), the second true. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(disable_delayed_work, bool (*)(struct delayed_work *));
AUDIT_TYPE(enable_delayed_work, bool (*)(struct delayed_work *));

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_nest", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(!disable_delayed_work(&dw));
	AUDIT_CHECK(!disable_delayed_work(&dw));
	AUDIT_CHECK(!enable_delayed_work(&dw));
	AUDIT_CHECK(!queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(enable_delayed_work(&dw));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	destroy_workqueue(wq);
	return 0;
}
