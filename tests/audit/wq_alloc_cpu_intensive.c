// SPDX-License-Identifier: MIT
/* WQ_CPU_INTENSIVE items take no part in concurrency management: a second
 * item on the same CPU starts while the first still runs without sleeping. */
#include <cmwq.h>

#include <sched.h>
#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work_on, bool (*)(int, struct workqueue_struct *,
				   struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int b_started, a_saw_b;

static void spin_fn(struct work_struct *work)
{
	(void)work;
	/* Busy, never sleeping, until the second item has started. */
	while (!atomic_load(&b_started))
		sched_yield();
	atomic_store(&a_saw_b, 1);
}

static void mark_fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&b_started, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;
	int cpu = 0;

	audit_begin();
	while (!cmwq_cpu_possible(cpu))
		cpu++;
	wq = alloc_workqueue("audit_cpu_intensive", WQ_CPU_INTENSIVE, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, spin_fn);
	INIT_WORK(&b, mark_fn);
	AUDIT_CHECK(queue_work_on(cpu, wq, &a));
	AUDIT_CHECK(queue_work_on(cpu, wq, &b));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&a_saw_b) == 1);
	destroy_workqueue(wq);
	return 0;
}
