// SPDX-License-Identifier: MIT
/*
 * timer_list.c - the kernel's timer API (issue 15 item 6): struct
 * timer_list, timer_setup, mod_timer, add_timer[_on], timer_delete[_sync],
 * timer_shutdown[_sync], timer_pending, timer_container_of, round_jiffies,
 * and struct delayed_work's timer read as the kernel's.
 *
 * Each check asserts what the kernel's timers promise: a timer fires once,
 * never before its jiffy, in deadline order, in a context that is not the
 * arming thread; deleted it does not fire; timer_delete_sync() returns
 * only once the callback is done; misuse gets a diagnostic, not a hang.
 */
#define _GNU_SOURCE
#include <cmwq.h>

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "harness.h"

struct probe {
	struct timer_list timer;
	atomic_int fired;
	atomic_int running;
	unsigned long fired_at; /* jiffies in the callback */
	unsigned long expires_seen;
	int pending_in_callback;
	int cpu;
	pid_t tid;
	unsigned int spin_ms;
	int rearm; /* times the callback re-arms itself */
	atomic_int order_slot;
};

static atomic_int order_next;

static void probe_fn(struct timer_list *t)
{
	struct probe *p = timer_container_of(p, t, timer);

	atomic_fetch_add(&p->running, 1);
	p->fired_at = jiffies;
	p->expires_seen = __atomic_load_n(&t->expires, __ATOMIC_RELAXED);
	p->pending_in_callback = timer_pending(t);
	p->cpu = sched_getcpu();
	p->tid = (pid_t)syscall(SYS_gettid);
	atomic_store(&p->order_slot, atomic_fetch_add(&order_next, 1));
	if (p->spin_ms) {
		unsigned long long end =
			harness_now_ns() + p->spin_ms * 1000000ull;

		while (harness_now_ns() < end)
			;
	}
	if (p->rearm > 0) {
		p->rearm--;
		mod_timer(t, jiffies + 1);
	}
	atomic_fetch_sub(&p->running, 1);
	atomic_fetch_add(&p->fired, 1);
}

static void probe_init(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	timer_setup(&p->timer, probe_fn, 0);
}

/* Fires once, not before its jiffy, not pending inside, not on the caller. */
static void test_fires_once_at_its_jiffy(void)
{
	struct probe p;
	unsigned long when;

	probe_init(&p);
	CHECK(!timer_pending(&p.timer));
	when = jiffies + 30;
	CHECK_EQ(mod_timer(&p.timer, when), 0);
	CHECK(timer_pending(&p.timer));
	CHECK_EQ(p.timer.expires, when);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) == 1, 5000));
	CHECK(time_after_eq(p.fired_at, when));
	CHECK_EQ(p.expires_seen, when);
	CHECK_EQ(p.pending_in_callback, 0);
	CHECK(p.tid != (pid_t)syscall(SYS_gettid));
	CHECK(!timer_pending(&p.timer));
	harness_sleep_ms(60);
	CHECK_EQ(atomic_load(&p.fired), 1);
}

/* mod_timer() returns 1 for an armed timer and moves it; 0 for an idle. */
static void test_mod_timer_moves_an_armed_timer(void)
{
	struct probe p;
	unsigned long later;

	probe_init(&p);
	CHECK_EQ(mod_timer(&p.timer, jiffies + 10 * HZ), 0);
	later = jiffies + 20;
	CHECK_EQ(mod_timer(&p.timer, later), 1);
	CHECK_EQ(p.timer.expires, later);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) == 1, 5000));
	CHECK(time_after_eq(p.fired_at, later));
	/* mod_timer_pending() leaves an idle timer idle. */
	CHECK_EQ(mod_timer_pending(&p.timer, jiffies + 1), 0);
	CHECK(!timer_pending(&p.timer));
	/* timer_reduce() moves earlier, never later. */
	CHECK_EQ(timer_reduce(&p.timer, jiffies + 10 * HZ), 0);
	CHECK_EQ(timer_reduce(&p.timer, jiffies + 20 * HZ), 1);
	CHECK(time_before(p.timer.expires, jiffies + 11 * HZ));
	CHECK_EQ(timer_reduce(&p.timer, jiffies + 10), 1);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) == 2, 5000));
	CHECK_EQ(mod_timer_pending(&p.timer, jiffies + 1), 0);
}

