/* SPDX-License-Identifier: MIT */
/*
 * pool_tbb.cpp - oneTBB task_group: the C++ side of pool_tbb.c
 *
 * Every producer thread has its own task_group; waiting on it at the end
 * of a producer's run lets the producer help, as TBB code does.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

extern "C" {
struct task;
void bench_task_run(struct task *t);
void tbb_thread_begin(void);
void tbb_thread_end(void);
void tbb_submit(struct task *t);
void tbb_enqueue(struct task *t);
}

static thread_local tbb::task_group *tg;

void tbb_thread_begin(void)
{
	tg = new tbb::task_group;
}

void tbb_thread_end(void)
{
	tg->wait();
	delete tg;
	tg = nullptr;
}

void tbb_submit(struct task *t)
{
	tg->run([t] { bench_task_run(t); });
}

/*
 * W3 submits with task_arena::enqueue: a task_group task sits in the
 * submitting thread's own deque, and with that thread blocked outside TBB
 * the workers were seen to sleep through it (W3 hung after some thousands
 * of trials); an enqueued task always gets a worker.
 */
static tbb::task_arena arena;

void tbb_enqueue(struct task *t)
{
	arena.enqueue([t] { bench_task_run(t); });
}
