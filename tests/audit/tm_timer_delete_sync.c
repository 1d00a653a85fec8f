// SPDX-License-Identifier: MIT
/* timer_delete_sync() while the callback runs waits for it to return; the
 * timer was no longer pending, so it returns 0. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(timer_delete_sync, int (*)(struct timer_list *));

static atomic_int finished;
static DECLARE_COMPLETION(started);

static void fn(struct timer_list *timer)
{
	unsigned long end = jiffies + 20;

	(void)timer;
	complete(&started);
	while (time_before(jiffies, end))	/* busy, as in softirq */
		;
	atomic_store(&finished, 1);
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(mod_timer(&t, jiffies + 1) == 0);
	wait_for_completion(&started);
	AUDIT_CHECK(timer_delete_sync(&t) == 0);
	AUDIT_CHECK(atomic_load(&finished) == 1);
	AUDIT_CHECK(!timer_pending(&t));
	return 0;
}
