// SPDX-License-Identifier: MIT
/* wait_for_completion_io(), as block drivers wait for a request: returns
 * once the "I/O" work item has completed it. */
#include <cmwq.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_io, void (*)(struct completion *));

struct bio_req {
	struct work_struct work;
	struct completion done;
	int status;
};

static void end_io(struct work_struct *work)
{
	struct bio_req *r = container_of(work, struct bio_req, work);

	r->status = 0;
	complete(&r->done);
}

int main(void)
{
	struct bio_req r = { .status = -1 };

	audit_begin();
	init_completion(&r.done);
	INIT_WORK(&r.work, end_io);
	queue_work(system_unbound_wq, &r.work);
	wait_for_completion_io(&r.done);
	AUDIT_CHECK(r.status == 0);
	flush_work(&r.work);
	return 0;
}
