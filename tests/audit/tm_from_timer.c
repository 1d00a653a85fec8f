// SPDX-License-Identifier: MIT
/* from_timer(), the name before 6.16: in the callback it gives the object
 * that embeds the timer. */
#include <cmwq.h>

#include "audit.h"

struct port {
	int id;
	struct timer_list retry;
	struct port *seen;
};

static DECLARE_COMPLETION(done);

static void retry_fn(struct timer_list *t)
{
	struct port *p = from_timer(p, t, retry);

	p->seen = p;
	complete(&done);
}

int main(void)
{
	struct port p = { .id = 3 };

	audit_begin();
	timer_setup(&p.retry, retry_fn, 0);
	mod_timer(&p.retry, jiffies + 1);
	wait_for_completion(&done);
	timer_delete_sync(&p.retry);
	AUDIT_CHECK(p.seen == &p);
	AUDIT_CHECK(p.id == 3);
	return 0;
}
