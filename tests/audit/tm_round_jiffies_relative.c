// SPDX-License-Identifier: MIT
/* round_jiffies_relative(d) gives a delay that ends near a whole second:
 * at most a quarter second earlier, at most a second later, never 0. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(round_jiffies_relative, unsigned long (*)(unsigned long));

int main(void)
{
	unsigned long d, r;

	audit_begin();
	for (d = HZ / 2; d <= 10 * HZ; d += HZ / 3) {
		r = round_jiffies_relative(d);
		AUDIT_CHECK(r > 0);
		AUDIT_CHECK(r + HZ / 4 >= d);
		AUDIT_CHECK(r <= d + HZ);
	}
	return 0;
}
