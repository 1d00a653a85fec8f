// SPDX-License-Identifier: MIT
/* __flush_workqueue(), the function behind the kernel's flush_workqueue()
 * macro, waits for every item queued before the call. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(__flush_workqueue, void (*)(struct workqueue_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

#define N 8

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
	wq = alloc_workqueue("audit___flush", 0, 0);
	AUDIT_CHECK(wq);
	for (i = 0; i < N; i++) {
		INIT_WORK(&w[i], fn);
		AUDIT_CHECK(queue_work(wq, &w[i]));
	}
	__flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == N);
	destroy_workqueue(wq);
	return 0;
}
