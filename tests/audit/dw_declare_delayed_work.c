// SPDX-License-Identifier: MIT
/* DECLARE_DELAYED_WORK() at file scope gives a ready item: scheduled with
 * a delay of a jiffy it runs once, and flush_delayed_work() waits for it. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(schedule_delayed_work, bool (*)(struct delayed_work *,
					   unsigned long));
AUDIT_TYPE(flush_delayed_work, bool (*)(struct delayed_work *));

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

static DECLARE_DELAYED_WORK(dw, fn);

int main(void)
{
	audit_begin();
	AUDIT_CHECK(!delayed_work_pending(&dw));
	AUDIT_CHECK(schedule_delayed_work(&dw, 1));
	flush_delayed_work(&dw);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	return 0;
}
