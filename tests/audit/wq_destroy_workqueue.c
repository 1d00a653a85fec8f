// SPDX-License-Identifier: MIT
/* destroy_workqueue() drains the workqueue first: items still queued when
 * it is called have all run when it returns. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));

#define N 16

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w[N];
	int i;

	audit_begin();
	wq = alloc_ordered_workqueue("audit_destroy", 0);
	AUDIT_CHECK(wq);
	for (i = 0; i < N; i++) {
		INIT_WORK(&w[i], fn);
		AUDIT_CHECK(queue_work(wq, &w[i]));
	}
	destroy_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == N);
	return 0;
}
