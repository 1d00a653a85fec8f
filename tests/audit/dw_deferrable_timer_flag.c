// SPDX-License-Identifier: MIT
/* INIT_DEFERRABLE_WORK() makes the item's timer deferrable: its flags have
 * TIMER_DEFERRABLE, a plain INIT_DELAYED_WORK() item's do not. */
#include <cmwq.h>

#include "audit.h"

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(void)
{
	struct delayed_work plain, deferred;

	audit_begin();
	INIT_DELAYED_WORK(&plain, fn);
	INIT_DEFERRABLE_WORK(&deferred, fn);
	AUDIT_CHECK(!(plain.timer.flags & TIMER_DEFERRABLE));
	AUDIT_CHECK(deferred.timer.flags & TIMER_DEFERRABLE);
	return 0;
}
