// SPDX-License-Identifier: MIT
/*
 * completion_api.c - the kernel's completion API with its semantics:
 * the interruptible, killable, _io and _timeout waits and their results,
 * complete_all, reinit_completion, try_wait_for_completion,
 * completion_done, and the kernel names as real functions (a function
 * pointer, a struct member called complete).
 */
#include <cmwq.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "harness.h"

static atomic_int handled;

static void on_signal(int sig)
{
	(void)sig;
	atomic_fetch_add(&handled, 1);
}

static void install(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
}

enum wait_kind {
	WAIT_INTERRUPTIBLE,
	WAIT_INTERRUPTIBLE_TIMEOUT,
	WAIT_KILLABLE,
	WAIT_KILLABLE_TIMEOUT,
};

struct waiter {
	pthread_t thread;
	struct completion *x;
	enum wait_kind kind;
	unsigned long timeout;
	long result;
	atomic_int returned;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	switch (w->kind) {
	case WAIT_INTERRUPTIBLE:
		w->result = wait_for_completion_interruptible(w->x);
		break;
	case WAIT_INTERRUPTIBLE_TIMEOUT:
		w->result = wait_for_completion_interruptible_timeout(
			w->x, w->timeout);
		break;
	case WAIT_KILLABLE:
		w->result = wait_for_completion_killable(w->x);
		break;
	case WAIT_KILLABLE_TIMEOUT:
		w->result =
			wait_for_completion_killable_timeout(w->x, w->timeout);
		break;
	}
	atomic_store(&w->returned, 1);
	return NULL;
}

static void start(struct waiter *w, struct completion *x, enum wait_kind kind,
		  unsigned long timeout)
{
	w->x = x;
	w->kind = kind;
	w->timeout = timeout;
	w->result = 12345;
	atomic_store(&w->returned, 0);
	CHECK(pthread_create(&w->thread, NULL, wait_thread, w) == 0);
}

/* Signal @w until it returns (at most ~10 s); the number of signals sent. */
static int signal_until_return(struct waiter *w)
{
	int sent = 0;

	while (!atomic_load(&w->returned) && sent < 5000) {
		pthread_kill(w->thread, SIGUSR1);
		sent++;
		harness_sleep_ms(2);
	}
	return sent;
}

/* A signal handler that runs while the waiter sleeps ends the wait. */
static void test_interruptible_signal(void)
{
	static const int flags[] = { 0, SA_RESTART };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		DECLARE_COMPLETION_ONSTACK(x);
		struct waiter w;

		install(flags[i]);
		start(&w, &x, WAIT_INTERRUPTIBLE, 0);
		signal_until_return(&w);
		pthread_join(w.thread, NULL);
		CHECK(atomic_load(&w.returned));
		CHECK_EQ(w.result, -ERESTARTSYS);
		/* Nothing was consumed: a later complete() is still there. */
		CHECK(!completion_done(&x));
		complete(&x);
		CHECK(try_wait_for_completion(&x));
	}
}

static void test_interruptible_completed(void)
{
	DECLARE_COMPLETION(x);
	struct waiter w;

	start(&w, &x, WAIT_INTERRUPTIBLE, 0);
	harness_sleep_ms(20);
	complete(&x);
	pthread_join(w.thread, NULL);
	CHECK_EQ(w.result, 0);
	CHECK(!completion_done(&x));

	/* Already completed: returns at once, consuming it. */
	complete(&x);
	CHECK_EQ(wait_for_completion_interruptible(&x), 0);
	CHECK(!completion_done(&x));
}

static void test_interruptible_timeout(void)
{
	DECLARE_COMPLETION(x);
	struct waiter w;
	long left;

	/* Timeout: 0. */
	CHECK_EQ(wait_for_completion_interruptible_timeout(&x, 5), 0);

	/* Completed in time: the jiffies left, at least 1. */
	complete(&x);
	left = wait_for_completion_interruptible_timeout(&x, 1000);
	CHECK(left >= 1 && left <= 1000);

	/* Interrupted: -ERESTARTSYS. */
	install(0);
	start(&w, &x, WAIT_INTERRUPTIBLE_TIMEOUT, 60 * HZ);
	signal_until_return(&w);
	pthread_join(w.thread, NULL);
	CHECK_EQ(w.result, -ERESTARTSYS);

	/* MAX_SCHEDULE_TIMEOUT waits for ever, and the result is positive. */
	start(&w, &x, WAIT_INTERRUPTIBLE_TIMEOUT, MAX_SCHEDULE_TIMEOUT);
	harness_sleep_ms(20);
	CHECK(!atomic_load(&w.returned));
	complete(&x);
	pthread_join(w.thread, NULL);
	CHECK(w.result >= 1);
}

/*
 * Regression: a timeout of MAX_SCHEDULE_TIMEOUT jiffies overflowed the
 * deadline in nanoseconds, and the wait could end at once with 0.
 */
