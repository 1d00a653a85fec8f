// SPDX-License-Identifier: MIT
/* mod_delayed_work() of an armed item sets its timer's expires to jiffies
 * plus the new delay, later or earlier than before. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(mod_delayed_work, bool (*)(struct workqueue_struct *,
				      struct delayed_work *, unsigned long));

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;
	unsigned long before, after;

	audit_begin();
	wq = alloc_workqueue("audit_dw_mode", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 30 * HZ));

	before = jiffies;
	AUDIT_CHECK(mod_delayed_work(wq, &dw, 60 * HZ));
	after = jiffies;
	AUDIT_CHECK(timer_pending(&dw.timer));
	AUDIT_CHECK(time_after_eq(dw.timer.expires, before + 60 * HZ));
	AUDIT_CHECK(time_before_eq(dw.timer.expires, after + 60 * HZ));

	before = jiffies;
	AUDIT_CHECK(mod_delayed_work(wq, &dw, 20 * HZ));
	after = jiffies;
	AUDIT_CHECK(time_after_eq(dw.timer.expires, before + 20 * HZ));
	AUDIT_CHECK(time_before_eq(dw.timer.expires, after + 20 * HZ));

	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	destroy_workqueue(wq);
	return 0;
}
