// SPDX-License-Identifier: MIT
/* init_completion() on a completion inside an allocated object, completed
 * by a work item that reaches it with container_of(). */
#include <cmwq.h>

#include <stdlib.h>

#include "audit.h"

AUDIT_TYPE(init_completion, void (*)(struct completion *));

struct fw_load {
	struct work_struct work;
	struct completion loaded;
	int size;
};

static void load_fn(struct work_struct *work)
{
	struct fw_load *fw = container_of(work, struct fw_load, work);

	fw->size = 4096;
	complete(&fw->loaded);
}

int main(void)
{
	struct fw_load *fw;

	audit_begin();
	fw = malloc(sizeof(*fw));
	AUDIT_CHECK(fw);
	fw->size = 0;
	init_completion(&fw->loaded);
	AUDIT_CHECK(!completion_done(&fw->loaded));
	INIT_WORK(&fw->work, load_fn);
	schedule_work(&fw->work);
	wait_for_completion(&fw->loaded);
	AUDIT_CHECK(fw->size == 4096);
	flush_work(&fw->work);
	free(fw);
	return 0;
}
