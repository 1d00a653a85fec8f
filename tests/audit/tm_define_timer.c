// SPDX-License-Identifier: MIT
/* DEFINE_TIMER() at file scope gives a ready timer: mod_timer() arms it
 * and its callback runs. */
#include <cmwq.h>

#include "audit.h"

static int runs;
static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer);

static DEFINE_TIMER(watchdog, fn);

static void fn(struct timer_list *timer)
{
	AUDIT_CHECK(timer == &watchdog);
	runs++;
	complete(&done);
}

int main(void)
{
	audit_begin();
	AUDIT_CHECK(!timer_pending(&watchdog));
	AUDIT_CHECK(mod_timer(&watchdog, jiffies + 1) == 0);
	wait_for_completion(&done);
	timer_delete_sync(&watchdog);
	AUDIT_CHECK(runs == 1);
	return 0;
}
