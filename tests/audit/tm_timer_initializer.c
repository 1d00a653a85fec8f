// SPDX-License-Identifier: MIT
/* __TIMER_INITIALIZER(fn, flags) in a static object's initialiser gives a
 * timer ready for mod_timer(). */
#include <cmwq.h>

#include "audit.h"

static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	(void)timer;
	complete(&done);
}

static struct {
	int id;
	struct timer_list timer;
} ctl = {
	.id = 5,
	.timer = __TIMER_INITIALIZER(fn, 0),
};

int main(void)
{
	audit_begin();
	AUDIT_CHECK(!timer_pending(&ctl.timer));
	AUDIT_CHECK(mod_timer(&ctl.timer, jiffies + 1) == 0);
	wait_for_completion(&done);
	timer_delete_sync(&ctl.timer);
	AUDIT_CHECK(ctl.id == 5);
	return 0;
}
