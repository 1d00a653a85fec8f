// SPDX-License-Identifier: MIT
/* complete() counts: after three calls with no waiter, three waits pass
 * without blocking and a fourth try finds nothing. */
#include <cmwq.h>

#include "audit.h"

int main(void)
{
	DECLARE_COMPLETION_ONSTACK(c);

	audit_begin();
	complete(&c);
	complete(&c);
	complete(&c);
	wait_for_completion(&c);
	AUDIT_CHECK(try_wait_for_completion(&c));
	AUDIT_CHECK(wait_for_completion_timeout(&c, 1) > 0);
	AUDIT_CHECK(!try_wait_for_completion(&c));
	AUDIT_CHECK(!completion_done(&c));
	return 0;
}
