// SPDX-License-Identifier: MIT
/* wait_for_completion_timeout() completed in time (by a work item) returns
 * the jiffies left: at least 1, at most the timeout. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_timeout, unsigned long (*)(struct completion *,
							  unsigned long));

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&done);
}

static DECLARE_DELAYED_WORK(dw, fn);

int main(void)
{
	unsigned long left;

	audit_begin();
	schedule_delayed_work(&dw, 2);
	left = wait_for_completion_timeout(&done, 20 * HZ);
	AUDIT_CHECK(left > 0);
	AUDIT_CHECK(left <= 20 * HZ);
	cancel_delayed_work_sync(&dw);
	return 0;
}
