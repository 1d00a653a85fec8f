// SPDX-License-Identifier: MIT
/*
 * rescuer.c - rescuer threads of WQ_MEM_RECLAIM workqueues
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

int cmwq_rescuer_create(struct workqueue_struct *wq)
{
	(void)wq;
	return 0;
}

void cmwq_rescuer_destroy(struct workqueue_struct *wq)
{
	(void)wq;
}
