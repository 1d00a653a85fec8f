/* SPDX-License-Identifier: MIT */
/*
 * A known workload for the probe test: exactly N items queued on one
 * workqueue, each run once; the process exits when they are done.
 */
#include <cmwq.h>
#include <stdlib.h>

#include "harness.h"

static struct work_struct works[1000];

static void fn(struct work_struct *work)
{
	(void)work;
}

int main(int argc, char **argv)
{
	struct workqueue_struct *wq = alloc_workqueue("probe_wq", 0, 0);
	int i, n = argc > 1 ? atoi(argv[1]) : 100;

	harness_watchdog(30);
	CHECK(wq && n > 0 && n <= 1000);
	for (i = 0; i < n; i++) {
		INIT_WORK(&works[i], fn);
		CHECK(queue_work(wq, &works[i]));
	}
	flush_workqueue(wq);
	CHECK_EQ(cmwq_destroy_workqueue(wq), 0);
	return 0;
}
