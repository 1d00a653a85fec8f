// SPDX-License-Identifier: MIT
/* timer_pending() is true from arming until expiry, false inside the
 * callback (the timer is detached before it runs) and after. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(timer_pending, int (*)(const struct timer_list *));

static int pending_inside = -1;
static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	pending_inside = timer_pending(timer);
	complete(&done);
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(!timer_pending(&t));
	mod_timer(&t, jiffies + 60 * HZ);
	AUDIT_CHECK(timer_pending(&t));
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&done);
	AUDIT_CHECK(pending_inside == 0);
	timer_delete_sync(&t);
	AUDIT_CHECK(!timer_pending(&t));
	return 0;
}
