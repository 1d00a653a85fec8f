// SPDX-License-Identifier: MIT
/*
 * init.c - start-up: runs the steps the other files registered
 *
 * Runs when the library is loaded (a constructor) and starts no thread:
 * the first thread starts when the first work item needs a worker.  The
 * steps are cmwq_initcall()s (initcall.h), run level by level; this file
 * names none of them, so it stands at the bottom of the library and every
 * entry point may call cmwq_init_once() (for a program whose own
 * constructors run before the library's).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <stdlib.h>

extern const struct cmwq_initcall *const __start_cmwq_initcalls[];
extern const struct cmwq_initcall *const __stop_cmwq_initcalls[];

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void do_init(void)
{
	const struct cmwq_initcall *const *step;
	int level, ret;

	for (level = 0; level < NR_INIT_LEVELS; level++) {
		for (step = __start_cmwq_initcalls;
		     step < __stop_cmwq_initcalls; step++) {
			if ((*step)->level != (enum initcall_level)level)
				continue;
			ret = (*step)->fn();
			if (ret < 0) {
				cmwq_warn("start-up: %s failed (error %d, out "
					  "of memory?); aborting",
					  (*step)->name, -ret);
				abort();
			}
		}
	}
}

void cmwq_init_once(void)
{
	pthread_once(&init_once, do_init);
}

__attribute__((constructor)) static void cmwq_constructor(void)
{
	cmwq_init_once();
}
