// SPDX-License-Identifier: MIT
/* timer_reduce() only moves a pending timer earlier: a later expiry is
 * ignored, an earlier one is taken; of an idle timer it arms it. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(timer_reduce, int (*)(struct timer_list *, unsigned long));

static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	(void)timer;
	complete(&done);
}

int main(void)
{
	struct timer_list t;
	unsigned long far;

	audit_begin();
	timer_setup(&t, fn, 0);
	far = jiffies + 30 * HZ;
	AUDIT_CHECK(timer_reduce(&t, far) == 0);
	AUDIT_CHECK(timer_pending(&t));
	AUDIT_CHECK(t.expires == far);
	AUDIT_CHECK(timer_reduce(&t, far + HZ) == 1);
	AUDIT_CHECK(t.expires == far);
	AUDIT_CHECK(timer_reduce(&t, jiffies + 1) == 1);
	AUDIT_CHECK(time_before(t.expires, far));
	wait_for_completion(&done);
	AUDIT_CHECK(timer_delete_sync(&t) == 0);
	return 0;
}
