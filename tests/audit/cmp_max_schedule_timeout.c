// SPDX-License-Identifier: MIT
/* A timed wait with MAX_SCHEDULE_TIMEOUT waits without limit: it returns
 * a positive value once a work item completes the completion. */
#include <cmwq.h>

#include "audit.h"

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&done);
}

static DECLARE_DELAYED_WORK(dw, fn);

int main(void)
{
	long ret;

	audit_begin();
	schedule_delayed_work(&dw, 3);
	ret = wait_for_completion_interruptible_timeout(&done,
							MAX_SCHEDULE_TIMEOUT);
	AUDIT_CHECK(ret > 0);
	schedule_delayed_work(&dw, 3);
	AUDIT_CHECK(wait_for_completion_timeout(&done,
						MAX_SCHEDULE_TIMEOUT) > 0);
	cancel_delayed_work_sync(&dw);
	return 0;
}