/* A deleted timer never fires; timer_delete() says whether it was armed. */
static void test_delete_disarms(void)
{
	struct probe p;

	probe_init(&p);
	p.timer.expires = jiffies + 40;
	add_timer(&p.timer);
	CHECK(timer_pending(&p.timer));
	CHECK_EQ(timer_delete(&p.timer), 1);
	CHECK(!timer_pending(&p.timer));
	CHECK_EQ(timer_delete(&p.timer), 0);
	CHECK_EQ(timer_delete_sync(&p.timer), 0);
	harness_sleep_ms(100);
	CHECK_EQ(atomic_load(&p.fired), 0);
	/* The older names. */
	CHECK_EQ(mod_timer(&p.timer, jiffies + 10 * HZ), 0);
	CHECK_EQ(del_timer(&p.timer), 1);
	CHECK_EQ(mod_timer(&p.timer, jiffies + 10 * HZ), 0);
	CHECK_EQ(del_timer_sync(&p.timer), 1);
	CHECK_EQ(atomic_load(&p.fired), 0);
}

/* timer_delete_sync() waits for a running callback to return. */
static void test_delete_sync_waits_for_the_callback(void)
{
	struct probe p;

	probe_init(&p);
	p.spin_ms = 80;
	mod_timer(&p.timer, jiffies);
	CHECK(WAIT_UNTIL(atomic_load(&p.running) == 1, 5000));
	CHECK_EQ(timer_delete_sync_try(&p.timer), -1);
	CHECK_EQ(try_to_del_timer_sync(&p.timer), -1);
	CHECK_EQ(timer_delete_sync(&p.timer), 0);
	CHECK_EQ(atomic_load(&p.running), 0);
	CHECK_EQ(atomic_load(&p.fired), 1);
	CHECK_EQ(timer_delete_sync_try(&p.timer), 0);
}

/*
 * A callback that re-arms itself: timer_shutdown_sync() stops it for
 * good, and later arming is ignored until timer_setup() again.
 */
static void test_shutdown_stops_a_self_rearming_timer(void)
{
	struct probe p;
	int n;

	probe_init(&p);
	p.rearm = 1000000;
	mod_timer(&p.timer, jiffies + 1);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) >= 5, 5000));
	timer_shutdown_sync(&p.timer);
	n = atomic_load(&p.fired);
	CHECK(!timer_pending(&p.timer));
	CHECK(p.timer.function == NULL);
	CHECK_EQ(mod_timer(&p.timer, jiffies + 1), 0);
	CHECK(!timer_pending(&p.timer));
	harness_sleep_ms(50);
	CHECK_EQ(atomic_load(&p.fired), n);
	/* timer_setup() makes it usable again. */
	p.rearm = 0;
	timer_setup(&p.timer, probe_fn, 0);
	mod_timer(&p.timer, jiffies + 1);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) == n + 1, 5000));
	/* timer_delete_sync() also stops a self-re-arming timer. */
	p.rearm = 1000000;
	mod_timer(&p.timer, jiffies + 1);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) >= n + 5, 5000));
	timer_delete_sync(&p.timer);
	n = atomic_load(&p.fired);
	CHECK(!timer_pending(&p.timer));
	harness_sleep_ms(30);
	CHECK_EQ(atomic_load(&p.fired), n);
}

/* Timers fire in deadline order, whatever order they were armed in. */
#define NR_ORDER 64
static void test_fire_in_deadline_order(void)
{
	static struct probe p[NR_ORDER];
	unsigned long base = jiffies + 50;
	int i, slot_of[NR_ORDER];

	atomic_store(&order_next, 0);
	for (i = 0; i < NR_ORDER; i++)
		probe_init(&p[i]);
	for (i = 0; i < NR_ORDER; i++) {
		int k = (i * 37) % NR_ORDER;

		/* Distinct jiffies, armed in a scrambled order. */
		p[k].timer.expires = base + (unsigned long)k * 2;
		add_timer(&p[k].timer);
	}
	CHECK(WAIT_UNTIL(atomic_load(&order_next) == NR_ORDER, 10000));
	for (i = 0; i < NR_ORDER; i++)
		slot_of[i] = atomic_load(&p[i].order_slot);
	for (i = 0; i < NR_ORDER; i++)
		CHECK_EQ(slot_of[i], i);
}

