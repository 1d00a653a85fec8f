// SPDX-License-Identifier: MIT
/* show_freezable_workqueues() prints, while freezing, the freezable
 * workqueues still busy: one with a running item is named. */
#include <cmwq.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(show_freezable_workqueues, void (*)(void));
AUDIT_TYPE(freeze_workqueues_begin, void (*)(void));
AUDIT_TYPE(freeze_workqueues_busy, bool (*)(void));
AUDIT_TYPE(thaw_workqueues, void (*)(void));
AUDIT_TYPE(queue_work, bool (*)(struct workqueue_struct *,
				struct work_struct *));
AUDIT_TYPE(complete, void (*)(struct completion *));
AUDIT_TYPE(wait_for_completion, void (*)(struct completion *));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

static DECLARE_COMPLETION(started);
static DECLARE_COMPLETION(release);

static void block_fn(struct work_struct *work)
{
	(void)work;
	complete(&started);
	wait_for_completion(&release);
}

int main(void)
{
	struct workqueue_struct *wq;
	struct work_struct a;
	static char out[65536];
	FILE *tmp;
	size_t n;
	int saved;

	audit_begin();
	wq = alloc_workqueue("audit_showfrz", WQ_FREEZABLE | WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	INIT_WORK(&a, block_fn);
	AUDIT_CHECK(queue_work(wq, &a));
	wait_for_completion(&started);
	freeze_workqueues_begin();
	AUDIT_CHECK(freeze_workqueues_busy());

	tmp = tmpfile();
	AUDIT_CHECK(tmp);
	fflush(stderr);
	saved = dup(2);
	AUDIT_CHECK(saved >= 0);
	AUDIT_CHECK(dup2(fileno(tmp), 2) == 2);
	show_freezable_workqueues();
	fflush(stderr);
	AUDIT_CHECK(dup2(saved, 2) == 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	AUDIT_CHECK(strstr(out, "audit_showfrz"));

	complete(&release);
	thaw_workqueues();
	flush_workqueue(wq);
	destroy_workqueue(wq);
	return 0;
}
