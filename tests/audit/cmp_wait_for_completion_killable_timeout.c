// SPDX-License-Identifier: MIT
/* wait_for_completion_killable_timeout(): 0 on timeout with nothing
 * completed, the jiffies left (> 0) when completed in time. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_killable_timeout,
	   long (*)(struct completion *, unsigned long));

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&done);
}

static DECLARE_WORK(w, fn);

int main(void)
{
	long ret;

	audit_begin();
	AUDIT_CHECK(wait_for_completion_killable_timeout(&done, 1) == 0);
	schedule_work(&w);
	ret = wait_for_completion_killable_timeout(&done, 20 * HZ);
	AUDIT_CHECK(ret > 0 && ret <= 20 * HZ);
	flush_work(&w);
	return 0;
}