/* add_timer_on(): the callback runs on that CPU, each CPU in turn. */
static void test_add_timer_on_runs_there(void)
{
	struct probe p;
	int cpu, tested = 0;

	for (cpu = 0; cpu < cmwq_nr_cpus(); cpu++) {
		if (!cmwq_cpu_possible(cpu))
			continue;
		probe_init(&p);
		p.timer.expires = jiffies + 2;
		add_timer_on(&p.timer, cpu);
		CHECK(WAIT_UNTIL(atomic_load(&p.fired) == 1, 5000));
		CHECK_EQ(p.cpu, cpu);
		/* mod_timer() keeps the CPU of a timer added on one. */
		mod_timer(&p.timer, jiffies + 1);
		CHECK(WAIT_UNTIL(atomic_load(&p.fired) == 2, 5000));
		CHECK_EQ(p.cpu, cpu);
		tested++;
	}
	CHECK(tested > 0);
	/* A CPU the process may not use: diagnosed, not armed. */
	{
		struct harness_capture cap;

		probe_init(&p);
		p.timer.expires = jiffies + 1;
		harness_capture_begin(&cap);
		add_timer_on(&p.timer, 100000);
		CHECK(harness_capture_end(&cap, "add_timer_on"));
		CHECK(!timer_pending(&p.timer));
	}
}

/* Misuse: named, defined, no hang. */
static void self_delete_fn(struct timer_list *t)
{
	struct probe *p = timer_container_of(p, t, timer);

	mod_timer(t, jiffies + 10 * HZ);
	/* Would wait for itself forever: a diagnostic, and a disarm. */
	p->pending_in_callback = timer_delete_sync(t);
	atomic_fetch_add(&p->fired, 1);
}

static void work_fn(struct work_struct *w)
{
	(void)w;
}

static void test_misuse_is_named(void)
{
	struct harness_capture cap;
	struct delayed_work dw;
	struct probe p;
	struct timer_list bare;

	probe_init(&p);
	p.timer.function = self_delete_fn;
	harness_capture_begin(&cap);
	mod_timer(&p.timer, jiffies);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) == 1, 5000));
	CHECK(harness_capture_end(&cap, "cannot wait for itself"));
	CHECK_EQ(p.pending_in_callback, 1);
	CHECK(!timer_pending(&p.timer));

	/* add_timer() of an armed timer leaves it where it was. */
	probe_init(&p);
	mod_timer(&p.timer, jiffies + 10 * HZ);
	harness_capture_begin(&cap);
	add_timer(&p.timer);
	CHECK(harness_capture_end(&cap, "armed already"));
	CHECK(timer_pending(&p.timer));
	harness_sleep_ms(30);
	CHECK_EQ(atomic_load(&p.fired), 0);
	CHECK_EQ(timer_delete_sync(&p.timer), 1);

	/* timer_setup() of an armed timer does not corrupt the service. */
	mod_timer(&p.timer, jiffies + 10 * HZ);
	harness_capture_begin(&cap);
	timer_setup(&p.timer, probe_fn, 0);
	CHECK(harness_capture_end(&cap, "is armed"));
	CHECK(timer_pending(&p.timer));
	CHECK_EQ(timer_delete(&p.timer), 1);

	/* Unknown flags are dropped with a word. */
	harness_capture_begin(&cap);
	timer_setup(&p.timer, probe_fn, 0x40000000u | TIMER_DEFERRABLE);
	CHECK(harness_capture_end(&cap, "unknown flags"));
	CHECK(p.timer.flags & TIMER_DEFERRABLE);

	/* A timer never set up has no callback: not armed. */
	memset(&bare, 0, sizeof(bare));
	harness_capture_begin(&cap);
	CHECK_EQ(mod_timer(&bare, jiffies + 1), 0);
	CHECK(harness_capture_end(&cap, "no callback"));
	CHECK(!timer_pending(&bare));

	/* NULL. */
	harness_capture_begin(&cap);
	CHECK_EQ(mod_timer(NULL, 1), 0);
	CHECK_EQ(timer_delete_sync(NULL), 0);
	CHECK(harness_capture_end(&cap, "NULL timer"));

	/* A delayed item's timer belongs to the delayed-work calls. */
	INIT_DELAYED_WORK(&dw, work_fn);
	harness_capture_begin(&cap);
	CHECK_EQ(mod_timer(&dw.timer, jiffies + 1), 0);
	CHECK(harness_capture_end(&cap, "delayed work item"));
	CHECK(!timer_pending(&dw.timer));
}

