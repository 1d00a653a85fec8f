// SPDX-License-Identifier: MIT
/* flush_work() returns false for an idle item, and true when it had to wait
 * for a pending item, which has run when it returns. */
#include <cmwq.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>

#include "audit.h"

AUDIT_TYPE(flush_work, bool (*)(struct work_struct *));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);
static atomic_int runs, flushing;
static pid_t main_tid;

static void block_fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	wait_for_completion(&release);
}

static void fn(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

/* Lets the blocker go once the main thread sleeps in flush_work(). */
static void *releaser(void *arg)
{
	char path[64], buf[512], *p;
	FILE *f;

	(void)arg;
	while (!atomic_load(&flushing))
		sched_yield();
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)main_tid);
	for (;;) {
		f = fopen(path, "r");
		AUDIT_CHECK(f);
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		p = p ? strrchr(buf, ')') : NULL;
		if (p && p[1] == ' ' && p[2] == 'S')
			break;
		sched_yield();
	}
	complete(&release);
	return NULL;
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a, b;
	pthread_t t;

	audit_begin();
	main_tid = (pid_t)syscall(SYS_gettid);
	wq = alloc_ordered_workqueue("audit_flush_work", 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	INIT_WORK(&b, fn);
	AUDIT_CHECK(!flush_work(&b));

	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	AUDIT_CHECK(queue_work(wq, &b));
	AUDIT_CHECK(pthread_create(&t, NULL, releaser, NULL) == 0);
	atomic_store(&flushing, 1);
	AUDIT_CHECK(flush_work(&b));
	AUDIT_CHECK(atomic_load(&runs) == 1);
	pthread_join(t, NULL);
	AUDIT_CHECK(!flush_work(&b));
	destroy_workqueue(wq);
	return 0;
}
