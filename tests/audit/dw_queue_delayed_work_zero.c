// SPDX-License-Identifier: MIT
/* queue_delayed_work() with a delay of 0 queues the item at once, arming
 * no timer, so flush_workqueue() waits for it as for a plain item. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_delayed_work, bool (*)(struct workqueue_struct *,
					struct delayed_work *, unsigned long));
AUDIT_TYPE(timer_pending, int (*)(const struct timer_list *));

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
	wq = alloc_workqueue("audit_dw_zero", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 0));
	AUDIT_CHECK(!timer_pending(&dw.timer));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
