// SPDX-License-Identifier: MIT
/* A timed wait with a timeout of 0 on a completion not done returns 0 at
 * once (a poll): the kernel's schedule_timeout(0) does not sleep. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_timeout, unsigned long (*)(struct completion *,
							  unsigned long));

int main(void)
{
	DECLARE_COMPLETION_ONSTACK(never);

	audit_begin();
	AUDIT_CHECK(wait_for_completion_timeout(&never, 0) == 0);
	AUDIT_CHECK(wait_for_completion_io_timeout(&never, 0) == 0);
	AUDIT_CHECK(wait_for_completion_interruptible_timeout(&never, 0) == 0);
	AUDIT_CHECK(wait_for_completion_killable_timeout(&never, 0) == 0);
	AUDIT_CHECK(!completion_done(&never));
	return 0;
}
