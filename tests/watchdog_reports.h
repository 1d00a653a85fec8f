/* SPDX-License-Identifier: MIT */
/*
 * watchdog_reports.h - a cmwq_set_watchdog() callback for tests that keeps
 * the last report and counts them, and a look into the last one.
 */
#ifndef CMWQ_TEST_WATCHDOG_REPORTS_H
#define CMWQ_TEST_WATCHDOG_REPORTS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t rep_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_report[4096]; /* (rep_lock) */
static atomic_int nr_reports;

static inline void on_report(const char *report, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&rep_lock);
	snprintf(last_report, sizeof(last_report), "%s", report);
	pthread_mutex_unlock(&rep_lock);
	atomic_fetch_add(&nr_reports, 1);
}

/* Does the last report contain @needle? */
static inline bool report_has(const char *needle)
{
	bool found;

	pthread_mutex_lock(&rep_lock);
	found = strstr(last_report, needle) != NULL;
	pthread_mutex_unlock(&rep_lock);
	return found;
}

#endif /* CMWQ_TEST_WATCHDOG_REPORTS_H */
