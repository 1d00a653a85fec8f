// SPDX-License-Identifier: MIT
/* mod_delayed_work() of an item armed far ahead returns true and moves it:
 * with a delay of 0 the item runs now, once. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(mod_delayed_work, bool (*)(struct workqueue_struct *,
				      struct delayed_work *, unsigned long));

static atomic_int runs;
static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
	complete(&done);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct delayed_work dw;

	audit_begin();
	wq = alloc_workqueue("audit_dw_modp", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(mod_delayed_work(wq, &dw, 0));
	wait_for_completion(&done);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	destroy_workqueue(wq);
	return 0;
}
