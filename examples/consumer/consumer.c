// SPDX-License-Identifier: MIT
/*
 * consumer.c - a program outside cmwq's tree, built against an installed
 * cmwq: by pkg-config and make (Makefile) or by CMake's find_package
 * (CMakeLists.txt), linked with libcmwq.so or libcmwq.a.
 *
 * Kernel-style code: an item embedded in a struct, queued on a workqueue of
 * its own and on the system one, flushed, the queue destroyed.
 */
#include <cmwq.h>

#include <stdio.h>

struct counter {
	struct work_struct work;
	int runs;
};

static void count(struct work_struct *work)
{
	struct counter *c = container_of(work, struct counter, work);

	c->runs++;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct counter c = { .runs = 0 };

	if (!cmwq_check_version(CMWQ_VERSION_MAJOR, CMWQ_VERSION_MINOR, 0)) {
		fprintf(stderr, "consumer: built for cmwq %s, runs with %s\n",
			CMWQ_VERSION_STRING, cmwq_version_string());
		return 1;
	}
	wq = alloc_workqueue("consumer", WQ_UNBOUND, 1);
	if (!wq)
		return 1;
	INIT_WORK(&c.work, count);
	queue_work(wq, &c.work);
	flush_work(&c.work);
	queue_work(system_wq, &c.work);
	flush_work(&c.work);
	destroy_workqueue(wq);
	printf("consumer: cmwq %s, %d runs\n", cmwq_version_string(), c.runs);
	return c.runs == 2 ? 0 : 1;
}
