// SPDX-License-Identifier: MIT
/* An on-stack item: INIT_WORK_ONSTACK(), queue, flush_work(), then
 * destroy_work_on_stack() before the frame goes away. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(destroy_work_on_stack, void (*)(struct work_struct *));
AUDIT_TYPE(schedule_work, bool (*)(struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

struct req {
	struct work_struct work;
	int in, out;
};

static void fn(struct work_struct *work)
{
	struct req *r = container_of(work, struct req, work);

	r->out = r->in * 2;
}

static int run_on_stack(int in)
{
	struct req r = { .in = in };

	INIT_WORK_ONSTACK(&r.work, fn);
	AUDIT_CHECK(schedule_work(&r.work));
	flush_work(&r.work);
	destroy_work_on_stack(&r.work);
	return r.out;
}

int main(void)
{
	int i;

	audit_begin();
	for (i = 1; i <= 4; i++)
		AUDIT_CHECK(run_on_stack(i) == 2 * i);
	return 0;
}
