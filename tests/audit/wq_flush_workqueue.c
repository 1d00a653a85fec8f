// SPDX-License-Identifier: MIT
/* flush_workqueue() returns after every item queued on the workqueue before
 * the call has finished. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

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
	wq = alloc_workqueue("audit_flush_wq", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	for (i = 0; i < N; i++) {
		INIT_WORK(&w[i], fn);
		AUDIT_CHECK(queue_work(wq, &w[i]));
	}
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&runs) == N);
	for (i = 0; i < N; i++)
		AUDIT_CHECK(!work_pending(&w[i]));
	/* An empty workqueue flushes at once. */
	flush_workqueue(wq);
	destroy_workqueue(wq);
	return 0;
}
