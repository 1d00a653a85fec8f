// SPDX-License-Identifier: MIT
/* A timed wait on a completion already completed passes without waiting:
 * non-zero, even with a timeout of 0 (the kernel's "timeout ?: 1"). */
#include <cmwq.h>

#include "audit.h"

int main(void)
{
	DECLARE_COMPLETION_ONSTACK(c);
	unsigned long left;

	audit_begin();
	complete(&c);
	left = wait_for_completion_timeout(&c, 10 * HZ);
	AUDIT_CHECK(left > 0 && left <= 10 * HZ);
	complete(&c);
	AUDIT_CHECK(wait_for_completion_timeout(&c, 0) == 1);
	complete(&c);
	AUDIT_CHECK(wait_for_completion_interruptible_timeout(&c, 0) == 1);
	AUDIT_CHECK(!completion_done(&c));
	return 0;
}
