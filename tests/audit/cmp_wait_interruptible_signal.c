// SPDX-License-Identifier: MIT
/* wait_for_completion_interruptible() ends early with -ERESTARTSYS when a
 * signal comes to the waiting task; the completion is not consumed. */
#include <cmwq.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

AUDIT_TYPE(wait_for_completion_interruptible, int (*)(struct completion *));

static DECLARE_COMPLETION(never);
static atomic_int stop;
static pthread_t waiter;

static void on_signal(int sig)
{
	(void)sig;
}

static void *kicker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_kill(waiter, SIGUSR1);
		usleep(2000);
	}
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	pthread_t k;
	int ret;

	audit_begin();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	AUDIT_CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	waiter = pthread_self();
	AUDIT_CHECK(pthread_create(&k, NULL, kicker, NULL) == 0);
	ret = wait_for_completion_interruptible(&never);
	atomic_store(&stop, 1);
	pthread_join(k, NULL);
	AUDIT_CHECK(ret == -ERESTARTSYS);
	AUDIT_CHECK(!completion_done(&never));
	return 0;
}
