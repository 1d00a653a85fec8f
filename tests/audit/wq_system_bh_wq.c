// SPDX-License-Identifier: MIT
/* system_bh_wq, the bottom-half workqueue that replaces tasklets, exists
 * and runs an item queued on it. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(system_bh_wq, struct workqueue_struct **);
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

static atomic_int runs;

/* A BH item must not sleep. */
static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct work_struct w;

	audit_begin();
	AUDIT_CHECK(system_bh_wq);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(system_bh_wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(!work_pending(&w));
	/* Idle again: it can be queued once more. */
	AUDIT_CHECK(queue_work(system_bh_wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	return 0;
}
