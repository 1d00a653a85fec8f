// SPDX-License-Identifier: MIT
/* wait_for_completion_state() with TASK_INTERRUPTIBLE ends with
 * -ERESTARTSYS when a signal comes to the waiting task (nothing consumed);
 * with TASK_KILLABLE and TASK_IDLE it waits through signals and returns 0
 * once completed. */
#include <cmwq.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_state, int (*)(struct completion *,
					      unsigned int));

static DECLARE_COMPLETION(never);
static DECLARE_COMPLETION(later);
static atomic_int stop, kicks;
static pthread_t waiter;

static void on_signal(int sig)
{
	(void)sig;
}

static void *kicker(void *arg)
{
	int n = 0;

	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_kill(waiter, SIGUSR1);
		atomic_store(&kicks, ++n);
		usleep(2000);
	}
	return NULL;
}

/* Completes @later once the waiter has been signalled a few times. */
static void *completer(void *arg)
{
	(void)arg;
	while (atomic_load(&kicks) < 10)
		usleep(1000);
	atomic_store(&kicks, 0);
	complete(&later);
	return NULL;
}

static void kill_and_wait(unsigned int state, int want)
{
	pthread_t k, c;
	int ret;

	atomic_store(&stop, 0);
	atomic_store(&kicks, 0);
	AUDIT_CHECK(pthread_create(&k, NULL, kicker, NULL) == 0);
	if (want == 0)
		AUDIT_CHECK(pthread_create(&c, NULL, completer, NULL) == 0);
	ret = wait_for_completion_state(want ? &never : &later, state);
	atomic_store(&stop, 1);
	pthread_join(k, NULL);
	if (want == 0)
		pthread_join(c, NULL);
	AUDIT_CHECK(ret == want);
}

int main(void)
{
	struct sigaction sa;

	audit_begin();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	AUDIT_CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	waiter = pthread_self();
	kill_and_wait(TASK_INTERRUPTIBLE, -ERESTARTSYS);
	AUDIT_CHECK(!completion_done(&never));
	kill_and_wait(TASK_KILLABLE, 0);
	kill_and_wait(TASK_IDLE, 0);
	AUDIT_CHECK(!completion_done(&later));
	return 0;
}
