// SPDX-License-Identifier: MIT
/* A WQ_BH workqueue (the kernel's replacement for tasklets) runs items
 * queued on a CPU one at a time, in queueing order, on that CPU. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work_on, bool (*)(int, struct workqueue_struct *,
				   struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

#define N 16

struct item {
	struct work_struct work;
	int index;
};

static atomic_int next, overlap, running, wrong_cpu;
static int order[N];
static int cpu;

/* Must not sleep: BH context. */
static void fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, work);

	if (atomic_fetch_add(&running, 1) != 0)
		atomic_store(&overlap, 1);
	if (smp_processor_id() != cpu)
		atomic_store(&wrong_cpu, 1);
	order[atomic_fetch_add(&next, 1)] = it->index;
	atomic_fetch_sub(&running, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	static struct item items[N];
	int i;

	audit_begin();
	while (!cmwq_cpu_possible(cpu))
		cpu++;
	wq = alloc_workqueue("audit_bh", WQ_BH, 0);
	AUDIT_CHECK(wq);
	for (i = 0; i < N; i++) {
		items[i].index = i;
		INIT_WORK(&items[i].work, fn);
		AUDIT_CHECK(queue_work_on(cpu, wq, &items[i].work));
	}
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&next) == N);
	AUDIT_CHECK(atomic_load(&overlap) == 0);
	AUDIT_CHECK(atomic_load(&wrong_cpu) == 0);
	for (i = 0; i < N; i++)
		AUDIT_CHECK(order[i] == i);
	destroy_workqueue(wq);
	return 0;
}
