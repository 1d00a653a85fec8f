// SPDX-License-Identifier: MIT
/* mod_timer() with an expiry already past (or now) fires the timer at
 * once, at the next run of the timers. */
#include <cmwq.h>

#include "audit.h"

static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	(void)timer;
	complete(&done);
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(mod_timer(&t, jiffies - 10) == 0);
	wait_for_completion(&done);
	AUDIT_CHECK(mod_timer(&t, jiffies) == 0);
	wait_for_completion(&done);
	timer_delete_sync(&t);
	AUDIT_CHECK(!timer_pending(&t));
	return 0;
}
