// SPDX-License-Identifier: MIT
/* timer_pending(&dwork->timer) is true while a delayed item waits for its
 * delay and false once the timer has fired and the item ran. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(timer_pending, int (*)(const struct timer_list *));

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&done);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_tp", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(!timer_pending(&dw.timer));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(timer_pending(&dw.timer));
	AUDIT_CHECK(mod_delayed_work(wq, &dw, 1));
	wait_for_completion(&done);
	AUDIT_CHECK(!timer_pending(&dw.timer));
	destroy_workqueue(wq);
	return 0;
}
