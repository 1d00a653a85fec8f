// SPDX-License-Identifier: MIT
/* INIT_DEFERRABLE_WORK() on an item of an allocated object: queued with a
 * delay it runs once, not before the delay, and can be cancelled. */
#include <cmwq.h>

#include <stdlib.h>

#include "audit.h"

struct stats {
	int runs;
	unsigned long ran_at;
	struct delayed_work refresh;
};

static void refresh_fn(struct work_struct *work)
{
	struct stats *s = container_of(to_delayed_work(work), struct stats,
				       refresh);

	s->runs++;
	s->ran_at = jiffies;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct stats *s;
	unsigned long queued_at;

	audit_begin();
	wq = alloc_workqueue("audit_dw_idef", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	s = calloc(1, sizeof(*s));
	AUDIT_CHECK(s);
	INIT_DEFERRABLE_WORK(&s->refresh, refresh_fn);
	queued_at = jiffies;
	AUDIT_CHECK(queue_delayed_work(wq, &s->refresh, 60 * HZ));
	AUDIT_CHECK(flush_delayed_work(&s->refresh));
	AUDIT_CHECK(s->runs == 1);
	AUDIT_CHECK(time_after_eq(s->ran_at, queued_at));
	AUDIT_CHECK(queue_delayed_work(wq, &s->refresh, 60 * HZ));
	AUDIT_CHECK(cancel_delayed_work_sync(&s->refresh));
	AUDIT_CHECK(s->runs == 1);
	destroy_workqueue(wq);
	free(s);
	return 0;
}
