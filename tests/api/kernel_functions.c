// SPDX-License-Identifier: MIT
/*
 * kernel_functions.c - the kernel's functions are functions here too, with
 * the kernel's types: each one can be taken as a function pointer of the
 * kernel's prototype, and a struct member with its name is not rewritten
 * (it was when the names were function-like macros: p->flush_work(x)
 * became p->cmwq_flush_work(x) and failed to compile).
 */
#include <cmwq.h>

#include <stdatomic.h>
#include <stdio.h>

#include "api.h"
#include "harness.h"

typedef struct workqueue_struct wq_t;
typedef struct work_struct work_t;
typedef struct delayed_work dwork_t;

SAME_TYPE(queue_work, bool (*)(wq_t *, work_t *));
SAME_TYPE(queue_work_on, bool (*)(int, wq_t *, work_t *));
SAME_TYPE(schedule_work, bool (*)(work_t *));
SAME_TYPE(schedule_work_on, bool (*)(int, work_t *));
SAME_TYPE(flush_work, bool (*)(work_t *));
SAME_TYPE(flush_workqueue, void (*)(wq_t *));
SAME_TYPE(drain_workqueue, void (*)(wq_t *));
SAME_TYPE(destroy_workqueue, void (*)(wq_t *));
SAME_TYPE(workqueue_set_max_active, void (*)(wq_t *, int));
SAME_TYPE(cancel_work, bool (*)(work_t *));
SAME_TYPE(cancel_work_sync, bool (*)(work_t *));
SAME_TYPE(disable_work, bool (*)(work_t *));
SAME_TYPE(disable_work_sync, bool (*)(work_t *));
SAME_TYPE(enable_work, bool (*)(work_t *));
SAME_TYPE(work_busy, unsigned int (*)(work_t *));
SAME_TYPE(current_work, work_t *(*)(void));
SAME_TYPE(workqueue_congested, bool (*)(int, wq_t *));
SAME_TYPE(set_worker_desc, void (*)(const char *, ...));
SAME_TYPE(alloc_workqueue_attrs, struct workqueue_attrs *(*)(void));
SAME_TYPE(free_workqueue_attrs, void (*)(struct workqueue_attrs *));
SAME_TYPE(apply_workqueue_attrs,
	  int (*)(wq_t *, const struct workqueue_attrs *));
SAME_TYPE(freeze_workqueues_begin, void (*)(void));
SAME_TYPE(freeze_workqueues_busy, bool (*)(void));
SAME_TYPE(thaw_workqueues, void (*)(void));
SAME_TYPE(destroy_work_on_stack, void (*)(work_t *));

SAME_TYPE(to_delayed_work, dwork_t *(*)(work_t *));
SAME_TYPE(queue_delayed_work, bool (*)(wq_t *, dwork_t *, unsigned long));
SAME_TYPE(queue_delayed_work_on,
	  bool (*)(int, wq_t *, dwork_t *, unsigned long));
SAME_TYPE(schedule_delayed_work, bool (*)(dwork_t *, unsigned long));
SAME_TYPE(schedule_delayed_work_on, bool (*)(int, dwork_t *, unsigned long));
SAME_TYPE(mod_delayed_work, bool (*)(wq_t *, dwork_t *, unsigned long));
SAME_TYPE(mod_delayed_work_on, bool (*)(int, wq_t *, dwork_t *, unsigned long));
SAME_TYPE(flush_delayed_work, bool (*)(dwork_t *));
SAME_TYPE(cancel_delayed_work, bool (*)(dwork_t *));
SAME_TYPE(cancel_delayed_work_sync, bool (*)(dwork_t *));
SAME_TYPE(disable_delayed_work, bool (*)(dwork_t *));
SAME_TYPE(disable_delayed_work_sync, bool (*)(dwork_t *));
SAME_TYPE(enable_delayed_work, bool (*)(dwork_t *));
SAME_TYPE(destroy_delayed_work_on_stack, void (*)(dwork_t *));

SAME_TYPE(msecs_to_jiffies, unsigned long (*)(const unsigned int));
SAME_TYPE(usecs_to_jiffies, unsigned long (*)(const unsigned int));
SAME_TYPE(jiffies_to_msecs, unsigned int (*)(const unsigned long));
SAME_TYPE(jiffies_to_usecs, unsigned int (*)(const unsigned long));

SAME_TYPE(init_completion, void (*)(struct completion *));
SAME_TYPE(reinit_completion, void (*)(struct completion *));
SAME_TYPE(complete, void (*)(struct completion *));
SAME_TYPE(complete_all, void (*)(struct completion *));
SAME_TYPE(wait_for_completion, void (*)(struct completion *));
SAME_TYPE(wait_for_completion_timeout,
	  unsigned long (*)(struct completion *, unsigned long));
SAME_TYPE(wait_for_completion_interruptible, int (*)(struct completion *));
SAME_TYPE(wait_for_completion_interruptible_timeout,
	  long (*)(struct completion *, unsigned long));
SAME_TYPE(wait_for_completion_killable, int (*)(struct completion *));
SAME_TYPE(wait_for_completion_killable_timeout,
	  long (*)(struct completion *, unsigned long));
SAME_TYPE(wait_for_completion_io, void (*)(struct completion *));
SAME_TYPE(wait_for_completion_io_timeout,
	  unsigned long (*)(struct completion *, unsigned long));
SAME_TYPE(try_wait_for_completion, bool (*)(struct completion *));
SAME_TYPE(completion_done, bool (*)(struct completion *));

_Static_assert(WORKER_DESC_LEN == 32, "the kernel's WORKER_DESC_LEN");

/* A driver's ops table whose members carry the kernel's names. */
struct flusher_ops {
	bool (*flush_work)(work_t *work);
	bool (*queue_work)(wq_t *wq, work_t *work);
	void (*complete)(struct completion *x);
};

static atomic_int runs;
static struct completion ran;

static void work_fn(work_t *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
	complete(&ran);
}

struct sensor {
	int value;
	struct work_struct poll;
};

static atomic_int polled;

static void sensor_poll(work_t *work)
{
	struct sensor *s = from_work(s, work, poll);

	atomic_store(&polled, s->value);
}

/* from_work() finds the struct around the item, as in the kernel. */
static void test_from_work(void)
{
	struct sensor s = { .value = 42 };

	INIT_WORK(&s.poll, sensor_poll);
	CHECK(queue_work(system_wq, &s.poll));
	flush_work(&s.poll);
	CHECK_EQ(atomic_load(&polled), 42);
}

static void test_pointers_and_members(void)
{
	struct flusher_ops ops = { .flush_work = flush_work,
				   .queue_work = queue_work,
				   .complete = complete };
	struct flusher_ops *p = &ops;
	bool (*queue)(wq_t *, work_t *) = queue_work;
	DECLARE_WORK(work, work_fn);
	struct completion x;

	init_completion(&ran);
	CHECK(queue(system_wq, &work));
	wait_for_completion(&ran);
	flush_work(&work);
	init_completion(&ran);
	CHECK(p->queue_work(system_unbound_wq, &work));
	wait_for_completion(&ran);
	p->flush_work(&work);
	CHECK_EQ(atomic_load(&runs), 2);

	init_completion(&x);
	p->complete(&x);
	CHECK(try_wait_for_completion(&x));
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(30));
	RUN_TEST(test_pointers_and_members);
	RUN_TEST(test_from_work);
	return 0;
}
