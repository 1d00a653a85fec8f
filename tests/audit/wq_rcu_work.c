// SPDX-License-Identifier: MIT
/* queue_rcu_work() queues an rcu_work after an RCU grace period;
 * flush_rcu_work() waits for it (true), to_rcu_work() recovers it. */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>

#include "audit.h"

AUDIT_TYPE(queue_rcu_work, bool (*)(struct workqueue_struct *,
				    struct rcu_work *));
AUDIT_TYPE(flush_rcu_work, bool (*)(struct rcu_work *));
AUDIT_TYPE(to_rcu_work, struct rcu_work *(*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

struct obj {
	int freed;
	struct rcu_work free_rwork;
};

static atomic_int runs;

static void free_fn(struct work_struct *work)
{
	struct obj *o = container_of(to_rcu_work(work), struct obj,
				     free_rwork);

	o->freed = 1;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	static struct obj o;

	audit_begin();
	wq = alloc_workqueue("audit_rcu_work", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_RCU_WORK(&o.free_rwork, free_fn);
	AUDIT_CHECK(!flush_rcu_work(&o.free_rwork));
	/* A fresh item is refused only by a library without liburcu. */
	if (!queue_rcu_work(wq, &o.free_rwork)) {
		fprintf(stderr, "cmwq built without liburcu: no rcu_work\n");
		destroy_workqueue(wq);
		return 77;
	}
	AUDIT_CHECK(flush_rcu_work(&o.free_rwork));
	AUDIT_CHECK(o.freed == 1);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(!flush_rcu_work(&o.free_rwork));
	/* Idle again: it can be queued once more. */
	AUDIT_CHECK(queue_rcu_work(wq, &o.free_rwork));
	AUDIT_CHECK(flush_rcu_work(&o.free_rwork));
	AUDIT_CHECK(atomic_load(&runs) == 2);
	destroy_workqueue(wq);
	return 0;
}
