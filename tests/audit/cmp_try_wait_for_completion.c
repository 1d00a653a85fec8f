// SPDX-License-Identifier: MIT
/* try_wait_for_completion() never blocks: false when not completed, true
 * when it consumed one complete(), then false again. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(try_wait_for_completion, bool (*)(struct completion *));

int main(void)
{
	struct completion c;

	audit_begin();
	init_completion(&c);
	AUDIT_CHECK(!try_wait_for_completion(&c));
	complete(&c);
	AUDIT_CHECK(try_wait_for_completion(&c));
	AUDIT_CHECK(!try_wait_for_completion(&c));
	complete_all(&c);
	AUDIT_CHECK(try_wait_for_completion(&c));
	AUDIT_CHECK(try_wait_for_completion(&c));
	return 0;
}
