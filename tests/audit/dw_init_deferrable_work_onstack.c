// SPDX-License-Identifier: MIT
/* INIT_DEFERRABLE_WORK_ONSTACK() on an item in a stack frame: it runs, is
 * flushed, and destroy_delayed_work_on_stack() ends its life. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(destroy_delayed_work_on_stack, void (*)(struct delayed_work *));

static int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	runs++;
}

static void once(void)
{
	struct delayed_work dw;

	INIT_DEFERRABLE_WORK_ONSTACK(&dw, fn);
	AUDIT_CHECK(schedule_delayed_work(&dw, 60 * HZ));
	AUDIT_CHECK(flush_delayed_work(&dw));
	destroy_delayed_work_on_stack(&dw);
}

int main(void)
{
	audit_begin();
	once();
	once();
	AUDIT_CHECK(runs == 2);
	return 0;
}
