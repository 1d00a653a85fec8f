// SPDX-License-Identifier: MIT
/* add_timer_local() and add_timer_global() arm an idle timer for its
 * expires, as add_timer() does; both callbacks run. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(add_timer_local, void (*)(struct timer_list *));
AUDIT_TYPE(add_timer_global, void (*)(struct timer_list *));

static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	(void)timer;
	complete(&done);
}

int main(void)
{
	struct timer_list a, b;

	audit_begin();
	timer_setup(&a, fn, 0);
	timer_setup(&b, fn, 0);
	a.expires = jiffies + 1;
	b.expires = jiffies + 1;
	add_timer_local(&a);
	add_timer_global(&b);
	wait_for_completion(&done);
	wait_for_completion(&done);
	timer_delete_sync(&a);
	timer_delete_sync(&b);
	AUDIT_CHECK(!timer_pending(&a) && !timer_pending(&b));
	return 0;
}
