// SPDX-License-Identifier: MIT
/*
 * observe.c - publishing the counters to outside monitors
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

void cmwq_observe_pass(unsigned long long now, unsigned long long *next)
{
	(void)now;
	(void)next;
}
