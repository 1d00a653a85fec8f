// SPDX-License-Identifier: MIT
/* queue_delayed_work() of an item whose timer is armed returns false and
 * leaves its expiry alone (kernel: WORK_STRUCT_PENDING already set). */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_delayed_work, bool (*)(struct workqueue_struct *,
					struct delayed_work *, unsigned long));
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
	unsigned long expires;

	audit_begin();
	wq = alloc_workqueue("audit_dw_pend", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	expires = dw.timer.expires;
	AUDIT_CHECK(!queue_delayed_work(wq, &dw, 1));
	AUDIT_CHECK(!queue_delayed_work(wq, &dw, 0));
	AUDIT_CHECK(dw.timer.expires == expires);
	AUDIT_CHECK(delayed_work_pending(&dw));
	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	AUDIT_CHECK(atomic_load(&runs) == 0);
	destroy_workqueue(wq);
	return 0;
}
