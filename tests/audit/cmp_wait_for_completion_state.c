// SPDX-License-Identifier: MIT
/* wait_for_completion_state(x, TASK_UNINTERRUPTIBLE) (linux/completion.h,
 * 6.1+) waits as wait_for_completion() does and returns 0. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_state, int (*)(struct completion *,
					      unsigned int));

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete(&done);
}

static DECLARE_WORK(w, fn);

int main(void)
{
	audit_begin();
	schedule_work(&w);
	AUDIT_CHECK(wait_for_completion_state(&done, TASK_UNINTERRUPTIBLE) == 0);
	flush_work(&w);
	return 0;
}
