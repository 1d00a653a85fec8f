// SPDX-License-Identifier: MIT
/* apply_workqueue_attrs() moves an unbound workqueue to the pools of new
 * attributes, each affinity scope (WQ_AFFN_*); a per-CPU one is refused. */
#include <cmwq.h>

#include <errno.h>
#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(alloc_workqueue_attrs, struct workqueue_attrs *(*)(void));
AUDIT_TYPE(free_workqueue_attrs, void (*)(struct workqueue_attrs *));
AUDIT_TYPE(apply_workqueue_attrs,
	   int (*)(struct workqueue_struct *, const struct workqueue_attrs *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static atomic_int runs;

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

int main(void)
{
	static const enum wq_affn_scope scopes[] = {
		WQ_AFFN_DFL, WQ_AFFN_CPU, WQ_AFFN_SMT, WQ_AFFN_CACHE,
		WQ_AFFN_CACHE_SHARD, WQ_AFFN_NUMA, WQ_AFFN_SYSTEM,
	};
	struct workqueue_struct *wq, *bound;
	struct workqueue_attrs *attrs;
	struct work_struct w;
	unsigned int i;

	audit_begin();
	_Static_assert(WQ_AFFN_NR_TYPES == 7, "seven scopes");
	wq = alloc_workqueue("audit_attrs", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	attrs = alloc_workqueue_attrs();
	AUDIT_CHECK(attrs);
	AUDIT_CHECK(attrs->nice == 0);
	INIT_WORK(&w, fn);
	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		attrs->affn_scope = scopes[i];
		attrs->affn_strict = i % 2;
		AUDIT_CHECK(apply_workqueue_attrs(wq, attrs) == 0);
		AUDIT_CHECK(queue_work(wq, &w));
		flush_work(&w);
		AUDIT_CHECK(atomic_load(&runs) == (int)i + 1);
	}
	bound = alloc_workqueue("audit_attrs_bound", WQ_PERCPU, 0);
	AUDIT_CHECK(bound);
	AUDIT_CHECK(apply_workqueue_attrs(bound, attrs) == -EINVAL);
	free_workqueue_attrs(attrs);
	destroy_workqueue(bound);
	destroy_workqueue(wq);
	return 0;
}
