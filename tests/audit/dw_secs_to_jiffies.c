// SPDX-License-Identifier: MIT
/* secs_to_jiffies() (linux/jiffies.h since 6.13), as kernel code now writes
 * a delay in seconds: secs_to_jiffies(2) is 2 * HZ. */
#include <cmwq.h>

#include "audit.h"

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct delayed_work dw;

	audit_begin();
	AUDIT_CHECK(secs_to_jiffies(2) == 2 * HZ);
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(schedule_delayed_work(&dw, secs_to_jiffies(60)));
	AUDIT_CHECK(cancel_delayed_work_sync(&dw));
	return 0;
}
