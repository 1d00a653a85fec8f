// SPDX-License-Identifier: MIT
/* time_in_range(a, b, c) is true when a is in [b, c], time_in_range_open()
 * when a is in [b, c) (linux/jiffies.h). */
#include <cmwq.h>

#include "audit.h"

int main(void)
{
	unsigned long now;

	audit_begin();
	now = jiffies;
	AUDIT_CHECK(time_in_range(now, now - 1, now + 1));
	AUDIT_CHECK(time_in_range(now + 1, now - 1, now + 1));
	AUDIT_CHECK(!time_in_range_open(now + 1, now - 1, now + 1));
	AUDIT_CHECK(!time_in_range(now + 2, now - 1, now + 1));
	return 0;
}
