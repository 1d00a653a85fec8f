// SPDX-License-Identifier: MIT
/* timer_setup_on_stack() for a timer in a stack frame (a timeout around a
 * wait), with timer_delete_sync() and destroy_timer_on_stack() before the
 * frame ends. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(destroy_timer_on_stack, void (*)(struct timer_list *));

struct waiter {
	struct timer_list timer;
	struct completion done;
};

static void wake(struct timer_list *t)
{
	struct waiter *w = timer_container_of(w, t, timer);

	complete(&w->done);
}

static void wait_a_jiffy(void)
{
	struct waiter w;

	init_completion(&w.done);
	timer_setup_on_stack(&w.timer, wake, 0);
	mod_timer(&w.timer, jiffies + 1);
	wait_for_completion(&w.done);
	timer_delete_sync(&w.timer);
	destroy_timer_on_stack(&w.timer);
}

int main(void)
{
	audit_begin();
	wait_a_jiffy();
	wait_a_jiffy();
	return 0;
}
