// SPDX-License-Identifier: MIT
/*
 * static_clash.c - a program linked with libcmwq.a may use any name outside
 * cmwq_ for itself.
 *
 * Before 0.2 the static library defined 31 global names without the prefix
 * (pool_lock, workqueues, ...): this program then failed to link with
 * "multiple definition of `pool_lock'".  It defines a few of them, links
 * statically, and checks that both its own and the library's still work.
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>

/* Names the library used internally, taken by the program. */
int workqueues = 7;
int wqs_mutex;
int pool_lock(void);
int pool_kick(int x);
int try_to_grab_pending(void);
int pool_lock(void)
{
	return 41;
}
int pool_kick(int x)
{
	return x + 1;
}
int try_to_grab_pending(void)
{
	return wqs_mutex;
}

static atomic_int ran;

static void work_fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&ran, 1);
}

int main(void)
{
	struct workqueue_struct *wq = alloc_workqueue("clash", WQ_UNBOUND, 1);
	DECLARE_WORK(work, work_fn);

	if (!wq) {
		fprintf(stderr, "static_clash: alloc_workqueue failed\n");
		return 1;
	}
	queue_work(wq, &work);
	flush_workqueue(wq);
	destroy_workqueue(wq);
	if (atomic_load(&ran) != 1 || pool_lock() != 41 || pool_kick(1) != 2 ||
	    workqueues != 7 || try_to_grab_pending() != 0) {
		fprintf(stderr, "static_clash: wrong results\n");
		return 1;
	}
	if (cmwq_version() != CMWQ_VERSION) {
		fprintf(stderr,
			"static_clash: cmwq_version() %#x, headers %#x\n",
			cmwq_version(), CMWQ_VERSION);
		return 1;
	}
	printf("static_clash: ok, cmwq %s\n", cmwq_version_string());
	return 0;
}
