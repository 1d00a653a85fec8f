// SPDX-License-Identifier: MIT
/* wait_for_completion_killable() returns 0 when the completion comes from
 * a work item. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_killable, int (*)(struct completion *));

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
	AUDIT_CHECK(wait_for_completion_killable(&done) == 0);
	flush_work(&w);
	AUDIT_CHECK(!completion_done(&done));
	return 0;
}
