// SPDX-License-Identifier: MIT
/* timer_setup() with flags 0, then mod_timer() of the inactive timer
 * returns 0 and the callback runs once, with the timer as its argument. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(mod_timer, int (*)(struct timer_list *, unsigned long));

static struct timer_list t;
static struct timer_list *seen;
static int runs;
static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	seen = timer;
	runs++;
	complete(&done);
}

int main(void)
{
	audit_begin();
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(!timer_pending(&t));
	AUDIT_CHECK(mod_timer(&t, jiffies + 1) == 0);
	wait_for_completion(&done);
	AUDIT_CHECK(seen == &t);
	AUDIT_CHECK(timer_delete_sync(&t) == 0);
	AUDIT_CHECK(runs == 1);
	return 0;
}
