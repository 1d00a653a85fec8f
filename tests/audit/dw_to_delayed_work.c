// SPDX-License-Identifier: MIT
/* In a delayed item's callback, to_delayed_work(work) is the item, and
 * container_of() on it reaches the object that embeds it. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(to_delayed_work, struct delayed_work *(*)(struct work_struct *));

struct poller {
	int id;
	struct delayed_work poll;
	struct delayed_work *seen;
	struct poller *self;
};

static void poll_fn(struct work_struct *work)
{
	struct delayed_work *dwork = to_delayed_work(work);
	struct poller *p = container_of(dwork, struct poller, poll);

	p->seen = dwork;
	p->self = p;
}

int main(void)
{
	struct poller p = { .id = 7 };

	audit_begin();
	INIT_DELAYED_WORK(&p.poll, poll_fn);
	AUDIT_CHECK(schedule_delayed_work(&p.poll, 60 * HZ));
	AUDIT_CHECK(flush_delayed_work(&p.poll));
	AUDIT_CHECK(p.seen == &p.poll);
	AUDIT_CHECK(p.self == &p);
	AUDIT_CHECK(p.id == 7);
	return 0;
}
