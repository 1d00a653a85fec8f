// SPDX-License-Identifier: MIT
/* COMPLETION_INITIALIZER() in a static object's initialiser and
 * COMPLETION_INITIALIZER_ONSTACK() for a local: both start not done. */
#include <cmwq.h>

#include "audit.h"

struct ctx {
	int id;
	struct completion ready;
};

static struct ctx ctx = {
	.id = 1,
	.ready = COMPLETION_INITIALIZER(ctx.ready),
};

int main(void)
{
	struct completion local = COMPLETION_INITIALIZER_ONSTACK(local);

	audit_begin();
	AUDIT_CHECK(!completion_done(&ctx.ready));
	AUDIT_CHECK(!completion_done(&local));
	complete(&ctx.ready);
	complete(&local);
	wait_for_completion(&ctx.ready);
	wait_for_completion(&local);
	AUDIT_CHECK(ctx.id == 1);
	return 0;
}
