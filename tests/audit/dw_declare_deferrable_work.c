// SPDX-License-Identifier: MIT
/* DECLARE_DEFERRABLE_WORK() gives an item that runs after its delay, never
 * before it (a deferrable timer may only fire late). */
#include <cmwq.h>

#include "audit.h"

static unsigned long queued_at, ran_at;
static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	ran_at = jiffies;
	complete(&done);
}

static DECLARE_DEFERRABLE_WORK(dw, fn);

int main(void)
{
	audit_begin();
	queued_at = jiffies;
	AUDIT_CHECK(schedule_delayed_work(&dw, 3));
	wait_for_completion(&done);
	AUDIT_CHECK(time_after_eq(ran_at, queued_at + 3));
	flush_delayed_work(&dw);
	AUDIT_CHECK(!delayed_work_pending(&dw));
	return 0;
}
