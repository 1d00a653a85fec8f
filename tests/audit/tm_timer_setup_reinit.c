// SPDX-License-Identifier: MIT
/* A fired timer can be given another callback with timer_setup() and
 * armed again; the new callback runs. */
#include <cmwq.h>

#include "audit.h"

static int first, second;
static DECLARE_COMPLETION(done);

static void fn1(struct timer_list *timer)
{
	(void)timer;
	first++;
	complete(&done);
}

static void fn2(struct timer_list *timer)
{
	(void)timer;
	second++;
	complete(&done);
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, fn1, 0);
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&done);
	timer_delete_sync(&t);
	timer_setup(&t, fn2, 0);
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&done);
	timer_delete_sync(&t);
	AUDIT_CHECK(first == 1 && second == 1);
	return 0;
}
