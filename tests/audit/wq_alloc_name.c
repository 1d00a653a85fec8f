// SPDX-License-Identifier: MIT
/* alloc_workqueue()'s first argument is a printf format: the workqueue is
 * named by the formatted text (kernel: "%s", dev_name(dev) and the like). */
#include <cmwq.h>

#include <string.h>

#include "audit.h"

/* alloc_workqueue is a macro in the kernel too (alloc_hooks); the function
 * behind it has the kernel's alloc_workqueue_noprof() prototype. */
AUDIT_TYPE(cmwq_alloc_workqueue,
	   struct workqueue_struct *(*)(const char *, unsigned int, int, ...));
AUDIT_TYPE(destroy_workqueue, void (*)(struct workqueue_struct *));

int main(void)
{
	struct workqueue_struct *wq, *ord;

	audit_begin();
	wq = alloc_workqueue("audit_%s-%d", WQ_UNBOUND, 0, "dev", 3);
	AUDIT_CHECK(wq);
	AUDIT_CHECK(strcmp(cmwq_workqueue_name(wq), "audit_dev-3") == 0);
	ord = alloc_ordered_workqueue("audit_ord_%s", 0, "x");
	AUDIT_CHECK(ord);
	AUDIT_CHECK(strcmp(cmwq_workqueue_name(ord), "audit_ord_x") == 0);
	destroy_workqueue(ord);
	destroy_workqueue(wq);
	return 0;
}
