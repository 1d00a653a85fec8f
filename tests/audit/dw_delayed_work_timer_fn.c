// SPDX-License-Identifier: MIT
/* A delayed item's timer has delayed_work_timer_fn as its function, both
 * after INIT_DELAYED_WORK() and from DECLARE_DELAYED_WORK(). */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(delayed_work_timer_fn, void (*)(struct timer_list *));

static void fn(struct work_struct *work)
{
	(void)work;
}

static DECLARE_DELAYED_WORK(declared, fn);

int main(void)
{
	struct delayed_work dw;

	audit_begin();
	INIT_DELAYED_WORK(&dw, fn);
	AUDIT_CHECK(dw.timer.function == delayed_work_timer_fn);
	AUDIT_CHECK(declared.timer.function == delayed_work_timer_fn);
	return 0;
}
