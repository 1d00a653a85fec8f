/* SPDX-License-Identifier: MIT */
/*
 * pool_uv.c - libuv's threadpool (uv_queue_work), 4 threads (the default)
 * and 2 (UV_THREADPOOL_SIZE=2, set in the child's environment)
 *
 * uv_queue_work() belongs to a loop and is called from the loop's thread,
 * so every producer thread has its own loop; the work requests live in an
 * array parallel to the tasks.  For W5 a serial queue is a locked FIFO that
 * one work request at a time drains; the after-work callback requeues the
 * request when more arrived.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#include "bench.h"

static uv_work_t *reqs;
static __thread uv_loop_t *loop;

static int uvp_init(void)
{
	reqs = calloc(bench_nr_tasks, sizeof(*reqs));
	return reqs ? 0 : -1;
}

static void uvp_fini(void)
{
	free(reqs);
}

static void uvp_thread_begin(void)
{
	loop = malloc(sizeof(*loop));
	if (!loop || uv_loop_init(loop)) {
		fprintf(stderr, "uv_loop_init failed\n");
		exit(2);
	}
}

static void uvp_thread_end(void)
{
	uv_run(loop, UV_RUN_DEFAULT);
	uv_loop_close(loop);
	free(loop);
	loop = NULL;
}

static void uvp_work(uv_work_t *req)
{
	task_run(req->data);
}

static void uvp_submit(struct task *t)
{
	uv_work_t *req = &reqs[t->idx];

	req->data = t;
	if (uv_queue_work(loop, req, uvp_work, NULL)) {
		fprintf(stderr, "uv_queue_work failed\n");
		exit(2);
	}
}

struct uv_sq {
	pthread_mutex_t lock;
	struct task *head, *tail;
	bool scheduled;
	uv_work_t req;
};

static void sq_drain(uv_work_t *req)
{
	struct uv_sq *q = req->data;
	struct task *t;

	for (;;) {
		pthread_mutex_lock(&q->lock);
		t = q->head;
		if (t) {
			q->head = t->u.next;
			if (!q->head)
				q->tail = NULL;
		}
		pthread_mutex_unlock(&q->lock);
		if (!t)
			break;
		task_run(t);
	}
}

static void sq_after(uv_work_t *req, int status)
{
	struct uv_sq *q = req->data;
	bool again;

	(void)status;
	pthread_mutex_lock(&q->lock);
	again = q->head != NULL;
	q->scheduled = again;
	pthread_mutex_unlock(&q->lock);
	if (again)
		uv_queue_work(req->loop, &q->req, sq_drain, sq_after);
}

static struct squeue *uvp_sq_create(int i)
{
	struct uv_sq *q = calloc(1, sizeof(*q));

	(void)i;
	if (!q)
		return NULL;
	pthread_mutex_init(&q->lock, NULL);
	q->req.data = q;
	return (struct squeue *)q;
}

static void uvp_sq_submit(struct squeue *sq, struct task *t)
{
	struct uv_sq *q = (struct uv_sq *)sq;
	bool start;

	t->u.next = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->u.next = t;
	else
		q->head = t;
	q->tail = t;
	start = !q->scheduled;
	q->scheduled = true;
	pthread_mutex_unlock(&q->lock);
	if (start)
		uv_queue_work(loop, &q->req, sq_drain, sq_after);
}

static void uvp_sq_destroy(struct squeue *sq)
{
	struct uv_sq *q = (struct uv_sq *)sq;

	pthread_mutex_destroy(&q->lock);
	free(q);
}

const struct pool pool_uv4 = {
	.id = "uv4",
	.label = "libuv threadpool, 4 threads (default)",
	.init = uvp_init,
	.fini = uvp_fini,
	.thread_begin = uvp_thread_begin,
	.thread_end = uvp_thread_end,
	.submit = uvp_submit,
	.sq_create = uvp_sq_create,
	.sq_submit = uvp_sq_submit,
	.sq_destroy = uvp_sq_destroy,
};

const struct pool pool_uv2 = {
	.id = "uv2",
	.label = "libuv threadpool, 2 threads",
	.env = "UV_THREADPOOL_SIZE=2",
	.init = uvp_init,
	.fini = uvp_fini,
	.thread_begin = uvp_thread_begin,
	.thread_end = uvp_thread_end,
	.submit = uvp_submit,
	.sq_create = uvp_sq_create,
	.sq_submit = uvp_sq_submit,
	.sq_destroy = uvp_sq_destroy,
};
