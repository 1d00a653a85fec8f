// SPDX-License-Identifier: MIT
/* wq_watchdog_touch() (for one CPU or -1 for all) may be called from a
 * thread or a work item before a long expected stall; work goes on. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(wq_watchdog_touch, void (*)(int));
AUDIT_TYPE(schedule_work, bool (*)(struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	wq_watchdog_touch(smp_processor_id());
	wq_watchdog_touch(-1);
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct work_struct w;

	audit_begin();
	wq_watchdog_touch(-1);
	wq_watchdog_touch(smp_processor_id());
	INIT_WORK(&w, fn);
	AUDIT_CHECK(schedule_work(&w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	return 0;
}
