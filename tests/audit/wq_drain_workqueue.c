// SPDX-License-Identifier: MIT
/* drain_workqueue() waits until the workqueue is empty, chained items (an
 * item queueing itself again) included; afterwards queueing works again. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(drain_workqueue, void (*)(struct workqueue_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

#define CHAIN 100

static struct workqueue_struct *wq;
static atomic_int runs;

static void fn(struct work_struct *work)
{
	if (atomic_fetch_add(&runs, 1) + 1 < CHAIN)
		queue_work(wq, work);
}

int main(void)
{
	struct work_struct w;

	audit_begin();
	wq = alloc_workqueue("audit_drain", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	drain_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == CHAIN);
	AUDIT_CHECK(!work_pending(&w));
	AUDIT_CHECK(queue_work(wq, &w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == CHAIN + 1);
	destroy_workqueue(wq);
	return 0;
}
