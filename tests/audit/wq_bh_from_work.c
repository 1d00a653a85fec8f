// SPDX-License-Identifier: MIT
/* A tasklet converted to a BH work item: the function recovers its device
 * with from_work(dev, work, field), as the kernel's from_tasklet() did. */
#include <cmwq.h>

#include <stdatomic.h>

#include "audit.h"

AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

struct my_dev {
	int irq_count;
	atomic_int handled;
	struct work_struct bh_work;
};

static void my_dev_bh(struct work_struct *t)
{
	struct my_dev *dev = from_work(dev, t, bh_work);

	atomic_fetch_add(&dev->handled, dev->irq_count);
}

int main(void)
{
	static struct my_dev dev = { .irq_count = 5 };

	audit_begin();
	INIT_WORK(&dev.bh_work, my_dev_bh);
	AUDIT_CHECK(queue_work(system_bh_wq, &dev.bh_work));
	flush_work(&dev.bh_work);
	AUDIT_CHECK(atomic_load(&dev.handled) == 5);
	AUDIT_CHECK(queue_work(system_bh_highpri_wq, &dev.bh_work));
	flush_work(&dev.bh_work);
	AUDIT_CHECK(atomic_load(&dev.handled) == 10);
	return 0;
}
