/* SPDX-License-Identifier: MIT */
/*
 * tests/harness.h - the minimal test harness every test program uses
 *
 * A failed check prints where and why and aborts, so CTest sees a failure.
 * Each test program also arms a watchdog alarm: a hang is a failure even
 * when run outside CTest.
 */
#ifndef CMWQ_TEST_HARNESS_H
#define CMWQ_TEST_HARNESS_H

/* Exit status of a test that cannot run here: CTest reports it skipped. */
#define HARNESS_SKIP 77

#include <cmwq/concurrency.h>
#include <cmwq/stats.h>

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                      \
	do {                                                                \
		long long _a = (long long)(a), _b = (long long)(b);         \
		if (_a != _b) {                                             \
			fprintf(stderr,                                     \
				"%s:%d: CHECK_EQ failed: %s == %s "         \
				"(%lld != %lld)\n",                         \
				__FILE__, __LINE__, #a, #b, _a, _b);        \
			abort();                                            \
		}                                                           \
	} while (0)

static inline void harness_alarm(int sig)
{
	static const char msg[] = "test: watchdog alarm, test hung\n";
	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0) {
	}
	abort();
}

/* Abort the test program if it runs longer than @seconds. */
static inline void harness_watchdog(unsigned int seconds)
{
	signal(SIGALRM, harness_alarm);
	alarm(seconds);
}

#define RUN_TEST(fn)                                        \
	do {                                                \
		fprintf(stderr, "test: %s ...\n", #fn);     \
		fn();                                       \
		fprintf(stderr, "test: %s ok\n", #fn);      \
	} while (0)

static inline void harness_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0) {
	}
}

static inline unsigned long long harness_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/*
 * A case that only the detection layer can see (@what: "a plain read()",
 * ...) reports itself as skipped under CMWQ_DETECT=off.
 */
static inline bool harness_skip_without_detection(const char *what)
{
	if (cmwq_detect_mode() != CMWQ_DETECT_OFF)
		return false;
	fprintf(stderr, "test: detection is off: %s is not seen; case "
			"skipped\n", what);
	return true;
}

/* The calling thread's CPU time, ns: for items that compute a set time. */
static inline unsigned long long harness_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/*
 * The highest in-flight target of the normal-priority unbound pools now:
 * an unbound queue has a pool per pod, and an unpinned caller's items go
 * to the pod it happens to run on, so any of them may be the one that
 * learns.
 */
static inline unsigned int harness_unbound_target(void)
{
	struct cmwq_pool_stats st;
	unsigned int best = 0;
	int i;

	for (i = 0; i < cmwq_nr_pools(); i++)
		if (cmwq_get_pool_stats(i, &st) == 0 && st.cpu < 0 &&
		    st.nice == 0 && st.inflight_target > best)
			best = st.inflight_target;
	return best;
}

/* Wait up to @ms for @cond to become true; evaluates to the condition. */
#define WAIT_UNTIL(cond, ms)                                              \
	({                                                                \
		unsigned long long _end = harness_now_ns() +              \
					  (unsigned long long)(ms) * 1000000ull; \
		while (!(cond) && harness_now_ns() < _end)                \
			harness_sleep_ms(1);                              \
		(cond);                                                   \
	})

/*
 * Sanitizer builds run 5-15x slower: scale iteration counts down with
 * HARNESS_SCALE(n) and hang guards up with HARNESS_SLOW(n).
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HARNESS_SANITIZED 1
#else
#define HARNESS_SANITIZED 0
#endif
#if defined(__SANITIZE_THREAD__)
#define HARNESS_SCALE(n) ((n) / 20 ? (n) / 20 : 1)
#elif defined(__SANITIZE_ADDRESS__)
#define HARNESS_SCALE(n) ((n) / 8 ? (n) / 8 : 1)
#else
#define HARNESS_SCALE(n) (n)
#endif
#define HARNESS_SLOW(n) (HARNESS_SANITIZED ? (n) * 6 : (n))

/*
 * Capture what is written to fd 2 between harness_capture_begin() and
 * harness_capture_end(); the captured text is echoed to the real stderr.
 * harness_capture_end() returns true if @needle occurs in it.
 */
struct harness_capture {
	int saved_fd;
	FILE *tmp;
};

/*
 * If the program aborts while fd 2 is captured (a failed check in a worker,
 * a sanitizer report), put fd 2 back and copy out what was captured so the
 * report is not lost.
 */
static volatile sig_atomic_t harness_cap_saved = -1, harness_cap_fd = -1;

