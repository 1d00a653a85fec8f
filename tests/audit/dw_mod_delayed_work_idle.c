// SPDX-License-Identifier: MIT
/* mod_delayed_work() of an idle item returns false and queues it after the
 * delay, as queue_delayed_work() would. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(mod_delayed_work, bool (*)(struct workqueue_struct *,
				      struct delayed_work *, unsigned long));

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
	wq = alloc_workqueue("audit_dw_modi", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(!mod_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(delayed_work_pending(&dw));
	AUDIT_CHECK(flush_delayed_work(&dw));
	AUDIT_CHECK(atomic_load(&runs) == 1);
	destroy_workqueue(wq);
	return 0;
}
