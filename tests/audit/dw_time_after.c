// SPDX-License-Identifier: MIT
/* time_after(), time_before(), time_after_eq() and time_before_eq()
 * compare jiffies correctly across the wrap of unsigned long. */
#include <cmwq.h>

#include <limits.h>

#include "audit.h"

int main(void)
{
	unsigned long a = ULONG_MAX - 5;
	unsigned long b = a + 10;	/* wrapped: 4 */
	unsigned long now;

	audit_begin();
	AUDIT_CHECK(b == 4);
	AUDIT_CHECK(time_after(b, a));
	AUDIT_CHECK(!time_after(a, b));
	AUDIT_CHECK(time_before(a, b));
	AUDIT_CHECK(!time_before(b, a));
	AUDIT_CHECK(time_after_eq(b, a) && time_after_eq(a, a));
	AUDIT_CHECK(time_before_eq(a, b) && time_before_eq(b, b));
	AUDIT_CHECK(!time_after(a, a) && !time_before(a, a));
	now = jiffies;
	AUDIT_CHECK(time_after(now + 1, now));
	AUDIT_CHECK(time_before(now - 1, now));
	AUDIT_CHECK(time_after_eq(jiffies, now));
	return 0;
}
