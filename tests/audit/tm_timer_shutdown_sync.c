// SPDX-License-Identifier: MIT
/* timer_shutdown_sync() disarms a pending timer (returns 1) for good: a
 * later mod_timer() arms nothing, until timer_setup() again. */
#include <cmwq.h>

#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(timer_shutdown_sync, int (*)(struct timer_list *));

static int runs;
static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	(void)timer;
	runs++;
	complete(&done);
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(mod_timer(&t, jiffies + 60 * HZ) == 0);
	AUDIT_CHECK(timer_shutdown_sync(&t) == 1);
	AUDIT_CHECK(!timer_pending(&t));
	AUDIT_CHECK(mod_timer(&t, jiffies + 1) == 0);
	AUDIT_CHECK(!timer_pending(&t));
	usleep(5 * 1000);
	AUDIT_CHECK(runs == 0);
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(mod_timer(&t, jiffies + 1) == 0);
	wait_for_completion(&done);
	timer_delete_sync(&t);
	AUDIT_CHECK(runs == 1);
	return 0;
}