static inline void harness_capture_abort(int sig)
{
	char buf[4096];
	ssize_t n;

	if (harness_cap_saved >= 0) {
		dup2(harness_cap_saved, 2);
		lseek(harness_cap_fd, 0, SEEK_SET);
		while ((n = read(harness_cap_fd, buf, sizeof(buf))) > 0)
			if (write(2, buf, (size_t)n) < 0)
				break;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static inline void harness_capture_begin(struct harness_capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	if (!c->tmp)
		abort();
	c->saved_fd = dup(2);
	if (c->saved_fd < 0)
		abort();
	harness_cap_fd = fileno(c->tmp);
	harness_cap_saved = c->saved_fd;
	signal(SIGABRT, harness_capture_abort);
	if (dup2(fileno(c->tmp), 2) < 0)
		abort();
}

static inline bool harness_capture_end(struct harness_capture *c,
				       const char *needle)
{
	char buf[8192];
	size_t n;

	fflush(stderr);
	if (dup2(c->saved_fd, 2) < 0)
		abort();
	harness_cap_saved = -1;
	signal(SIGABRT, SIG_DFL);
	close(c->saved_fd);
	rewind(c->tmp);
	n = fread(buf, 1, sizeof(buf) - 1, c->tmp);
	buf[n] = '\0';
	fclose(c->tmp);
	if (n)
		fprintf(stderr, "test: captured stderr: <<%s>>\n", buf);
	return strstr(buf, needle) != NULL;
}

/* The calling thread's kernel thread id. */
static inline int harness_gettid(void)
{
	return (int)syscall(SYS_gettid);
}

/* One thread of this process, as /proc/self/task shows it. */
struct harness_task {
	int tid;
	char comm[32];
	char state;
	unsigned long long vcsw;
	unsigned long long nvcsw;
};

static inline void harness_read_task(struct harness_task *t)
{
	char path[64], line[256];
	FILE *f;
	size_t n;

	t->comm[0] = '\0';
	t->state = '?';
	t->vcsw = t->nvcsw = 0;
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", t->tid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(t->comm, sizeof(t->comm), f)) {
			n = strlen(t->comm);
			if (n && t->comm[n - 1] == '\n')
				t->comm[n - 1] = '\0';
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", t->tid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "State:", 6))
			sscanf(line + 6, " %c", &t->state);
		else if (!strncmp(line, "voluntary_ctxt_switches:", 24))
			t->vcsw = strtoull(line + 24, NULL, 10);
		else if (!strncmp(line, "nonvoluntary_ctxt_switches:", 27))
			t->nvcsw = strtoull(line + 27, NULL, 10);
	}
	fclose(f);
}

/* Fill @out with up to @max threads of this process; returns how many. */
static inline int harness_list_tasks(struct harness_task *out, int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		abort();
	while ((de = readdir(d)) != NULL && n < max) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		out[n].tid = atoi(de->d_name);
		harness_read_task(&out[n]);
		n++;
	}
	closedir(d);
	return n;
}

/* Is @comm the name of a thread the library started? */
static inline bool harness_is_lib_thread(const char *comm)
{
	return !strncmp(comm, "kworker/", 8) || !strncmp(comm, "cmwq", 4);
}

/* Number of threads the library started (kworker/..., cmwq-...). */
static inline int harness_count_lib_threads(void)
{
	struct harness_task t[512];
	int i, n = harness_list_tasks(t, 512), c = 0;

	for (i = 0; i < n; i++)
		c += harness_is_lib_thread(t[i].comm);
	return c;
}

/* Number of threads named kworker/... */
static inline int harness_count_kworkers(void)
{
	struct harness_task t[512];
	int i, n = harness_list_tasks(t, 512), c = 0;

	for (i = 0; i < n; i++)
		c += !strncmp(t[i].comm, "kworker/", 8);
	return c;
}

/*
 * Wait (up to @ms) until thread @tid sleeps: used to know that a thread
 * has entered a blocking library call.  Returns true if it was seen asleep.
 */
static inline bool harness_wait_task_sleeping(int tid, unsigned int ms)
{
	struct harness_task t = { .tid = tid };
	unsigned long long end = harness_now_ns() + ms * 1000000ull;

	do {
		harness_read_task(&t);
		if (t.state == 'S' || t.state == 'D')
			return true;
		harness_sleep_ms(1);
	} while (harness_now_ns() < end);
	return false;
}

#ifdef CMWQ_H
/* The first CPU this process may run on; @skip CPUs are passed over. */
static inline int harness_cpu(int skip)
{
	int cpu;

	for (cpu = 0; cpu < cmwq_nr_cpus(); cpu++)
		if (cmwq_cpu_possible(cpu) && skip-- == 0)
			return cpu;
	return -1;
}
#endif

#endif /* CMWQ_TEST_HARNESS_H */
