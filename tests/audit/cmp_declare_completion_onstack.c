// SPDX-License-Identifier: MIT
/* DECLARE_COMPLETION_ONSTACK() in a function that hands it to a work item
 * and returns as soon as its wait does (the completion is then gone). */
#include <cmwq.h>

#include "audit.h"

struct request {
	struct work_struct work;
	struct completion *done;
	int result;
};

static void handle(struct work_struct *work)
{
	struct request *rq = container_of(work, struct request, work);

	rq->result = 1;
	complete(rq->done);
}

static int submit_and_wait(struct workqueue_struct *wq)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct request rq = { .done = &done, .result = 0 };

	INIT_WORK_ONSTACK(&rq.work, handle);
	queue_work(wq, &rq.work);
	wait_for_completion(&done);
	flush_work(&rq.work);
	destroy_work_on_stack(&rq.work);
	return rq.result;
}

int main(void)
{
	struct workqueue_struct *wq;
	int i;

	audit_begin();
	wq = alloc_workqueue("audit_cmp_onst", WQ_UNBOUND, 0);
	AUDIT_CHECK(wq);
	for (i = 0; i < 20; i++)
		AUDIT_CHECK(submit_and_wait(wq) == 1);
	destroy_workqueue(wq);
	return 0;
}
