// SPDX-License-Identifier: MIT
/* timer_delete_sync() of a timer that re-arms itself from every callback:
 * on return it is not pending and fires no more. */
#include <cmwq.h>

#include <stdatomic.h>
#include <unistd.h>

#include "audit.h"

static atomic_int runs;
static DECLARE_COMPLETION(twice);

static void tick(struct timer_list *t)
{
	if (atomic_fetch_add(&runs, 1) == 1)
		complete(&twice);
	mod_timer(t, jiffies + 1);
}

int main(void)
{
	struct timer_list t;
	int seen;

	audit_begin();
	timer_setup(&t, tick, 0);
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&twice);
	timer_delete_sync(&t);
	AUDIT_CHECK(!timer_pending(&t));
	seen = atomic_load(&runs);
	usleep(10 * 1000);
	AUDIT_CHECK(atomic_load(&runs) == seen);
	return 0;
}
