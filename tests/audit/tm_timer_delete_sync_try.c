// SPDX-License-Identifier: MIT
/* timer_delete_sync_try() (try_to_del_timer_sync() before 6.15) returns -1
 * while the callback runs, 1 for a pending timer, 0 for an idle one. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(timer_delete_sync_try, int (*)(struct timer_list *));
AUDIT_TYPE(try_to_del_timer_sync, int (*)(struct timer_list *));

static atomic_int release;
static DECLARE_COMPLETION(started);

static void fn(struct timer_list *timer)
{
	(void)timer;
	complete(&started);
	while (!atomic_load(&release))
		;
}

int main(void)
{
	struct timer_list t;

	audit_begin();
	timer_setup(&t, fn, 0);
	AUDIT_CHECK(timer_delete_sync_try(&t) == 0);
	mod_timer(&t, jiffies + 60 * HZ);
	AUDIT_CHECK(timer_delete_sync_try(&t) == 1);
	mod_timer(&t, jiffies + 60 * HZ);
	AUDIT_CHECK(try_to_del_timer_sync(&t) == 1);
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&started);
	AUDIT_CHECK(timer_delete_sync_try(&t) == -1);
	AUDIT_CHECK(try_to_del_timer_sync(&t) == -1);
	atomic_store(&release, 1);
	AUDIT_CHECK(timer_delete_sync(&t) == 0);
	AUDIT_CHECK(timer_delete_sync_try(&t) == 0);
	return 0;
}