/* struct delayed_work's timer reads as the kernel's. */
static atomic_int dwork_ran;
static void dwork_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&dwork_ran, 1);
}

static void test_delayed_work_timer_is_a_timer_list(void)
{
	DECLARE_DELAYED_WORK(sdw, dwork_fn);
	struct delayed_work dw;
	unsigned long before;

	CHECK(sdw.timer.function == delayed_work_timer_fn);
	INIT_DELAYED_WORK(&dw, dwork_fn);
	CHECK(dw.timer.function == delayed_work_timer_fn);
	CHECK(!timer_pending(&dw.timer));
	before = jiffies;
	CHECK(queue_delayed_work(system_wq, &dw, 10 * HZ));
	CHECK(timer_pending(&dw.timer));
	CHECK(time_after_eq(dw.timer.expires, before + 10 * HZ));
	CHECK(time_before_eq(dw.timer.expires, jiffies + 10 * HZ + 1));
	/* delayed_work_timer_fn() queues an armed item now. */
	delayed_work_timer_fn(&dw.timer);
	CHECK(!timer_pending(&dw.timer));
	flush_delayed_work(&dw);
	CHECK_EQ(atomic_load(&dwork_ran), 1);
	/* Its CPU is kept in the timer, as the kernel keeps a timer's. */
	CHECK(queue_delayed_work_on(harness_cpu(0), system_wq, &dw, 1));
	CHECK_EQ(__atomic_load_n(&dw.timer.flags, __ATOMIC_RELAXED) &
			 TIMER_CPUMASK,
		 (unsigned int)harness_cpu(0));
	CHECK(WAIT_UNTIL(atomic_load(&dwork_ran) == 2, 5000));
	CHECK(queue_delayed_work(system_wq, &sdw, 1));
	CHECK(WAIT_UNTIL(atomic_load(&dwork_ran) == 3, 5000));
	cancel_delayed_work_sync(&dw);
}

static void test_round_jiffies(void)
{
	unsigned long now = jiffies, r, rel;
	unsigned long j = now + 10 * HZ + HZ / 2 + 7;

	r = round_jiffies(j);
	CHECK_EQ(r % HZ, 0);
	CHECK(r == j - j % HZ || r == j - j % HZ + HZ);
	r = round_jiffies_up(j);
	CHECK_EQ(r % HZ, 0);
	CHECK(time_after_eq(r, j));
	CHECK(time_before(r, j + HZ));
	/* Never into the past. */
	CHECK_EQ(round_jiffies(now - 5 * HZ), now - 5 * HZ);
	rel = round_jiffies_relative(3 * HZ);
	CHECK(rel >= 3 * HZ - HZ / 4 && rel <= 4 * HZ);
	rel = round_jiffies_up_relative(3 * HZ);
	CHECK(rel >= 3 * HZ && rel <= 4 * HZ);
}

/* A static timer (DEFINE_TIMER) works without timer_setup(). */
static atomic_int static_fired;
static void static_fn(struct timer_list *t)
{
	(void)t;
	atomic_fetch_add(&static_fired, 1);
}
static DEFINE_TIMER(static_timer, static_fn);

