// SPDX-License-Identifier: MIT
/* execute_in_process_context() called from process context runs fn at
 * once, in the caller, and returns 0. */
#include <cmwq.h>

#include <pthread.h>

#include "audit.h"

AUDIT_TYPE(execute_in_process_context,
	   int (*)(work_func_t, struct execute_work *));

struct dev {
	int released;
	pthread_t by;
	struct execute_work ew;
};

static void release_fn(struct work_struct *work)
{
	struct dev *d = container_of(work, struct dev, ew.work);

	d->released++;
	d->by = pthread_self();
}

int main(void)
{
	static struct dev d;

	audit_begin();
	AUDIT_CHECK(execute_in_process_context(release_fn, &d.ew) == 0);
	AUDIT_CHECK(d.released == 1);
	AUDIT_CHECK(pthread_equal(d.by, pthread_self()));
	return 0;
}
