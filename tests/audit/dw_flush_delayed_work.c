// SPDX-License-Identifier: MIT
/* flush_delayed_work() of an item armed far ahead queues it now and waits
 * for it to finish: returns true, the callback has run once. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(flush_delayed_work, bool (*)(struct delayed_work *));

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
	wq = alloc_workqueue("audit_dw_flush", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(flush_delayed_work(&dw));
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(!timer_pending(&dw.timer));
	destroy_workqueue(wq);
	return 0;
}
