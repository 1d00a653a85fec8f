// SPDX-License-Identifier: MIT
/* cancel_delayed_work_sync() of an item whose callback is running waits
 * for it to return; the item was not pending, so it returns false. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(cancel_delayed_work_sync, bool (*)(struct delayed_work *));

static atomic_int finished;
static DECLARE_COMPLETION(started);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	usleep(20 * 1000);
	atomic_store(&finished, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_cs", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 1));
	wait_for_completion(&started);
	AUDIT_CHECK(!cancel_delayed_work_sync(&dw));
	AUDIT_CHECK(atomic_load(&finished) == 1);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	destroy_workqueue(wq);
	return 0;
}
