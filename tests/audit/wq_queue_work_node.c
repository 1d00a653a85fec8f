// SPDX-License-Identifier: MIT
/* queue_work_node() queues on an unbound workqueue for a NUMA node (node 0
 * or NUMA_NO_NODE): the item runs, a pending item is not queued twice. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work_node, bool (*)(int, struct workqueue_struct *,
				     struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w;

	audit_begin();
	wq = alloc_workqueue("audit_qwn", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work_node(0, wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(queue_work_node(NUMA_NO_NODE, wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	destroy_workqueue(wq);
	return 0;
}
