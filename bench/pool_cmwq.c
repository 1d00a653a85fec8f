/* SPDX-License-Identifier: MIT */
/*
 * pool_cmwq.c - cmwq: a per-CPU workqueue and an unbound one; W5 uses one
 * ordered workqueue per serial queue
 *
 * A task embeds its struct work_struct; completion of a workload is
 * signalled with a struct completion.  W4 items sleep with plain
 * nanosleep(), without cmwq_worker_sleeping() annotations.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static struct workqueue_struct *wq;
static struct completion done;

static void cw_func(struct work_struct *work)
{
	task_run(container_of(work, struct task, u.work));
}

static int cw_init_flags(unsigned int flags)
{
	wq = alloc_workqueue("bench", flags, 0);
	if (!wq) {
		perror("alloc_workqueue");
		return -1;
	}
	return 0;
}

static int cw_init_percpu(void)
{
	return cw_init_flags(0);
}

static int cw_init_unbound(void)
{
	return cw_init_flags(WQ_UNBOUND);
}

static void cw_fini(void)
{
	destroy_workqueue(wq);
}

static void cw_prepare(struct task *t)
{
	INIT_WORK(&t->u.work, cw_func);
}

static void cw_queue(struct workqueue_struct *q, struct task *t)
{
	if (!queue_work(q, &t->u.work)) {
		fprintf(stderr,
			"cmwq: queue_work returned false for an idle item %u\n",
			t->idx);
		exit(3);
	}
}

static void cw_submit(struct task *t)
{
	cw_queue(wq, t);
}

static void cw_done_reset(void)
{
	reinit_completion(&done);
}

static void cw_done_signal(void)
{
	complete(&done);
}

static void cw_done_wait(void)
{
	wait_for_completion(&done);
}

static struct squeue *cw_sq_create(int i)
{
	return (struct squeue *)alloc_ordered_workqueue("bench-q%d", 0, i);
}

static void cw_sq_submit(struct squeue *q, struct task *t)
{
	cw_queue((struct workqueue_struct *)q, t);
}

static void cw_sq_destroy(struct squeue *q)
{
	destroy_workqueue((struct workqueue_struct *)q);
}

const struct pool pool_cmwq_percpu = {
	.id = "cmwq-percpu",
	.label = "**cmwq per-CPU** (alloc_workqueue 0; W5: ordered)",
	.flags = POOL_CMWQ,
	.init = cw_init_percpu,
	.fini = cw_fini,
	.prepare = cw_prepare,
	.submit = cw_submit,
	.done_reset = cw_done_reset,
	.done_signal = cw_done_signal,
	.done_wait = cw_done_wait,
	.sq_create = cw_sq_create,
	.sq_submit = cw_sq_submit,
	.sq_destroy = cw_sq_destroy,
};

const struct pool pool_cmwq_unbound = {
	.id = "cmwq-unbound",
	.label = "**cmwq unbound** (WQ_UNBOUND)",
	.flags = POOL_CMWQ | POOL_NO_W5,
	.init = cw_init_unbound,
	.fini = cw_fini,
	.prepare = cw_prepare,
	.submit = cw_submit,
	.done_reset = cw_done_reset,
	.done_signal = cw_done_signal,
	.done_wait = cw_done_wait,
};
