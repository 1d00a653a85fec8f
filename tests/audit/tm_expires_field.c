// SPDX-License-Identifier: MIT
/* timer->expires holds exactly what mod_timer() was given; mod_timer() of
 * a pending timer to the same expiry returns 1 and changes nothing. */
#include <cmwq.h>

#include "audit.h"

static void fn(struct timer_list *timer)
{
	(void)timer;
}

int main(void)
{
	struct timer_list t;
	unsigned long e;

	audit_begin();
	timer_setup(&t, fn, 0);
	e = jiffies + 12345;
	AUDIT_CHECK(mod_timer(&t, e) == 0);
	AUDIT_CHECK(t.expires == e);
	AUDIT_CHECK(mod_timer(&t, e) == 1);
	AUDIT_CHECK(t.expires == e);
	AUDIT_CHECK(timer_pending(&t));
	AUDIT_CHECK(time_after(t.expires, jiffies));
	AUDIT_CHECK(timer_delete_sync(&t) == 1);
	AUDIT_CHECK(t.expires == e);
	return 0;
}
