/* SPDX-License-Identifier: MIT */
/*
 * test_pipeline.c - simrupt end to end: top half, bottom half, readers
 *
 * One source, one scenario per argument or per build (SIMRUPT_SCENARIO;
 * CMake builds each as its own CTest):
 *   1khz       1 kHz, 3 s (10 s with SIMRUPT_TEST_FULL=1): no byte lost,
 *              every byte once, latencies printed (not asserted)
 *   100khz     100 kHz, 2 s (5 s full): no crash or hang, counters
 *              balance, no byte twice, one bottom half at a time
 *   pending    queueing the pending bottom half from the handler returns
 *              false; one instance runs
 *   startstop  1000 start/stop cycles: counters balance, no fd or thread
 *              leak (and ASan's leak check)
 */
#include "harness.h"
#include "simrupt.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define MAX_POS (1u << 24)

static struct simrupt *dev;
static unsigned char *seen;	/* per position; written under the FIFO's
				 * lock via distinct positions, read after
				 * the readers are joined */
static atomic_int bad_bytes, dup_bytes;
static bool check_pattern;

struct reader {
	pthread_t thread;
	bool nonblock;
	unsigned long long got;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	unsigned char buf[256];
	unsigned int pos, i;
	ssize_t n;

	for (;;) {
		n = simrupt_read_pos(dev, buf, sizeof(buf),
				     r->nonblock ? SIMRUPT_NONBLOCK : 0, &pos);
		if (n == 0)
			break;
		if (n == -EAGAIN) {
			struct timespec ts = { 0, 200000 };

			nanosleep(&ts, NULL);
			continue;
		}
		CHECK(n > 0);
		for (i = 0; i < (unsigned int)n; i++) {
			unsigned int p = pos + i;

			if (p >= MAX_POS)
				continue;
			/* Distinct positions: distinct bytes of @seen. */
			if (seen[p]++)
				atomic_fetch_add(&dup_bytes, 1);
			if (check_pattern && buf[i] != simrupt_pattern(p))
				atomic_fetch_add(&bad_bytes, 1);
		}
		r->got += (unsigned long long)n;
	}
	return NULL;
}

static bool full_length(void)
{
	return getenv("SIMRUPT_TEST_FULL") != NULL;
}

static void check_balance(const struct simrupt_stats *st)
{
	CHECK_EQ(st->in_ring, 0);
	CHECK_EQ(st->in_fifo, 0);
	CHECK_EQ(st->produced,
		 st->dropped + st->overwritten + st->delivered);
	CHECK_EQ(st->moved, st->produced - st->dropped);
	/* One queue_work() per signal; a signal carries 1 + overrun. */
	CHECK_EQ(st->queued + st->already_pending + st->timer_overruns,
		 st->produced);
}

/* Run @cfg for @seconds with @nr readers (odd ones non-blocking). */
static void run(struct simrupt_config *cfg, unsigned int seconds,
		unsigned int nr, struct simrupt_stats *st)
{
	struct reader readers[8] = { 0 };
	unsigned long long delivered = 0;
	unsigned int i;

	seen = calloc(MAX_POS, 1);
	CHECK(seen != NULL);
	atomic_store(&bad_bytes, 0);
	atomic_store(&dup_bytes, 0);
	dev = simrupt_create(cfg);
	CHECK(dev != NULL);
	for (i = 0; i < nr; i++) {
		readers[i].nonblock = i & 1;
		CHECK_EQ(pthread_create(&readers[i].thread, NULL, reader_main,
					&readers[i]),
			 0);
	}
	CHECK_EQ(simrupt_start(dev), 0);
	harness_sleep_ms(seconds * 1000);
	simrupt_stop(dev);
	for (i = 0; i < nr; i++) {
		CHECK_EQ(pthread_join(readers[i].thread, NULL), 0);
		delivered += readers[i].got;
	}
	simrupt_get_stats(dev, st);
	simrupt_report(dev, stdout);
	CHECK_EQ(delivered, st->delivered);
	CHECK_EQ(atomic_load(&dup_bytes), 0);
	CHECK_EQ(atomic_load(&bad_bytes), 0);
	CHECK_EQ(st->bh_max_concurrent, 1);
	check_balance(st);
}

static void test_1khz(void)
{
	struct simrupt_config cfg = { .rate_hz = 1000, .irq_cpu = -1,
				      .trace = true };
	struct simrupt_stats st;
	struct simrupt_latency lat;
	unsigned int p;

	check_pattern = true;
	run(&cfg, full_length() ? 10 : 3, 2, &st);
	/* No lost byte: nothing dropped or overwritten, each byte once. */
	CHECK(st.produced > 0);
	CHECK_EQ(st.dropped, 0);
	CHECK_EQ(st.overwritten, 0);
	CHECK_EQ(st.delivered, st.produced);
	for (p = 0; p < st.produced && p < MAX_POS; p++)
		CHECK_EQ(seen[p], 1);
	/* Reported, never asserted (the p50 < 200 us, p99 < 2 ms). */
	simrupt_get_latency(dev, SIMRUPT_TOP_TO_READER, &lat);
	printf("1 kHz: handler -> reader p50 %.1f us p99 %.1f us "
	       "(targets 200 us, 2000 us)\n",
	       lat.p50 / 1e3, lat.p99 / 1e3);
	simrupt_destroy(dev);
	free(seen);
}

