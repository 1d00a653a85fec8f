// SPDX-License-Identifier: MIT
/* The common split: a timer callback (atomic context) defers its work to
 * a work item with schedule_work(), which then may sleep. */
#include <cmwq.h>

#include <unistd.h>

#include "audit.h"

struct ctl {
	struct timer_list timer;
	struct work_struct work;
	struct completion done;
	int handled;
};

static void ctl_work(struct work_struct *work)
{
	struct ctl *c = container_of(work, struct ctl, work);

	usleep(1000);
	c->handled++;
	complete(&c->done);
}

static void ctl_timer(struct timer_list *t)
{
	struct ctl *c = timer_container_of(c, t, timer);

	schedule_work(&c->work);
}

int main(void)
{
	struct ctl c = { .handled = 0 };

	audit_begin();
	init_completion(&c.done);
	INIT_WORK(&c.work, ctl_work);
	timer_setup(&c.timer, ctl_timer, 0);
	mod_timer(&c.timer, jiffies + 1);
	wait_for_completion(&c.done);
	timer_delete_sync(&c.timer);
	cancel_work_sync(&c.work);
	AUDIT_CHECK(c.handled == 1);
	return 0;
}
