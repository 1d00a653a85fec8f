// SPDX-License-Identifier: MIT
/* timer_shutdown_sync() of a timer that re-arms itself: the re-arm from a
 * running callback is ignored, so it stops for good. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(timer_shutdown_sync, int (*)(struct timer_list *));

static atomic_int runs;
static DECLARE_COMPLETION(twice);

static void tick(struct timer_list *t)
{
	if (atomic_fetch_add(&runs, 1) == 1)
		complete(&twice);
	mod_timer(t, jiffies + 1);
}

int main(void)
{
	struct timer_list t;
	int seen;

	audit_begin();
	timer_setup(&t, tick, 0);
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&twice);
	timer_shutdown_sync(&t);
	AUDIT_CHECK(!timer_pending(&t));
	seen = atomic_load(&runs);
	usleep(10 * 1000);
	AUDIT_CHECK(atomic_load(&runs) == seen);
	AUDIT_CHECK(!timer_pending(&t));
	return 0;
}
