// SPDX-License-Identifier: MIT
/* The work function gets the work_struct embedded in the caller's struct
 * and recovers the struct with container_of(), wherever the member lies. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

struct my_dev {
	char name[13];
	long value;
	struct work_struct reset_work;
	struct work_struct stats_work;
	atomic_int resets, stats;
};

static void reset_fn(struct work_struct *work)
{
	struct my_dev *dev = container_of(work, struct my_dev, reset_work);

	atomic_fetch_add(&dev->resets, 1);
	dev->value = 0;
}

static void stats_fn(struct work_struct *work)
{
	struct my_dev *dev = container_of(work, struct my_dev, stats_work);

	atomic_fetch_add(&dev->stats, 1);
}

int main(void)
{
	struct workqueue_struct *wq;
	static struct my_dev devs[3];
	int i;

	audit_begin();
	wq = alloc_workqueue("audit_container_of", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	for (i = 0; i < 3; i++) {
		devs[i].value = 100 + i;
		INIT_WORK(&devs[i].reset_work, reset_fn);
		INIT_WORK(&devs[i].stats_work, stats_fn);
		AUDIT_CHECK(queue_work(wq, &devs[i].reset_work));
		AUDIT_CHECK(queue_work(wq, &devs[i].stats_work));
	}
	flush_workqueue(wq);
	for (i = 0; i < 3; i++) {
		AUDIT_CHECK(devs[i].value == 0);
		AUDIT_CHECK(atomic_load(&devs[i].resets) == 1);
		AUDIT_CHECK(atomic_load(&devs[i].stats) == 1);
	}
	destroy_workqueue(wq);
	return 0;
}
