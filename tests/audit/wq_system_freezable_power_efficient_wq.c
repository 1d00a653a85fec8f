// SPDX-License-Identifier: MIT
/* system_freezable_power_efficient_wq exists and runs an item queued
 * on it while nothing is frozen. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(system_freezable_power_efficient_wq, struct workqueue_struct **);
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(current_work, struct work_struct *(*)(void));

static atomic_int runs, in_worker;

static void fn(struct work_struct *work)
{
	if (current_work() == work)
		atomic_fetch_add(&in_worker, 1);
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct work_struct w;

	audit_begin();
	AUDIT_CHECK(system_freezable_power_efficient_wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(system_freezable_power_efficient_wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(!work_pending(&w));
	AUDIT_CHECK(atomic_load(&in_worker) == 1);
	/* Idle again: it can be queued once more. */
	AUDIT_CHECK(queue_work(system_freezable_power_efficient_wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	return 0;
}
