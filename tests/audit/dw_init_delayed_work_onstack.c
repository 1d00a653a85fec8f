// SPDX-License-Identifier: MIT
/* INIT_DELAYED_WORK_ONSTACK() for an item that lives in one call: queued,
 * cancelled or flushed, then destroy_delayed_work_on_stack(). */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(destroy_delayed_work_on_stack, void (*)(struct delayed_work *));

static int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	runs++;
}

static void cancelled(struct workqueue_struct *wq)
{
	struct delayed_work dw;

	INIT_DELAYED_WORK_ONSTACK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	destroy_delayed_work_on_stack(&dw);
}

static void flushed(struct workqueue_struct *wq)
{
	struct delayed_work dw;

	INIT_DELAYED_WORK_ONSTACK(&dw, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &dw, 60 * HZ));
	AUDIT_CHECK(flush_delayed_work(&dw));
	destroy_delayed_work_on_stack(&dw);
}

int main(void)
{
	struct workqueue_struct *wq;

	audit_begin();
	wq = alloc_workqueue("audit_dw_onst", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	cancelled(wq);
	flushed(wq);
	AUDIT_CHECK(runs == 1);
	destroy_workqueue(wq);
	return 0;
}
