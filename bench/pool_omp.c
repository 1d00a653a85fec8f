/* SPDX-License-Identifier: MIT */
/*
 * pool_omp.c - OpenMP tasks (libgomp)
 *
 * The workload runs inside "parallel" + "single": the single thread is the
 * producer and "task" submits; the other threads of the team take tasks
 * while they wait at the end of the single.  For W2 a team of two threads
 * are both producers.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <omp.h>

#include "bench.h"

static int omp_init(void)
{
	return 0;
}

static void omp_region(void (*body)(void *arg), void *arg)
{
#pragma omp parallel
	{
#pragma omp single
		body(arg);
	}
}

static void omp_submit(struct task *t)
{
#pragma omp task firstprivate(t)
	task_run(t);
}

static void omp_thread_end(void)
{
#pragma omp taskwait
}

static void omp_w2(void (*prod)(int k))
{
#pragma omp parallel num_threads(2)
	prod(omp_get_thread_num());
}

const struct pool pool_omp = {
	.id = "omp",
	.label = "OpenMP tasks (libgomp)",
	.flags = POOL_SPINS,
	.init = omp_init,
	.thread_end = omp_thread_end,
	.submit = omp_submit,
	.region = omp_region,
	.w2_producers = omp_w2,
};
