// SPDX-License-Identifier: MIT
/* del_timer(), the name before 6.15: 1 for a pending timer, which then
 * never fires, 0 for an inactive one. */
#include <cmwq.h>

#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(del_timer, int (*)(struct timer_list *));

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
	AUDIT_CHECK(del_timer(&t) == 0);
	mod_timer(&t, jiffies + 60 * HZ);
	AUDIT_CHECK(del_timer(&t) == 1);
	AUDIT_CHECK(!timer_pending(&t));
	usleep(5 * 1000);
	AUDIT_CHECK(runs == 0);
	return 0;
}
