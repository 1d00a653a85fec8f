// SPDX-License-Identifier: MIT
/* alloc_workqueue(WQ_HIGHPRI) gives a per-CPU workqueue served by the
 * high-priority pools: an item queued on a CPU runs there, in a worker. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work_on, bool (*)(int, struct workqueue_struct *,
				   struct work_struct *));
AUDIT_TYPE(current_work, struct work_struct *(*)(void));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int runs, ran_on = -1, in_worker;

static void fn(struct work_struct *work)
{
	if (current_work() == work)
		atomic_store(&in_worker, 1);
	atomic_store(&ran_on, smp_processor_id());
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w;
	int cpu = 0;

	audit_begin();
	while (!cmwq_cpu_possible(cpu))
		cpu++;
	wq = alloc_workqueue("audit_highpri", WQ_HIGHPRI, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work_on(cpu, wq, &w));
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(atomic_load(&in_worker) == 1);
	AUDIT_CHECK(atomic_load(&ran_on) == cpu);
	destroy_workqueue(wq);
	return 0;
}
