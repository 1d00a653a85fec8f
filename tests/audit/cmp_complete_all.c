// SPDX-License-Identifier: MIT
/* complete_all() wakes every waiter (three work items blocked in
 * wait_for_completion()), and every later wait passes at once. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(complete_all, void (*)(struct completion *));

#define NWAITERS 3

static DECLARE_COMPLETION(go);
static atomic_int waiting, woken;

static void waiter(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&waiting, 1);
	wait_for_completion(&go);
	atomic_fetch_add(&woken, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct w[NWAITERS];
	int i;

	audit_begin();
	wq = alloc_workqueue("audit_cmp_all", WQ_UNBOUND, NWAITERS);
	AUDIT_CHECK(wq);
	for (i = 0; i < NWAITERS; i++) {
		INIT_WORK(&w[i], waiter);
		queue_work(wq, &w[i]);
	}
	while (atomic_load(&waiting) < NWAITERS)
		usleep(1000);
	usleep(2000);
	AUDIT_CHECK(atomic_load(&woken) == 0);
	complete_all(&go);
	flush_workqueue(wq);
	AUDIT_CHECK(atomic_load(&woken) == NWAITERS);
	AUDIT_CHECK(completion_done(&go));
	wait_for_completion(&go);
	wait_for_completion(&go);
	AUDIT_CHECK(try_wait_for_completion(&go));
	AUDIT_CHECK(completion_done(&go));
	destroy_workqueue(wq);
	return 0;
}
