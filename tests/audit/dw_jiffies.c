// SPDX-License-Identifier: MIT
/* jiffies counts up: a later read is never before an earlier one, and it
 * moves past a value once a few jiffies of sleep have passed. */
#include <cmwq.h>

#include <unistd.h>

#include "audit.h"

int main(void)
{
	unsigned long j0, j1;

	audit_begin();
	j0 = jiffies;
	j1 = jiffies;
	AUDIT_CHECK(time_after_eq(j1, j0));
	while (!time_after(jiffies, j0 + 2))
		usleep(1000);
	AUDIT_CHECK(time_after(jiffies, j1));
	return 0;
}
