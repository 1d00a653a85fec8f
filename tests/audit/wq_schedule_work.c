// SPDX-License-Identifier: MIT
/* schedule_work() queues on system_wq and returns true; the item runs once
 * and can be scheduled again, also from its own function. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(schedule_work, bool (*)(struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

static atomic_int runs, requeued;

static void fn(struct work_struct *work)
{
	/* Running, no longer pending: the first run queues itself again. */
	if (atomic_fetch_add(&runs, 1) == 0)
		atomic_store(&requeued, schedule_work(work));
}

int main(void)
{
	struct work_struct w;

	audit_begin();
	INIT_WORK(&w, fn);
	AUDIT_CHECK(schedule_work(&w));
	while (atomic_load(&runs) < 2)
		flush_work(&w);
	AUDIT_CHECK(atomic_load(&requeued) == 1);
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	return 0;
}
