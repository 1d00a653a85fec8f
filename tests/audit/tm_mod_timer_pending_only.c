// SPDX-License-Identifier: MIT
/* mod_timer_pending() moves a pending timer (returns 1) but does not arm
 * an inactive one (returns 0, stays inactive). */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(mod_timer_pending, int (*)(struct timer_list *, unsigned long));

static void fn(struct timer_list *timer)
{
	(void)timer;
}

int main(void)
{
	struct timer_list t;
	unsigned long far;

	audit_begin();
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(mod_timer_pending(&t, jiffies + 1) == 0);
	AUDIT_CHECK(!timer_pending(&t));
	far = jiffies + 60 * HZ;
	mod_timer(&t, far);
	AUDIT_CHECK(mod_timer_pending(&t, far + HZ) == 1);
	AUDIT_CHECK(timer_pending(&t));
	AUDIT_CHECK(t.expires == far + HZ);
	AUDIT_CHECK(timer_delete_sync(&t) == 1);
	return 0;
}
