// SPDX-License-Identifier: MIT
/* get_jiffies_64() and time_after64() (linux/jiffies.h) for a 64-bit time
 * stamp: it agrees with jiffies and does not go back.  The kernel's
 * prototype is u64 get_jiffies_64(void), u64 being unsigned long long on
 * every architecture (not uint64_t, which is unsigned long on LP64). */
#include <cmwq.h>

#include <stdint.h>

#include "audit.h"

AUDIT_TYPE(get_jiffies_64, unsigned long long (*)(void));

int main(void)
{
	uint64_t a, b;

	audit_begin();
	a = get_jiffies_64();
	b = get_jiffies_64();
	AUDIT_CHECK(time_after_eq64(b, a));
	AUDIT_CHECK(time_after64(a + 1, a));
	AUDIT_CHECK(!time_before64(a + 1, a));
	AUDIT_CHECK(time_before_eq64(a, a));
	AUDIT_CHECK(time_after_eq(jiffies, (unsigned long)a));
	AUDIT_CHECK(time_after_eq64(jiffies_64, b));
	return 0;
}
