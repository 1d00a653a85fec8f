// SPDX-License-Identifier: MIT
/* flush_delayed_work() of an item whose callback is running waits for the
 * callback to return, and returns true. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(flush_delayed_work, bool (*)(struct delayed_work *));

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
	wq = alloc_workqueue("audit_dw_flr", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 1));
	wait_for_completion(&started);
	AUDIT_CHECK(flush_delayed_work(&dw));
	AUDIT_CHECK(atomic_load(&finished) == 1);
	destroy_workqueue(wq);
	return 0;
}
