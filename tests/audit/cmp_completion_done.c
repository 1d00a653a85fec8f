// SPDX-License-Identifier: MIT
/* completion_done() tells whether a wait would pass without blocking: it
 * does not consume the completion. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(completion_done, bool (*)(struct completion *));

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
	AUDIT_CHECK(!completion_done(&done));
	schedule_work(&w);
	flush_work(&w);
	AUDIT_CHECK(completion_done(&done));
	AUDIT_CHECK(completion_done(&done));
	wait_for_completion(&done);
	AUDIT_CHECK(!completion_done(&done));
	return 0;
}
