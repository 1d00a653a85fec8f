// SPDX-License-Identifier: MIT
/* complete_on_current_cpu() (linux/completion.h, 6.6+) completes like
 * complete(), hinting that the woken task should run on this CPU. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(complete_on_current_cpu, void (*)(struct completion *));

static DECLARE_COMPLETION(done);

static void fn(struct work_struct *work)
{
	(void)work;
	complete_on_current_cpu(&done);
}

static DECLARE_WORK(w, fn);

int main(void)
{
	audit_begin();
	schedule_work(&w);
	wait_for_completion(&done);
	flush_work(&w);
	return 0;
}
