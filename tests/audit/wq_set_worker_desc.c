// SPDX-License-Identifier: MIT
/* set_worker_desc() in a work function describes the worker: its name
 * shows "+desc" after the worker's name (as ps shows kworker/0:1+desc). */
#include <cmwq.h>

#include <string.h>
#include <sys/prctl.h>

#include "audit.h"

AUDIT_TYPE(set_worker_desc, void (*)(const char *, ...));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));

_Static_assert(WORKER_DESC_LEN == 32, "the kernel's WORKER_DESC_LEN");

static char before[16], after[16];

static void fn(struct work_struct *work)
{
	(void)work;
	prctl(PR_GET_NAME, before, 0, 0, 0);
	set_worker_desc("audit%d", 7);
	prctl(PR_GET_NAME, after, 0, 0, 0);
}

int main(void)
{
	char long_desc[WORKER_DESC_LEN * 2];
	struct work_struct w;
	size_t n;

	audit_begin();
	/* Outside a worker: no effect. */
	set_worker_desc("not a worker");
	memset(long_desc, 'x', sizeof(long_desc) - 1);
	long_desc[sizeof(long_desc) - 1] = '\0';
	INIT_WORK(&w, fn);
	AUDIT_CHECK(queue_work(system_wq, &w));
	flush_work(&w);
	n = strlen(before);
	AUDIT_CHECK(n > 0);
	AUDIT_CHECK(strncmp(after, before, n) == 0);
	if (n < 15)
		AUDIT_CHECK(after[n] == '+');
	if (n < 14)
		AUDIT_CHECK(after[n + 1] == 'a');
	return 0;
}
