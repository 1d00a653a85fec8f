// SPDX-License-Identifier: MIT
/* timer_delete_sync() of a pending timer returns 1 and the callback never
 * runs; of an inactive one it returns 0. */
#include <cmwq.h>

#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(timer_delete_sync, int (*)(struct timer_list *));

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
	AUDIT_CHECK(timer_delete_sync(&t) == 0);
	AUDIT_CHECK(mod_timer(&t, jiffies + 60 * HZ) == 0);
	AUDIT_CHECK(timer_delete_sync(&t) == 1);
	AUDIT_CHECK(!timer_pending(&t));
	usleep(5 * 1000);
	AUDIT_CHECK(runs == 0);
	return 0;
}
