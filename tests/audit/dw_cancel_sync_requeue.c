// SPDX-License-Identifier: MIT
/* cancel_delayed_work_sync() stops an item that re-queues itself from its
 * callback: on return it is idle and runs no more. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

static atomic_int runs;
static DECLARE_COMPLETION(twice);

static void poll_fn(struct work_struct *work)
{
	if (atomic_fetch_add(&runs, 1) == 1)
		complete(&twice);
	schedule_delayed_work(to_delayed_work(work), 1);
}

static DECLARE_DELAYED_WORK(poll, poll_fn);

int main(void)
{
	int seen;

	audit_begin();
	AUDIT_CHECK(schedule_delayed_work(&poll, 0));
	wait_for_completion(&twice);
	cancel_delayed_work_sync(&poll);
	AUDIT_CHECK(!delayed_work_pending(&poll));
	AUDIT_CHECK(!timer_pending(&poll.timer));
	seen = atomic_load(&runs);
	usleep(10 * 1000);
	AUDIT_CHECK(atomic_load(&runs) == seen);
	AUDIT_CHECK(!delayed_work_pending(&poll));
	return 0;
}
