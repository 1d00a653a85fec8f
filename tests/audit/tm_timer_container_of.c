// SPDX-License-Identifier: MIT
/* In a timer callback, timer_container_of(dev, t, field) gives the object
 * that embeds the timer, as drivers write it. */
#include <cmwq.h>

#include <stdlib.h>

#include "audit.h"

struct dev {
	int id;
	struct timer_list poll_timer;
	struct dev *seen;
	struct completion done;
};

static void poll_timeout(struct timer_list *t)
{
	struct dev *d = timer_container_of(d, t, poll_timer);

	d->seen = d;
	complete(&d->done);
}

int main(void)
{
	struct dev *d;

	audit_begin();
	d = calloc(1, sizeof(*d));
	AUDIT_CHECK(d);
	d->id = 42;
	init_completion(&d->done);
	timer_setup(&d->poll_timer, poll_timeout, 0);
	mod_timer(&d->poll_timer, jiffies + 1);
	wait_for_completion(&d->done);
	timer_delete_sync(&d->poll_timer);
	AUDIT_CHECK(d->seen == d);
	AUDIT_CHECK(d->id == 42);
	free(d);
	return 0;
}