static void test_define_timer(void)
{
	CHECK(!timer_pending(&static_timer));
	mod_timer(&static_timer, jiffies + 2);
	CHECK(WAIT_UNTIL(atomic_load(&static_fired) == 1, 5000));
}

/* Arming an idle timer from a signal handler (the analogue of an IRQ). */
static struct probe sig_probe;
static void on_sigusr1(int sig)
{
	(void)sig;
	mod_timer(&sig_probe.timer, jiffies + 1);
}

static void test_arm_from_a_signal_handler(void)
{
	struct sigaction sa;

	probe_init(&sig_probe);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	CHECK(WAIT_UNTIL(atomic_load(&sig_probe.fired) == 1, 5000));
	signal(SIGUSR1, SIG_DFL);
}

/*
 * Threads racing mod_timer(), timer_delete() and timer_delete_sync() on
 * shared timers: after the last timer_delete_sync() no callback runs.
 */
#define NR_RACE 8
static struct probe race[NR_RACE];
static atomic_int race_stop;

static void *race_thread(void *arg)
{
	unsigned long long s = (unsigned long long)(long)arg * 7919 + 1;

	while (!atomic_load(&race_stop)) {
		struct probe *p;

		s = s * 6364136223846793005ull + 1442695040888963407ull;
		p = &race[(s >> 33) % NR_RACE];
		switch ((s >> 40) % 4) {
		case 0:
		case 1:
			mod_timer(&p->timer, jiffies + (s >> 50) % 3);
			break;
		case 2:
			timer_delete(&p->timer);
			break;
		default:
			timer_delete_sync(&p->timer);
			break;
		}
	}
	return NULL;
}

static void test_racing_arms_and_deletes(void)
{
	pthread_t th[3];
	int i, fired[NR_RACE];

	for (i = 0; i < NR_RACE; i++) {
		probe_init(&race[i]);
		race[i].spin_ms = 0;
	}
	for (i = 0; i < 3; i++)
		CHECK(!pthread_create(&th[i], NULL, race_thread,
				      (void *)(long)i));
	harness_sleep_ms(HARNESS_SANITIZED ? 1500 : 700);
	atomic_store(&race_stop, 1);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NR_RACE; i++) {
		timer_delete_sync(&race[i].timer);
		CHECK(!timer_pending(&race[i].timer));
		CHECK_EQ(atomic_load(&race[i].running), 0);
		fired[i] = atomic_load(&race[i].fired);
	}
	harness_sleep_ms(20);
	for (i = 0; i < NR_RACE; i++)
		CHECK_EQ(atomic_load(&race[i].fired), fired[i]);
}

/* fork(): a timer armed in the parent does not fire in the child. */
static void test_fork_child(void)
{
	struct probe p, q;
	pid_t pid;
	int status;

	probe_init(&p);
	mod_timer(&p.timer, jiffies + 60);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int ok;

		harness_sleep_ms(150);
		ok = atomic_load(&p.fired) == 0 && !timer_pending(&p.timer);
		probe_init(&q);
		mod_timer(&q.timer, jiffies + 2);
		ok = ok && WAIT_UNTIL(atomic_load(&q.fired) == 1, 5000);
		_exit(ok ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(WAIT_UNTIL(atomic_load(&p.fired) == 1, 5000));
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	RUN_TEST(test_fires_once_at_its_jiffy);
	RUN_TEST(test_mod_timer_moves_an_armed_timer);
	RUN_TEST(test_delete_disarms);
	RUN_TEST(test_delete_sync_waits_for_the_callback);
	RUN_TEST(test_shutdown_stops_a_self_rearming_timer);
	RUN_TEST(test_fire_in_deadline_order);
	RUN_TEST(test_add_timer_on_runs_there);
	RUN_TEST(test_misuse_is_named);
	RUN_TEST(test_delayed_work_timer_is_a_timer_list);
	RUN_TEST(test_round_jiffies);
	RUN_TEST(test_define_timer);
	RUN_TEST(test_arm_from_a_signal_handler);
	RUN_TEST(test_racing_arms_and_deletes);
	RUN_TEST(test_fork_child);
	printf("timer_list: ok\n");
	return 0;
}
