// SPDX-License-Identifier: MIT
/* schedule_delayed_work() queues on system_wq after msecs_to_jiffies() of
 * a delay; while pending a second call returns false. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(schedule_delayed_work, bool (*)(struct delayed_work *,
					   unsigned long));
AUDIT_TYPE(msecs_to_jiffies, unsigned long (*)(const unsigned int));

static atomic_int runs;
static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
	complete(&done);
}

int main(void)
{
	struct delayed_work dw;

	audit_begin();
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(schedule_delayed_work(&dw, msecs_to_jiffies(60000)));
	AUDIT_CHECK(!schedule_delayed_work(&dw, msecs_to_jiffies(2)));
	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	AUDIT_CHECK(schedule_delayed_work(&dw, msecs_to_jiffies(2)));
	wait_for_completion(&done);
	flush_delayed_work(&dw);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	return 0;
}
