// SPDX-License-Identifier: MIT
/* timer_setup() with TIMER_DEFERRABLE: the timer keeps the flag and fires,
 * never before its expiry. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(mod_timer, int (*)(struct timer_list *, unsigned long));

static unsigned long fired_at;
static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	(void)timer;
	fired_at = jiffies;
	complete(&done);
}

int main(void)
{
	struct timer_list t;
	unsigned long expires;

	audit_begin();
#ifndef TIMER_DEFERRABLE
	fprintf(stderr, "TIMER_DEFERRABLE is not defined\n");
	return 77;
#else
	timer_setup(&t, fn, TIMER_DEFERRABLE);
	AUDIT_CHECK(t.flags & TIMER_DEFERRABLE);
	expires = jiffies + 2;
	AUDIT_CHECK(mod_timer(&t, expires) == 0);
	wait_for_completion(&done);
	AUDIT_CHECK(time_after_eq(fired_at, expires));
	timer_delete_sync(&t);
	return 0;
#endif
}
