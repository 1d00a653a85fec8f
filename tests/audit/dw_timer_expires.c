// SPDX-License-Identifier: MIT
/* After queue_delayed_work(wq, dw, d), dw->timer.expires is jiffies + d,
 * read against jiffies as kernel code does to see how long is left. */
#include <cmwq.h>

#include "audit.h"

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;
	unsigned long before, after, left;

	audit_begin();
	wq = alloc_workqueue("audit_dw_exp", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	before = jiffies;
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 50 * HZ));
	after = jiffies;
	AUDIT_CHECK(time_after_eq(dw.timer.expires, before + 50 * HZ));
	AUDIT_CHECK(time_before_eq(dw.timer.expires, after + 50 * HZ));
	AUDIT_CHECK(time_after(dw.timer.expires, jiffies));
	left = dw.timer.expires - jiffies;
	AUDIT_CHECK(left > 0 && left <= 50 * HZ);
	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	destroy_workqueue(wq);
	return 0;
}
