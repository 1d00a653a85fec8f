// SPDX-License-Identifier: MIT
/* complete() from a timer callback (atomic context) wakes a task that
 * sleeps in wait_for_completion(). */
#include <cmwq.h>

#include "audit.h"

struct waiter {
	struct timer_list timer;
	struct completion done;
	int fired;
};

static void expire(struct timer_list *t)
{
	struct waiter *w = timer_container_of(w, t, timer);

	w->fired = 1;
	complete(&w->done);
}

int main(void)
{
	struct waiter w = { .fired = 0 };

	audit_begin();
	init_completion(&w.done);
	timer_setup(&w.timer, expire, 0);
	mod_timer(&w.timer, jiffies + 2);
	wait_for_completion(&w.done);
	AUDIT_CHECK(w.fired == 1);
	timer_delete_sync(&w.timer);
	return 0;
}
