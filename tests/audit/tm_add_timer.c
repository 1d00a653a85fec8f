// SPDX-License-Identifier: MIT
/* add_timer() arms an idle timer for the expires the caller set; the
 * field keeps that value and the callback runs at or after it. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(add_timer, void (*)(struct timer_list *));

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
	timer_setup(&t, fn, 0);
	expires = jiffies + 2;
	t.expires = expires;
	add_timer(&t);
	AUDIT_CHECK(t.expires == expires);
	wait_for_completion(&done);
	AUDIT_CHECK(time_after_eq(fired_at, expires));
	AUDIT_CHECK(!timer_pending(&t));
	timer_delete_sync(&t);
	return 0;
}
