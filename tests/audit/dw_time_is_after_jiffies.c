// SPDX-License-Identifier: MIT
/* time_is_after_jiffies() and time_is_before_jiffies() (linux/jiffies.h)
 * tell a deadline in the future from one in the past. */
#include <cmwq.h>

#include "audit.h"

int main(void)
{
	unsigned long deadline;

	audit_begin();
	deadline = jiffies + 60 * HZ;
	AUDIT_CHECK(time_is_after_jiffies(deadline));
	AUDIT_CHECK(!time_is_before_jiffies(deadline));
	AUDIT_CHECK(time_is_after_eq_jiffies(deadline));
	deadline = jiffies - 1;
	AUDIT_CHECK(time_is_before_jiffies(deadline));
	AUDIT_CHECK(time_is_before_eq_jiffies(deadline));
	return 0;
}
