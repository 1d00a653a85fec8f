// SPDX-License-Identifier: MIT
/* round_jiffies(j) of a time ahead rounds it to about a whole second: not
 * more than a quarter second earlier, not more than a second later, and
 * never to a time already past. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(round_jiffies, unsigned long (*)(unsigned long));
AUDIT_TYPE(round_jiffies_up, unsigned long (*)(unsigned long));

int main(void)
{
	unsigned long j, r, now;

	audit_begin();
	now = jiffies;
	j = now + 5 * HZ + HZ / 10;
	r = round_jiffies(j);
	AUDIT_CHECK(time_after_eq(r + HZ / 4, j));
	AUDIT_CHECK(time_before_eq(r, j + HZ));
	AUDIT_CHECK(time_after(r, now));
	r = round_jiffies_up(j);
	AUDIT_CHECK(time_after_eq(r, j));
	AUDIT_CHECK(time_before_eq(r, j + HZ));
	/* A time whose rounding is past anyway comes back as it was. */
	j = now - 2 * HZ;
	AUDIT_CHECK(round_jiffies(j) == j);
	return 0;
}
