// SPDX-License-Identifier: MIT
/* round_jiffies_up_relative(d) never shortens the delay and lengthens it
 * by less than a second; used to arm housekeeping timers. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(round_jiffies_up_relative, unsigned long (*)(unsigned long));

static void fn(struct timer_list *timer)
{
	(void)timer;
}

int main(void)
{
	struct timer_list t;
	unsigned long d, r;

	audit_begin();
	for (d = 1; d <= 5 * HZ; d += HZ / 7) {
		r = round_jiffies_up_relative(d);
		AUDIT_CHECK(r >= d);
		AUDIT_CHECK(r <= d + HZ);
	}
	timer_setup(&t, fn, 0);
	mod_timer(&t, jiffies + round_jiffies_up_relative(2 * HZ));
	AUDIT_CHECK(timer_pending(&t));
	AUDIT_CHECK(timer_delete_sync(&t) == 1);
	return 0;
}
