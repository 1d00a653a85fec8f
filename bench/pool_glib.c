/* SPDX-License-Identifier: MIT */
/*
 * pool_glib.c - GLib's GThreadPool, at most 2 threads and unlimited
 *
 * For W5 every serial queue is a GThreadPool with max_threads 1.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <glib.h>
#include <stdio.h>

#include "bench.h"

static GThreadPool *gp;

static void gp_func(gpointer data, gpointer user_data)
{
	(void)user_data;
	task_run(data);
}

static int gp_init_n(int max)
{
	GError *err = NULL;

	gp = g_thread_pool_new(gp_func, NULL, max, FALSE, &err);
	if (!gp) {
		fprintf(stderr, "g_thread_pool_new: %s\n",
			err ? err->message : "?");
		return -1;
	}
	return 0;
}

static int gp_init2(void)
{
	return gp_init_n(2);
}

static int gp_init_unl(void)
{
	return gp_init_n(-1);
}

static void gp_fini(void)
{
	g_thread_pool_free(gp, FALSE, TRUE);
}

static void gp_submit(struct task *t)
{
	g_thread_pool_push(gp, t, NULL);
}

static struct squeue *gp_sq_create(int i)
{
	(void)i;
	return (struct squeue *)g_thread_pool_new(gp_func, NULL, 1, FALSE,
						  NULL);
}

static void gp_sq_submit(struct squeue *q, struct task *t)
{
	g_thread_pool_push((GThreadPool *)q, t, NULL);
}

static void gp_sq_destroy(struct squeue *q)
{
	g_thread_pool_free((GThreadPool *)q, FALSE, TRUE);
}

const struct pool pool_glib2 = {
	.id = "glib2",
	.label = "GLib GThreadPool, max 2",
	.init = gp_init2,
	.fini = gp_fini,
	.submit = gp_submit,
	.sq_create = gp_sq_create,
	.sq_submit = gp_sq_submit,
	.sq_destroy = gp_sq_destroy,
};

const struct pool pool_glib_unl = {
	.id = "glib-unl",
	.label = "GLib GThreadPool, unlimited",
	.flags = POOL_SLOW_SUBMIT | POOL_NO_W5,
	.init = gp_init_unl,
	.fini = gp_fini,
	.submit = gp_submit,
};
