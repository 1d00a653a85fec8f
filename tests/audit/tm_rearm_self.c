// SPDX-License-Identifier: MIT
/* A periodic timer re-arms itself from its callback with mod_timer() until
 * it has fired 3 times; timer_pending() is true again after the re-arm. */
#include <cmwq.h>

#include "audit.h"

static int runs;
static int pending_after_rearm = -1;
static DECLARE_COMPLETION(done);

static void tick(struct timer_list *t)
{
	if (++runs < 3) {
		AUDIT_CHECK(mod_timer(t, jiffies + 1) == 0);
		pending_after_rearm = timer_pending(t);
		return;
	}
	complete(&done);
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, tick, 0);
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&done);
	AUDIT_CHECK(timer_delete_sync(&t) == 0);
	AUDIT_CHECK(runs == 3);
	AUDIT_CHECK(pending_after_rearm == 1);
	return 0;
}
