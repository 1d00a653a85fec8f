// SPDX-License-Identifier: MIT
/* wait_for_completion_interruptible() returns 0 when the completion comes
 * (from a work item) with no signal. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_interruptible, int (*)(struct completion *));

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&done);
}

int main(void)
{
	struct delayed_work dw;

	audit_begin();
	INIT_DELAYED_WORK(&dw, fn);
	schedule_delayed_work(&dw, 2);
	AUDIT_CHECK(wait_for_completion_interruptible(&done) == 0);
	complete(&done);
	AUDIT_CHECK(wait_for_completion_interruptible(&done) == 0);
	cancel_delayed_work_sync(&dw);
	return 0;
}
