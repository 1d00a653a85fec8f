// SPDX-License-Identifier: MIT
/* DECLARE_WORK() defines a static item ready to queue, with no INIT_WORK()
 * call; it is idle until scheduled and runs its function. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(schedule_work, bool (*)(struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

static atomic_int runs;

static void fn(struct work_struct *work);
static DECLARE_WORK(static_work, fn);

static void fn(struct work_struct *work)
{
	if (work == &static_work)
		atomic_fetch_add(&runs, 1);
}

int main(void)
{
	audit_begin();
	AUDIT_CHECK(!work_pending(&static_work));
	AUDIT_CHECK(!flush_work(&static_work));
	AUDIT_CHECK(schedule_work(&static_work));
	flush_work(&static_work);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(schedule_work(&static_work));
	flush_work(&static_work);
	AUDIT_CHECK(atomic_load(&runs) == 2);
	return 0;
}
