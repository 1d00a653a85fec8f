/* SPDX-License-Identifier: MIT */
/*
 * Property 3: no lost wake-up.  After queue_work returns, the item will run
 * and will see every store made before the call.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <pthread.h>
#include <stdatomic.h>

#include "harness.h"

#define PAYLOAD 16

/* Plain (non-atomic) data: only the queue/run ordering publishes it. */
struct msg {
	struct work_struct work;
	long payload[PAYLOAD];
	long seen[PAYLOAD];
	struct completion done;
};

static void msg_fn(struct work_struct *w)
{
	struct msg *m = container_of(w, struct msg, work);
	int i;

	for (i = 0; i < PAYLOAD; i++)
		m->seen[i] = m->payload[i];
	complete(&m->done);
}

static bool wait_done(struct completion *c)
{
	return cmwq_wait_for_completion_timeout_ns(c, HARNESS_SLOW(10) *
							      1000000000ull);
}

static void store_before_queue(struct workqueue_struct *wq, int cpu, int n)
{
	struct msg m;
	int it, i;

	INIT_WORK(&m.work, msg_fn);
	init_completion(&m.done);
	for (it = 0; it < n; it++) {
		for (i = 0; i < PAYLOAD; i++)
			m.payload[i] = (long)it * PAYLOAD + i;
		CHECK(queue_work_on(cpu, wq, &m.work));
		CHECK(wait_done(&m.done));
		for (i = 0; i < PAYLOAD; i++)
			CHECK_EQ(m.seen[i], (long)it * PAYLOAD + i);
		/* Now and then let the pool go idle between items. */
		if (it % 64 == 63)
			harness_sleep_ms(1);
		else if (it % 8 == 7)
			usleep((unsigned int)(it % 50));
	}
	/* @m lives on this stack: let the last run return first. */
	flush_work(&m.work);
}

static void test_store_before_queue(void)
{
	struct workqueue_struct *u = alloc_workqueue("p3u", WQ_UNBOUND, 0);
	struct workqueue_struct *b = alloc_workqueue("p3b", WQ_PERCPU, 0);
	struct workqueue_struct *o = alloc_ordered_workqueue("p3o", 0);
	int n = HARNESS_SCALE(4000), cpu;

	CHECK(u && b && o);
	store_before_queue(u, WORK_CPU_UNBOUND, n);
	store_before_queue(b, WORK_CPU_UNBOUND, n);
	store_before_queue(o, WORK_CPU_UNBOUND, n);
	store_before_queue(system_highpri_wq, WORK_CPU_UNBOUND, n / 4);
	for (cpu = 0; cpu < cmwq_nr_cpus(); cpu++)
		if (cmwq_cpu_possible(cpu))
			store_before_queue(b, cpu, n / 4);
	CHECK_EQ(cmwq_destroy_workqueue(u), 0);
	CHECK_EQ(cmwq_destroy_workqueue(b), 0);
	CHECK_EQ(cmwq_destroy_workqueue(o), 0);
}

/*
 * A queue and wait loop where the pool is idle each time the item is
 * queued: the worker's "no more work, go to sleep" path races with the
 * next queue_work.  A lost wake-up hangs (the watchdog fails the test).
 */
static atomic_long pp_count;
static struct completion pp_done;

static void pp_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&pp_count, 1);
	complete(&pp_done);
}

static void test_idle_loop(void)
{
	struct work_struct w;
	int i, n = HARNESS_SCALE(20000);

	INIT_WORK(&w, pp_fn);
	init_completion(&pp_done);
	atomic_store(&pp_count, 0);
	for (i = 0; i < n; i++) {
		struct workqueue_struct *wq = i % 3 == 0 ? system_wq :
					      i % 3 == 1 ? system_unbound_wq :
							   system_highpri_wq;

		CHECK(queue_work(wq, &w));
		CHECK(wait_done(&pp_done));
		/* flush_work may see it still finishing: wait for idle. */
		flush_work(&w);
	}
	CHECK_EQ(atomic_load(&pp_count), n);
}

/*
 * Two items queue each other (workers as producers) while a plain thread
 * also queues: chains of wake-ups between workers and pools.
 */
static struct work_struct ping, pong;
static atomic_long ping_left;
static struct completion chain_done;

static void ping_fn(struct work_struct *w)
{
	(void)w;
	if (atomic_fetch_sub(&ping_left, 1) > 1)
		CHECK(queue_work(system_unbound_wq, &pong));
	else
		complete(&chain_done);
}

static void pong_fn(struct work_struct *w)
{
	(void)w;
	CHECK(queue_work(system_wq, &ping));
}

static void test_ping_pong(void)
{
	int round, rounds = HARNESS_SCALE(200);

	INIT_WORK(&ping, ping_fn);
	INIT_WORK(&pong, pong_fn);
	init_completion(&chain_done);
	for (round = 0; round < rounds; round++) {
		atomic_store(&ping_left, 50);
		CHECK(queue_work(system_wq, &ping));
		CHECK(wait_done(&chain_done));
		flush_work(&ping);
		flush_work(&pong);
	}
}

/*
 * Queue again at once, as the last run returns, but on another pool (other
 * CPU, other workqueue, bound <-> unbound): the new instance must run.
 */
static struct completion handoff_ran;

static void handoff_fn(struct work_struct *w)
{
	(void)w;
	complete(&handoff_ran);
}

static void handoff(int mode)
{
	struct delayed_work dw;
	int i, n = HARNESS_SCALE(5000), c0 = harness_cpu(0),
	       c1 = harness_cpu(1);

	if (c1 < 0)
		c1 = c0;
	init_completion(&handoff_ran);
	INIT_DELAYED_WORK(&dw, handoff_fn);
	for (i = 0; i < n; i++) {
		switch (mode) {
		case 0: /* one bound workqueue, alternating CPUs */
			CHECK(queue_work_on(i % 2 ? c1 : c0, system_wq,
					    &dw.work));
			break;
		case 1: /* normal and high-priority pools of one CPU */
			CHECK(queue_work_on(
				c0, i % 2 ? system_highpri_wq : system_wq,
				&dw.work));
			break;
		case 2: /* bound and unbound */
			CHECK(queue_work(i % 2 ? system_unbound_wq : system_wq,
					 &dw.work));
			break;
		default: /* delayed, re-targeted by mod_delayed_work */
			mod_delayed_work(i % 2 ? system_unbound_wq : system_wq,
					 &dw, 0);
			break;
		}
		if (!wait_done(&handoff_ran)) {
			fprintf(stderr,
				"test: mode %d iteration %d: lost, pending %d "
				"busy %u\n",
				mode, i, work_pending(&dw.work),
				work_busy(&dw.work));
			CHECK(0);
		}
	}
	flush_work(&dw.work);
}

static void test_handoff_other_cpu(void)
{
	handoff(0);
}

static void test_handoff_other_pool(void)
{
	handoff(1);
}

static void test_handoff_unbound(void)
{
	handoff(2);
}

static void test_handoff_mod_delayed(void)
{
	handoff(3);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	RUN_TEST(test_store_before_queue);
	RUN_TEST(test_idle_loop);
	RUN_TEST(test_ping_pong);
	RUN_TEST(test_handoff_other_cpu);
	RUN_TEST(test_handoff_other_pool);
	RUN_TEST(test_handoff_unbound);
	RUN_TEST(test_handoff_mod_delayed);
	return 0;
}
