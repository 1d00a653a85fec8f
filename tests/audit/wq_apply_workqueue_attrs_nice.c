// SPDX-License-Identifier: MIT
/* apply_workqueue_attrs() with attrs->nice: the workqueue's items then run
 * in workers of that nice value. */
#include <cmwq.h>

#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(alloc_workqueue_attrs, struct workqueue_attrs *(*)(void));
AUDIT_TYPE(free_workqueue_attrs, void (*)(struct workqueue_attrs *));
AUDIT_TYPE(apply_workqueue_attrs,
	   int (*)(struct workqueue_struct *, const struct workqueue_attrs *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int nice_seen = 100;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_store(&nice_seen,
		     getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid)));
}

int main(void)
{
	struct workqueue_struct *wq;
	struct workqueue_attrs *attrs;
	struct work_struct w;

	audit_begin();
	wq = alloc_workqueue("audit_attrs_nice", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	attrs = alloc_workqueue_attrs();
	AUDIT_CHECK(attrs);
	attrs->nice = 5;
	AUDIT_CHECK(apply_workqueue_attrs(wq, attrs) == 0);
	free_workqueue_attrs(attrs);
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(wq, &w));
	flush_work(&w);
	AUDIT_CHECK(atomic_load(&nice_seen) == 5);
	destroy_workqueue(wq);
	return 0;
}
