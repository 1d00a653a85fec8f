// SPDX-License-Identifier: MIT
/* wait_for_completion_io_timeout(): 0 on timeout with nothing completed,
 * the jiffies left (> 0) when the I/O work item completed in time. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_io_timeout,
	   unsigned long (*)(struct completion *, unsigned long));

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&done);
}

static DECLARE_WORK(w, fn);

int main(void)
{
	unsigned long left;

	audit_begin();
	AUDIT_CHECK(wait_for_completion_io_timeout(&done, 1) == 0);
	queue_work(system_unbound_wq, &w);
	left = wait_for_completion_io_timeout(&done, 20 * HZ);
	AUDIT_CHECK(left > 0 && left <= 20 * HZ);
	flush_work(&w);
	return 0;
}
