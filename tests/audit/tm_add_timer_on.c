// SPDX-License-Identifier: MIT
/* add_timer_on() runs the callback on the CPU asked for. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(add_timer_on, void (*)(struct timer_list *, int));

static int ran_on = -1;
static DECLARE_COMPLETION(done);

static void fn(struct timer_list *timer)
{
	(void)timer;
	ran_on = raw_smp_processor_id();
	complete(&done);
}

int main(void)
{
	struct timer_list t;
	int cpu;

	audit_begin();
	timer_setup(&t, fn, TIMER_PINNED);
	cpu = raw_smp_processor_id();
	t.expires = jiffies + 1;
	add_timer_on(&t, cpu);
	wait_for_completion(&done);
	timer_delete_sync(&t);
	AUDIT_CHECK(ran_on == cpu);
	return 0;
}
