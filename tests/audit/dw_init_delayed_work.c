// SPDX-License-Identifier: MIT
/* INIT_DELAYED_WORK() on an item inside an allocated object; queued with
 * queue_delayed_work() it runs once and its callback gets &dwork->work. */
#include <cmwq.h>

#include <stdlib.h>

#include "audit.h"

AUDIT_TYPE(queue_delayed_work, bool (*)(struct workqueue_struct *,
					struct delayed_work *, unsigned long));
AUDIT_TYPE(to_delayed_work, struct delayed_work *(*)(struct work_struct *));

struct dev {
	int runs;
	struct delayed_work dwork;
	struct completion done;
};

static void fn(struct work_struct *work)
{
	struct dev *d = container_of(to_delayed_work(work), struct dev, dwork);

	d->runs++;
	complete(&d->done);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct dev *d;

	audit_begin();
	wq = alloc_workqueue("audit_dw_init", WQ_UNBOUND, 1);
	AUDIT_CHECK(wq);
	d = calloc(1, sizeof(*d));
	AUDIT_CHECK(d);
	init_completion(&d->done);
	INIT_DELAYED_WORK(&d->dwork, fn);
	AUDIT_CHECK(queue_delayed_work(wq, &d->dwork, 2));
	wait_for_completion(&d->done);
	flush_workqueue(wq);
	AUDIT_CHECK(d->runs == 1);
	destroy_workqueue(wq);
	free(d);
	return 0;
}
