// SPDX-License-Identifier: MIT
/* current_work() returns, in a work function, the item being run; outside
 * a worker it returns NULL. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(current_work, struct work_struct *(*)(void));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

static struct work_struct *seen, *seen_b;

static void fn(struct work_struct *work)
{
	(void)work;
	seen = current_work();
}

static void fn_b(struct work_struct *work)
{
	(void)work;
	seen_b = current_work();
}

int main(void)
{
	struct work_struct a, b;

	audit_begin();
	AUDIT_CHECK(current_work() == NULL);
	INIT_WORK(&a, fn);
	INIT_WORK(&b, fn_b);
	AUDIT_CHECK(queue_work(system_wq, &a));
	AUDIT_CHECK(queue_work(system_unbound_wq, &b));
	flush_work(&a);
	flush_work(&b);
	AUDIT_CHECK(seen == &a);
	AUDIT_CHECK(seen_b == &b);
	AUDIT_CHECK(current_work() == NULL);
	return 0;
}
