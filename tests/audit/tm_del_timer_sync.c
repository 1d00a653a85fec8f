// SPDX-License-Identifier: MIT
/* del_timer_sync(), the name before 6.15: after a fired timer returns 0
 * with the callback done; of a pending one returns 1. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(del_timer_sync, int (*)(struct timer_list *));

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
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&done);
	AUDIT_CHECK(del_timer_sync(&t) == 0);
	AUDIT_CHECK(runs == 1);
	mod_timer(&t, jiffies + 60 * HZ);
	AUDIT_CHECK(del_timer_sync(&t) == 1);
	AUDIT_CHECK(runs == 1);
	return 0;
}
