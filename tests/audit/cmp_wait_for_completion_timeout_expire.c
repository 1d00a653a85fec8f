// SPDX-License-Identifier: MIT
/* wait_for_completion_timeout() of a completion nobody completes returns
 * 0 after the timeout (1 jiffy, then 3 ms). */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_timeout, unsigned long (*)(struct completion *,
							  unsigned long));

int main(void)
{
	DECLARE_COMPLETION_ONSTACK(never);
	unsigned long start;

	audit_begin();
	start = jiffies;
	AUDIT_CHECK(wait_for_completion_timeout(&never, 1) == 0);
	AUDIT_CHECK(time_after_eq(jiffies, start + 1));
	AUDIT_CHECK(wait_for_completion_timeout(&never,
						msecs_to_jiffies(3)) == 0);
	AUDIT_CHECK(!completion_done(&never));
	return 0;
}
