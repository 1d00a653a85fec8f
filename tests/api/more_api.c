// SPDX-License-Identifier: MIT
/*
 * more_api.c - work_on_cpu(), schedule_on_each_cpu(), queue_work_node(),
 * enable_and_queue_work(), __flush_workqueue(),
 * execute_in_process_context() and the power-efficient and long system
 * workqueues, with the kernel's results.
 */
#include <cmwq.h>

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "api.h"
#include "harness.h"

SAME_TYPE(queue_work_node,
	  bool (*)(int, struct workqueue_struct *, struct work_struct *));
SAME_TYPE(enable_and_queue_work,
	  bool (*)(struct workqueue_struct *, struct work_struct *));
SAME_TYPE(__flush_workqueue, void (*)(struct workqueue_struct *));
SAME_TYPE(work_on_cpu_key,
	  long (*)(int, long (*)(void *), void *, struct lock_class_key *));
SAME_TYPE(schedule_on_each_cpu, int (*)(work_func_t));
SAME_TYPE(execute_in_process_context,
	  int (*)(work_func_t, struct execute_work *));

_Static_assert(WQ_MAX_ACTIVE == 2048, "the kernel's WQ_MAX_ACTIVE");
_Static_assert(WQ_UNBOUND_MAX_ACTIVE == 2048, "the kernel's");
_Static_assert(WQ_DFL_ACTIVE == 1024, "the kernel's WQ_DFL_ACTIVE");
_Static_assert(WQ_DFL_MIN_ACTIVE == 8, "the kernel's WQ_DFL_MIN_ACTIVE");
SAME_TYPE(workqueue_set_min_active, void (*)(struct workqueue_struct *, int));

static int min_active_of(struct workqueue_struct *wq, int *max_active)
{
	struct cmwq_wq_stats st;

	CHECK_EQ(cmwq_get_wq_stats(wq, &st), 0);
	*max_active = st.max_active;
	return st.min_active;
}

/* The kernel's limits, and min_active kept and clamped as there. */
static void test_limits_min_active(void)
{
	struct workqueue_struct *dfl, *four, *big, *bound, *ordered;
	int max;

	dfl = alloc_workqueue("lim_dfl", WQ_UNBOUND, 0);
	four = alloc_workqueue("lim_four", WQ_UNBOUND, 4);
	big = alloc_workqueue("lim_big", WQ_UNBOUND, 2048);
	bound = alloc_workqueue("lim_bound", WQ_PERCPU, 1024);
	ordered = alloc_ordered_workqueue("lim_ordered", 0);
	CHECK(dfl && four && big && bound && ordered);

	CHECK_EQ(min_active_of(dfl, &max), WQ_DFL_MIN_ACTIVE);
	CHECK_EQ(max, 1024);
	CHECK_EQ(min_active_of(four, &max), 4);
	CHECK_EQ(max, 4);
	min_active_of(big, &max);
	CHECK_EQ(max, 2048);
	min_active_of(bound, &max);
	CHECK_EQ(max, 1024);

	workqueue_set_min_active(dfl, 100);
	CHECK_EQ(min_active_of(dfl, &max), 100);
	workqueue_set_min_active(dfl, 5000);
	CHECK_EQ(min_active_of(dfl, &max), 1024);
	workqueue_set_min_active(dfl, -3);
	CHECK_EQ(min_active_of(dfl, &max), 0);
	workqueue_set_min_active(four, 3);
	workqueue_set_max_active(four, 2);
	CHECK_EQ(min_active_of(four, &max), 2);
	CHECK_EQ(max, 2);

	/* Not unbound, or ordered: a diagnostic, no change. */
	workqueue_set_min_active(bound, 3);
	workqueue_set_min_active(ordered, 3);
	CHECK_EQ(min_active_of(ordered, &max), 1);

	destroy_workqueue(dfl);
	destroy_workqueue(four);
	destroy_workqueue(big);
	destroy_workqueue(bound);
	destroy_workqueue(ordered);
}

static long where_am_i(void *arg)
{
	int *calls = arg;

	(*calls)++;
	CHECK(cmwq_current_is_worker());
	return sched_getcpu();
}

