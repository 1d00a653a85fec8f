// SPDX-License-Identifier: MIT
/* A file-scope DECLARE_COMPLETION() completed by a work item with
 * complete(): wait_for_completion() returns after the item's work. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));

static DECLARE_COMPLETION(setup_done);
static int ready;

static void setup_fn(struct work_struct *work)
{
	(void)work;
	ready = 1;
	complete(&setup_done);
}

static DECLARE_WORK(setup_work, setup_fn);

int main(void)
{
	audit_begin();
	AUDIT_CHECK(schedule_work(&setup_work));
	wait_for_completion(&setup_done);
	AUDIT_CHECK(ready == 1);
	flush_work(&setup_work);
	return 0;
}
