// SPDX-License-Identifier: MIT
/*
 * freezer.c - freeze_workqueues_begin/busy and thaw_workqueues: new items
 * on freezable queues wait, running ones finish, thaw releases them in
 * order; other queues are not affected; show_freezable_workqueues()
 * prints the busy freezable queues and only those
 */
#include <cmwq.h>
#include "harness.h"

#include <stdatomic.h>

#define NR 32

static atomic_int order[NR], nr_done, other_done, running_done;
static struct completion gate, started;

struct item {
	struct work_struct work;
	int seq;
};

static void ordered_fn(struct work_struct *w)
{
	struct item *it = container_of(w, struct item, work);

	atomic_store(&order[atomic_fetch_add(&nr_done, 1)], it->seq);
}

static void slow_fn(struct work_struct *w)
{
	(void)w;
	complete(&started);
	wait_for_completion(&gate);
	atomic_store(&running_done, 1);
}

static void other_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&other_done, 1);
}

/* Does show_freezable_workqueues() print @needle? */
static bool freezable_shows(const char *needle)
{
	struct harness_capture c;

	harness_capture_begin(&c);
	show_freezable_workqueues();
	return harness_capture_end(&c, needle);
}

static void test_freeze_thaw_order(void)
{
	struct workqueue_struct *fq =
		alloc_ordered_workqueue("frozen", WQ_FREEZABLE);
	struct workqueue_struct *plain = alloc_workqueue("plain", 0, 0);
	struct workqueue_struct *idle =
		alloc_workqueue("idle_freezable", WQ_FREEZABLE, 0);
	static struct item items[NR];
	struct work_struct slow, other;
	int i;

	CHECK(fq && plain && idle);
	init_completion(&gate);
	init_completion(&started);
	INIT_WORK(&slow, slow_fn);
	CHECK(queue_work(system_freezable_wq, &slow));
	wait_for_completion(&started);

	freeze_workqueues_begin();
	/* The running item holds the freezer busy until it returns. */
	CHECK(freeze_workqueues_busy());
	for (i = 0; i < NR; i++) {
		items[i].seq = i;
		INIT_WORK(&items[i].work, ordered_fn);
		CHECK(queue_work(fq, &items[i].work));
	}
	/* A queue that is not freezable runs as usual. */
	INIT_WORK(&other, other_fn);
	CHECK(queue_work(plain, &other));
	CHECK(WAIT_UNTIL(atomic_load(&other_done) == 1, 10000));

	/*
	 * The busy freezable queues: the one running slow_fn, the one whose
	 * items wait; not the idle freezable one, not the plain one.
	 */
	CHECK(freezable_shows("Showing freezable workqueues that are still "
			      "busy:"));
	CHECK(freezable_shows("events_freezable"));
	CHECK(freezable_shows("frozen"));
	CHECK(!freezable_shows("idle_freezable"));
	CHECK(!freezable_shows("plain"));

	complete(&gate);
	CHECK(WAIT_UNTIL(!freeze_workqueues_busy(), 10000));
	CHECK_EQ(atomic_load(&running_done), 1);
	harness_sleep_ms(50);
	CHECK_EQ(atomic_load(&nr_done), 0);

	thaw_workqueues();
	flush_workqueue(fq);
	CHECK_EQ(atomic_load(&nr_done), NR);
	for (i = 0; i < NR; i++)
		CHECK_EQ(atomic_load(&order[i]), i);
	CHECK_EQ(cmwq_destroy_workqueue(fq), 0);
	CHECK_EQ(cmwq_destroy_workqueue(plain), 0);
	CHECK_EQ(cmwq_destroy_workqueue(idle), 0);
	/* Nothing busy: only the heading. */
	CHECK(!freezable_shows("events_freezable"));
}

int main(void)
{
	harness_watchdog(120);
	RUN_TEST(test_freeze_thaw_order);
	return 0;
}
