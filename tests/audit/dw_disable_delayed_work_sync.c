// SPDX-License-Identifier: MIT
/* disable_delayed_work_sync() of an item whose callback runs waits for the
 * callback; afterwards the item cannot be queued until enabled again. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(disable_delayed_work_sync, bool (*)(struct delayed_work *));
AUDIT_TYPE(enable_delayed_work, bool (*)(struct delayed_work *));

static atomic_int finished;
static DECLARE_COMPLETION(started);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	usleep(20 * 1000);
	atomic_fetch_add(&finished, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_diss", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 1));
	wait_for_completion(&started);
	AUDIT_CHECK(!disable_delayed_work_sync(&dw));
	AUDIT_CHECK(atomic_load(&finished) == 1);
	AUDIT_CHECK(!queue_delayed_work(wq, &dw, 0));
	AUDIT_CHECK(enable_delayed_work(&dw));
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 0));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&finished) == 2);
	destroy_workqueue(wq);
	return 0;
}
