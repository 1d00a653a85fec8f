/* SPDX-License-Identifier: MIT */
/*
 * pool_tbb.c - oneTBB task_group (the calls are in pool_tbb.cpp)
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "bench.h"

void bench_task_run(struct task *t);
void tbb_thread_begin(void);
void tbb_thread_end(void);
void tbb_submit(struct task *t);
void tbb_enqueue(struct task *t);

void bench_task_run(struct task *t)
{
	task_run(t);
}

static int tbb_init(void)
{
	return 0;
}

const struct pool pool_tbb = {
	.id = "tbb",
	.label = "oneTBB task_group",
	.flags = POOL_SPINS,
	.init = tbb_init,
	.thread_begin = tbb_thread_begin,
	.thread_end = tbb_thread_end,
	.submit = tbb_submit,
	.submit_one = tbb_enqueue,
};
