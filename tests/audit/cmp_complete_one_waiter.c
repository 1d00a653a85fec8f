// SPDX-License-Identifier: MIT
/* complete() wakes one waiter only: of two work items waiting, one passes;
 * the second complete() lets the other pass. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(complete, void (*)(struct completion *));

static DECLARE_COMPLETION(slot);
static atomic_int waiting, woken;

static void waiter(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&waiting, 1);
	wait_for_completion(&slot);
	atomic_fetch_add(&woken, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;

	audit_begin();
	wq = alloc_workqueue("audit_cmp_one", WQ_UNBOUND, 2);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, waiter);
	INIT_WORK(&b, waiter);
	queue_work(wq, &a);
	queue_work(wq, &b);
	while (atomic_load(&waiting) < 2)
		usleep(1000);
	complete(&slot);
	while (atomic_load(&woken) < 1)
		usleep(1000);
	usleep(10 * 1000);
	AUDIT_CHECK(atomic_load(&woken) == 1);
	complete(&slot);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&woken) == 2);
	AUDIT_CHECK(!completion_done(&slot));
	destroy_workqueue(wq);
	return 0;
}
