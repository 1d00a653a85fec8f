// SPDX-License-Identifier: MIT
/* enable_work() on an item that is not disabled warns and returns true, as
 * the kernel's (disable count underflow), so enable_and_queue_work() queues
 * it. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(enable_work, bool (*)(struct work_struct *));
AUDIT_TYPE(enable_and_queue_work, bool (*)(struct workqueue_struct *,
					   struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	struct work_struct w;

	audit_begin();
	INIT_WORK(&w, fn);
	AUDIT_CHECK(enable_work(&w));
	AUDIT_CHECK(enable_and_queue_work(system_wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&runs) == 1);
	return 0;
}
