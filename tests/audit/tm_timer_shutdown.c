// SPDX-License-Identifier: MIT
/* timer_shutdown() (not waiting) disarms a pending timer, returns 1, and
 * later arming is ignored. */
#include <cmwq.h>

#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(timer_shutdown, int (*)(struct timer_list *));

static int runs;

static void fn(struct timer_list *timer)
{
	(void)timer;
	runs++;
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, fn, 0);
	mod_timer(&t, jiffies + 60 * HZ);
	AUDIT_CHECK(timer_shutdown(&t) == 1);
	AUDIT_CHECK(!timer_pending(&t));
	t.expires = jiffies + 1;
	add_timer(&t);
	AUDIT_CHECK(!timer_pending(&t));
	usleep(5 * 1000);
	AUDIT_CHECK(runs == 0);
	AUDIT_CHECK(timer_shutdown(&t) == 0);
	return 0;
}
