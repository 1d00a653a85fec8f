// SPDX-License-Identifier: MIT
/* While a delayed item's callback runs it is not pending: mod_delayed_work()
 * returns false and queues it again, so the callback runs a second time. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(mod_delayed_work, bool (*)(struct workqueue_struct *,
				      struct delayed_work *, unsigned long));

static atomic_int runs;
static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);

static void fn(struct work_struct *work)
{
	(void)work;
	if (atomic_fetch_add(&runs, 1) == 0) {
		complete(&started);
		wait_for_completion(&release);
	}
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_modr", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 0));
	wait_for_completion(&started);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(!mod_delayed_work(wq, &dw, 0));
	AUDIT_CHECK(delayed_work_pending(&dw));
	complete(&release);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	destroy_workqueue(wq);
	return 0;
}
