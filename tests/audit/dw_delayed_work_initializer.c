// SPDX-License-Identifier: MIT
/* __DELAYED_WORK_INITIALIZER(n, f, tflags) in a static initialiser, with
 * timer flags 0 and TIMER_DEFERRABLE: both items run when scheduled. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

static struct delayed_work plain = __DELAYED_WORK_INITIALIZER(plain, fn, 0);
static struct delayed_work deferred =
	__DELAYED_WORK_INITIALIZER(deferred, fn, TIMER_DEFERRABLE);

int main(void)
{
	audit_begin();
	AUDIT_CHECK(!delayed_work_pending(&plain));
	AUDIT_CHECK(!delayed_work_pending(&deferred));
	AUDIT_CHECK(schedule_delayed_work(&plain, 60 * HZ));
	AUDIT_CHECK(schedule_delayed_work(&deferred, 60 * HZ));
	AUDIT_CHECK(flush_delayed_work(&plain));
	AUDIT_CHECK(flush_delayed_work(&deferred));
	AUDIT_CHECK(atomic_load(&runs) == 2);
	return 0;
}