/*
 * A timeout of 0 only looks, as in the kernel: 0 when not done, 1 (and the
 * completion consumed) when done.  (It waited forever: 0 was taken for
 * "no deadline".)
 */
static void test_timeout_zero(void)
{
	DECLARE_COMPLETION_ONSTACK(c);

	CHECK_EQ(wait_for_completion_timeout(&c, 0), 0);
	CHECK_EQ(wait_for_completion_io_timeout(&c, 0), 0);
	CHECK_EQ(wait_for_completion_interruptible_timeout(&c, 0), 0);
	CHECK_EQ(wait_for_completion_killable_timeout(&c, 0), 0);
	complete(&c);
	CHECK_EQ(wait_for_completion_timeout(&c, 0), 1);
	CHECK(!completion_done(&c));
	complete(&c);
	CHECK_EQ(wait_for_completion_interruptible_timeout(&c, 0), 1);
}

static void test_timeout_max(void)
{
	DECLARE_COMPLETION(x);
	struct waiter w;
	unsigned long left;

	complete(&x);
	left = wait_for_completion_timeout(&x, MAX_SCHEDULE_TIMEOUT);
	CHECK(left >= 1);

	start(&w, &x, WAIT_KILLABLE_TIMEOUT, MAX_SCHEDULE_TIMEOUT);
	harness_sleep_ms(30);
	CHECK(!atomic_load(&w.returned));
	complete(&x);
	pthread_join(w.thread, NULL);
	CHECK(w.result >= 1);
}

/* A killable wait goes on through handled signals. */
static void test_killable(void)
{
	DECLARE_COMPLETION(x);
	struct waiter w;
	int i, before;

	install(0);
	before = atomic_load(&handled);
	start(&w, &x, WAIT_KILLABLE, 0);
	harness_sleep_ms(10);
	for (i = 0; i < 20; i++) {
		pthread_kill(w.thread, SIGUSR1);
		harness_sleep_ms(2);
	}
	CHECK(atomic_load(&handled) > before);
	CHECK(!atomic_load(&w.returned));
	complete(&x);
	pthread_join(w.thread, NULL);
	CHECK_EQ(w.result, 0);

	CHECK_EQ(wait_for_completion_killable_timeout(&x, 5), 0);
	complete(&x);
	CHECK(wait_for_completion_killable_timeout(&x, 100) >= 1);
}

static void test_io_and_plain(void)
{
	DECLARE_COMPLETION(x);

	complete(&x);
	wait_for_completion_io(&x);
	CHECK(!completion_done(&x));
	CHECK_EQ(wait_for_completion_io_timeout(&x, 5), 0);
	complete(&x);
	CHECK(wait_for_completion_io_timeout(&x, 100) >= 1);
	CHECK_EQ(wait_for_completion_timeout(&x, 2), 0);
}

/* complete_all lets every wait pass until reinit_completion. */
static void test_complete_all_reinit(void)
{
	struct completion x;
	int i;

	init_completion(&x);
	CHECK(!completion_done(&x));
	CHECK(!try_wait_for_completion(&x));
	complete(&x);
	complete(&x);
	CHECK(try_wait_for_completion(&x));
	CHECK(try_wait_for_completion(&x));
	CHECK(!try_wait_for_completion(&x));

	complete_all(&x);
	for (i = 0; i < 5; i++) {
		CHECK(completion_done(&x));
		wait_for_completion(&x);
		CHECK_EQ(wait_for_completion_interruptible(&x), 0);
		CHECK(try_wait_for_completion(&x));
	}
	reinit_completion(&x);
	CHECK(!completion_done(&x));
	CHECK_EQ(wait_for_completion_timeout(&x, 2), 0);
}

/* The kernel names are functions: pointers to them, members named so. */
struct ops {
	void (*complete)(struct completion *x);
	bool (*completion_done)(struct completion *x);
};

static void test_names_are_functions(void)
{
	struct ops ops = { .complete = complete,
			   .completion_done = completion_done };
	struct ops *p = &ops;
	void (*wait)(struct completion *) = wait_for_completion;
	int (*wait_intr)(struct completion *) =
		wait_for_completion_interruptible;
	DECLARE_COMPLETION(x);

	p->complete(&x);
	CHECK(p->completion_done(&x));
	wait(&x);
	p->complete(&x);
	CHECK_EQ(wait_intr(&x), 0);
}

int main(void)
{
	harness_watchdog(HARNESS_SLOW(60));
	RUN_TEST(test_names_are_functions);
	RUN_TEST(test_complete_all_reinit);
	RUN_TEST(test_io_and_plain);
	RUN_TEST(test_interruptible_completed);
	RUN_TEST(test_interruptible_signal);
	RUN_TEST(test_interruptible_timeout);
	RUN_TEST(test_timeout_max);
	RUN_TEST(test_timeout_zero);
	RUN_TEST(test_killable);
	return 0;
}
