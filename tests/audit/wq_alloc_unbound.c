// SPDX-License-Identifier: MIT
/* alloc_workqueue(WQ_UNBOUND) runs items in an unbound pool's worker; the
 * CPU given to queue_work_on() is only a hint there, the item still runs. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(queue_work_on, bool (*)(int, struct workqueue_struct *,
				   struct work_struct *));
AUDIT_TYPE(current_work, struct work_struct *(*)(void));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int runs, in_worker;

static void fn(struct work_struct *work)
{
	if (current_work() == work)
		atomic_fetch_add(&in_worker, 1);
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;

	audit_begin();
	wq = alloc_workqueue("audit_unbound", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(queue_work(wq, &a));
	AUDIT_CHECK(queue_work_on(0, wq, &b));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	AUDIT_CHECK(atomic_load(&in_worker) == 2);
	destroy_workqueue(wq);
	return 0;
}
