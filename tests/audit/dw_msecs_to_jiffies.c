// SPDX-License-Identifier: MIT
/* The conversions kernel code builds delays with: msecs_to_jiffies(1000)
 * is HZ, usecs_to_jiffies() rounds up, jiffies_to_msecs() inverts. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(msecs_to_jiffies, unsigned long (*)(const unsigned int));
AUDIT_TYPE(usecs_to_jiffies, unsigned long (*)(const unsigned int));
AUDIT_TYPE(jiffies_to_msecs, unsigned int (*)(const unsigned long));
AUDIT_TYPE(jiffies_to_usecs, unsigned int (*)(const unsigned long));

int main(void)
{
	audit_begin();
	AUDIT_CHECK(msecs_to_jiffies(1000) == HZ);
	AUDIT_CHECK(msecs_to_jiffies(0) == 0);
	AUDIT_CHECK(msecs_to_jiffies(1) >= 1);
	AUDIT_CHECK(usecs_to_jiffies(1) == 1);
	AUDIT_CHECK(usecs_to_jiffies(1000000) == HZ);
	AUDIT_CHECK(jiffies_to_msecs(HZ) == 1000);
	AUDIT_CHECK(jiffies_to_usecs(HZ) == 1000000);
	AUDIT_CHECK(jiffies_to_msecs(msecs_to_jiffies(250)) == 250);
	return 0;
}
