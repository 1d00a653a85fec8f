// SPDX-License-Identifier: MIT
/* queue_delayed_work() on the system workqueues kernel code picks for
 * delayed work: system_wq, system_unbound_wq, system_long_wq. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct delayed_work a, b, c;

	audit_begin();
	INIT_DELAYED_WORK(&a, fn);
	INIT_DELAYED_WORK(&b, fn);
	INIT_DELAYED_WORK(&c, fn);
	AUDIT_CHECK(queue_delayed_work(system_wq, &a, 60 * HZ));
	AUDIT_CHECK(queue_delayed_work(system_unbound_wq, &b, 60 * HZ));
	AUDIT_CHECK(queue_delayed_work(system_long_wq, &c, 60 * HZ));
	AUDIT_CHECK(flush_delayed_work(&a));
	AUDIT_CHECK(flush_delayed_work(&b));
	AUDIT_CHECK(flush_delayed_work(&c));
	AUDIT_CHECK(atomic_load(&runs) == 3);
	return 0;
}