static void test_work_on_cpu(void)
{
	int cpu, calls = 0, tried = 0;

	for (cpu = 0; cpu < 1024; cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		CHECK_EQ(work_on_cpu(cpu, where_am_i, &calls), cpu);
		CHECK_EQ(work_on_cpu_safe(cpu, where_am_i, &calls), cpu);
		CHECK_EQ(work_on_cpu_key(cpu, where_am_i, &calls, NULL), cpu);
		tried++;
	}
	CHECK(tried >= 1);
	CHECK_EQ(calls, 3 * tried);
	/* A CPU the process may not run on: -EINVAL, nothing run. */
	CHECK_EQ(work_on_cpu(-2, where_am_i, &calls), -EINVAL);
	CHECK_EQ(work_on_cpu(100000, where_am_i, &calls), -EINVAL);
	CHECK_EQ(cmwq_work_on_cpu(harness_cpu(0), NULL, NULL), -EINVAL);
	CHECK_EQ(calls, 3 * tried);
}

static atomic_int ran_on[1024];

static void count_cpu(struct work_struct *work)
{
	int cpu = sched_getcpu();

	(void)work;
	CHECK(cpu >= 0 && cpu < 1024);
	atomic_fetch_add(&ran_on[cpu], 1);
}

static void test_schedule_on_each_cpu(void)
{
	int cpu, total = 0;

	CHECK_EQ(schedule_on_each_cpu(count_cpu), 0);
	for (cpu = 0; cpu < 1024; cpu++) {
		if (cmwq_cpu_possible(cpu))
			CHECK_EQ(atomic_load(&ran_on[cpu]), 1);
		else
			CHECK_EQ(atomic_load(&ran_on[cpu]), 0);
		total += atomic_load(&ran_on[cpu]);
	}
	CHECK_EQ(total, num_possible_cpus());
	CHECK_EQ(schedule_on_each_cpu(NULL), -EINVAL);
}

static atomic_int runs;

static void count_run(struct work_struct *work)
{
	(void)work;
	atomic_fetch_add(&runs, 1);
}

static void test_node_enable_flush(void)
{
	DECLARE_WORK(work, count_run);

	atomic_store(&runs, 0);
	CHECK(queue_work_node(NUMA_NO_NODE, system_unbound_wq, &work));
	flush_work(&work);
	CHECK(queue_work_node(0, system_unbound_wq, &work));
	__flush_workqueue(system_unbound_wq);
	CHECK_EQ(atomic_load(&runs), 2);

	/* Disabled twice: the first enable leaves it disabled, no queueing. */
	CHECK(!disable_work(&work));
	CHECK(!disable_work(&work));
	CHECK(!enable_and_queue_work(system_wq, &work));
	CHECK(enable_and_queue_work(system_wq, &work));
	flush_work(&work);
	CHECK_EQ(atomic_load(&runs), 3);
}

static void test_execute_in_process_context(void)
{
	struct execute_work ew;

	atomic_store(&runs, 0);
	CHECK_EQ(execute_in_process_context(count_run, &ew), 0);
	/* Run at once, before the call returned. */
	CHECK_EQ(atomic_load(&runs), 1);
}

static void test_more_system_wqs(void)
{
	struct workqueue_struct *wqs[] = {
		system_power_efficient_wq,
		system_freezable_power_efficient_wq,
		system_dfl_long_wq,
	};
	unsigned int i;

	atomic_store(&runs, 0);
	for (i = 0; i < sizeof(wqs) / sizeof(wqs[0]); i++) {
		DECLARE_WORK(work, count_run);

		CHECK(wqs[i]);
		CHECK(queue_work(wqs[i], &work));
		flush_work(&work);
	}
	CHECK_EQ(atomic_load(&runs), 3);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	RUN_TEST(test_limits_min_active);
	RUN_TEST(test_work_on_cpu);
	RUN_TEST(test_schedule_on_each_cpu);
	RUN_TEST(test_node_enable_flush);
	RUN_TEST(test_execute_in_process_context);
	RUN_TEST(test_more_system_wqs);
	return 0;
}
