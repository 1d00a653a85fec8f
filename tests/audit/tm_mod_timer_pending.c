// SPDX-License-Identifier: MIT
/* mod_timer() of a pending timer returns 1 and moves its expiry; the
 * callback still runs once. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(mod_timer, int (*)(struct timer_list *, unsigned long));

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
	unsigned long far;

	audit_begin();
	timer_setup(&t, fn, 0);
	far = jiffies + 60 * HZ;
	AUDIT_CHECK(mod_timer(&t, far) == 0);
	AUDIT_CHECK(mod_timer(&t, far + HZ) == 1);
	AUDIT_CHECK(t.expires == far + HZ);
	AUDIT_CHECK(mod_timer(&t, jiffies + 1) == 1);
	wait_for_completion(&done);
	AUDIT_CHECK(timer_delete_sync(&t) == 0);
	AUDIT_CHECK(runs == 1);
	return 0;
}
