// SPDX-License-Identifier: MIT
/* flush_delayed_work() of an item that is neither pending nor running
 * returns false at once. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(flush_delayed_work, bool (*)(struct delayed_work *));

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_flushi", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(!flush_delayed_work(&dw));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 0));
	flush_workqueue(wq);
	AUDIT_CHECK(!flush_delayed_work(&dw));
	destroy_workqueue(wq);
	return 0;
}
