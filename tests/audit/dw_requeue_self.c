// SPDX-License-Identifier: MIT
/* A polling item re-queues itself from its callback with
 * schedule_delayed_work(to_delayed_work(work), 1) until it has run 3 times. */
#include <cmwq.h>

#include "audit.h"

static int runs;
static DECLARE_COMPLETION(done);

static void poll_fn(struct work_struct *work)
{
	if (++runs < 3) {
		AUDIT_CHECK(schedule_delayed_work(to_delayed_work(work), 1));
		return;
	}
	complete(&done);
}

static DECLARE_DELAYED_WORK(poll, poll_fn);

int main(void)
{
	audit_begin();
	AUDIT_CHECK(schedule_delayed_work(&poll, 1));
	wait_for_completion(&done);
	AUDIT_CHECK(!cancel_delayed_work_sync(&poll));
	AUDIT_CHECK(runs == 3);
	return 0;
}