static void test_100khz(void)
{
	struct simrupt_config cfg = { .rate_hz = 100000, .irq_cpu = -1,
				      .trace = true };
	struct simrupt_stats st;

	/* Drops shift the pattern against the position: no byte check. */
	check_pattern = false;
	run(&cfg, full_length() ? 5 : 2, 3, &st);
	CHECK(st.produced > 0);
	simrupt_destroy(dev);
	free(seen);
}

static atomic_int gate;

static void blocker_fn(struct work_struct *w)
{
	(void)w;
	while (!atomic_load(&gate))
		harness_sleep_ms(1);
}

static void test_pending(void)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("simrupt-o", 0);
	struct simrupt_config cfg = { .rate_hz = 2000, .irq_cpu = -1,
				      .wq = wq };
	struct simrupt_stats st;
	struct work_struct blocker;
	unsigned char buf[4096];
	unsigned long long got = 0;
	ssize_t n;

	CHECK(wq != NULL);
	INIT_WORK(&blocker, blocker_fn);
	/* The ordered queue runs the bottom half only after the blocker. */
	CHECK(queue_work(wq, &blocker));
	dev = simrupt_create(&cfg);
	CHECK(dev != NULL);
	CHECK_EQ(simrupt_start(dev), 0);
	simrupt_get_stats(dev, &st);
	CHECK(WAIT_UNTIL((simrupt_get_stats(dev, &st), st.produced >= 50),
			 20000));
	/* Blocked behind the blocker: queued once, then always pending. */
	CHECK_EQ(st.queued, 1);
	CHECK_EQ(st.bh_runs, 0);
	CHECK(st.already_pending + st.timer_overruns >= 49);
	CHECK_EQ(st.queued + st.already_pending + st.timer_overruns,
		 st.produced);
	atomic_store(&gate, 1);
	CHECK(WAIT_UNTIL((simrupt_get_stats(dev, &st), st.bh_runs >= 1),
			 20000));
	simrupt_stop(dev);
	while ((n = simrupt_read(dev, buf, sizeof(buf), 0)) > 0)
		got += (unsigned long long)n;
	simrupt_get_stats(dev, &st);
	simrupt_report(dev, stdout);
	CHECK_EQ(st.bh_max_concurrent, 1);
	CHECK_EQ(got, st.delivered);
	CHECK_EQ(st.delivered, st.produced);
	check_balance(&st);
	simrupt_destroy(dev);
	destroy_workqueue(wq);
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	CHECK(d != NULL);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * Open file descriptors, without the ones cmwq's workers hold for block
 * detection (a perf event, or their /proc stat file): those live as long
 * as the workers, which stay idle for a while after the device stops.
 */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	CHECK(d != NULL);
	while ((e = readdir(d))) {
		char path[300], target[256];
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = '\0';
			if (strstr(target, "perf_event") ||
			    (strstr(target, "/task/") && strstr(target, "/stat")))
				continue;
		}
		n++;
	}
	closedir(d);
	return n;
}

static void test_startstop(void)
{
	int fds0 = count_fds();
	int threads0 = count_dir("/proc/self/task");
	unsigned char buf[512];
	struct simrupt_stats st;
	unsigned int i;
	ssize_t n;

	for (i = 0; i < 1000; i++) {
		struct simrupt_config cfg = { .rate_hz = 100000,
					      .irq_cpu = -1,
					      .trace = i % 10 == 0 };
		unsigned long long got = 0;

		dev = simrupt_create(&cfg);
		CHECK(dev != NULL);
		CHECK_EQ(simrupt_start(dev), 0);
		n = simrupt_read(dev, buf, sizeof(buf), SIMRUPT_NONBLOCK);
		CHECK(n > 0 || n == -EAGAIN);
		if (n > 0)
			got += (unsigned long long)n;
		simrupt_stop(dev);
		while ((n = simrupt_read(dev, buf, sizeof(buf), 0)) > 0)
			got += (unsigned long long)n;
		simrupt_get_stats(dev, &st);
		CHECK_EQ(got, st.delivered);
		check_balance(&st);
		simrupt_destroy(dev);
	}
	CHECK_EQ(count_fds(), fds0);
	/* Lazy workers may remain idle; the irq and tracer threads not. */
	printf("startstop: threads %d before, %d after\n", threads0,
	       count_dir("/proc/self/task"));
	CHECK(count_dir("/proc/self/task") <= threads0 + 2 * cmwq_nr_cpus() +
						      8);
}

int main(int argc, char **argv)
{
#ifdef SIMRUPT_SCENARIO
	const char *what = argc > 1 ? argv[1] : SIMRUPT_SCENARIO;
#else
	const char *what = argc > 1 ? argv[1] : "all";
#endif
	bool all = !strcmp(what, "all");

	harness_watchdog(full_length() ? 120 : 90);
	if (all || !strcmp(what, "1khz"))
		RUN_TEST(test_1khz);
	if (all || !strcmp(what, "100khz"))
		RUN_TEST(test_100khz);
	if (all || !strcmp(what, "pending"))
		RUN_TEST(test_pending);
	if (all || !strcmp(what, "startstop"))
		RUN_TEST(test_startstop);
	return 0;
}
