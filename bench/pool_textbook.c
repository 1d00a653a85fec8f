/* SPDX-License-Identifier: MIT */
/*
 * pool_textbook.c - the textbook thread pool: one mutex, one condition
 * variable, a FIFO list and a fixed set of threads
 *
 * For W5 every serial queue is such a pool with a single thread.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

struct tb_pool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct task *head, *tail;
	bool stop;
	int nr_threads;
	pthread_t *threads;
};

static void *tb_worker(void *arg)
{
	struct tb_pool *p = arg;
	struct task *t;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		t = p->head;
		if (!t)
			break;
		p->head = t->u.next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		task_run(t);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static struct tb_pool *tb_create(int nr_threads)
{
	struct tb_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->threads = calloc((size_t)nr_threads, sizeof(pthread_t));
	if (!p->threads) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (int i = 0; i < nr_threads; i++) {
		if (pthread_create(&p->threads[i], NULL, tb_worker, p)) {
			perror("pthread_create");
			exit(2);
		}
		p->nr_threads++;
	}
	return p;
}

static void tb_push(struct tb_pool *p, struct task *t)
{
	t->u.next = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->u.next = t;
	else
		p->head = t;
	p->tail = t;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void tb_destroy(struct tb_pool *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nr_threads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p->threads);
	free(p);
}

static struct tb_pool *tb_main;

static int tb_init(void)
{
	tb_main = tb_create(2);
	return tb_main ? 0 : -1;
}

static void tb_fini(void)
{
	tb_destroy(tb_main);
}

static void tb_submit(struct task *t)
{
	tb_push(tb_main, t);
}

static struct squeue *tb_sq_create(int i)
{
	(void)i;
	return (struct squeue *)tb_create(1);
}

static void tb_sq_submit(struct squeue *q, struct task *t)
{
	tb_push((struct tb_pool *)q, t);
}

static void tb_sq_destroy(struct squeue *q)
{
	tb_destroy((struct tb_pool *)q);
}

const struct pool pool_textbook = {
	.id = "textbook",
	.label = "textbook mutex+condvar pool, 2 threads",
	.init = tb_init,
	.fini = tb_fini,
	.submit = tb_submit,
	.sq_create = tb_sq_create,
	.sq_submit = tb_sq_submit,
	.sq_destroy = tb_sq_destroy,
};
