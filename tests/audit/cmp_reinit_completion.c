// SPDX-License-Identifier: MIT
/* reinit_completion() makes a completed completion (even after
 * complete_all()) not done again, so it can be reused for the next round. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(reinit_completion, void (*)(struct completion *));

static DECLARE_COMPLETION(round_done);
static int rounds;

static void fn(struct work_struct *work)
{
	(void)work;
	rounds++;
	complete(&round_done);
}

static DECLARE_WORK(w, fn);

int main(void)
{
	int i;

	audit_begin();
	complete_all(&round_done);
	AUDIT_CHECK(completion_done(&round_done));
	reinit_completion(&round_done);
	AUDIT_CHECK(!completion_done(&round_done));
	AUDIT_CHECK(!try_wait_for_completion(&round_done));
	AUDIT_CHECK(wait_for_completion_timeout(&round_done, 1) == 0);
	for (i = 0; i < 5; i++) {
		reinit_completion(&round_done);
		schedule_work(&w);
		wait_for_completion(&round_done);
		flush_work(&w);
	}
	AUDIT_CHECK(rounds == 5);
	return 0;
}
