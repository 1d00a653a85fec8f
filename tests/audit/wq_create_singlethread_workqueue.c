// SPDX-License-Identifier: MIT
/* The legacy create_singlethread_workqueue() gives an ordered workqueue:
 * items run one at a time in queueing order. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

#define N 16

struct item {
	struct work_struct work;
	int index;
};

static atomic_int running, overlap, next;
static int order[N];

static void fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, work);

	if (atomic_fetch_add(&running, 1) != 0)
		atomic_store(&overlap, 1);
	order[atomic_fetch_add(&next, 1)] = it->index;
	atomic_fetch_sub(&running, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	static struct item items[N];
	int i;

	audit_begin();
	wq = create_singlethread_workqueue("audit_single");
	AUDIT_CHECK(wq);
	for (i = 0; i < N; i++) {
		items[i].index = i;
		INIT_WORK(&items[i].work, fn);
		AUDIT_CHECK(queue_work(wq, &items[i].work));
	}
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&next) == N);
	AUDIT_CHECK(atomic_load(&overlap) == 0);
	for (i = 0; i < N; i++)
		AUDIT_CHECK(order[i] == i);
	destroy_workqueue(wq);
	return 0;
}
