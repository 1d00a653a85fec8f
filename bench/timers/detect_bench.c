/* SPDX-License-Identifier: MIT */
/*
 * detect_bench.c - automatic concurrency management: how fast a pool
 * notices that its running worker blocked, and what watching costs
 *
 *   compensation  a bound workqueue, CPU 0.  Item A is queued and starts;
 *                 item B is queued behind it; as soon as B is pending, A
 *                 reads the clock and blocks (nanosleep of 2 ms, or read()
 *                 on an empty pipe) without telling the library.  B reads
 *                 the clock first thing.  Latency = B's start - A's clock
 *                 read.  With CMWQ_DETECT=off nothing notices: B waits
 *                 for A's block to end (the read variant is released
 *                 after 2 ms).  Trials are --gap-us apart (100): shorter
 *                 than the monitor's longest poll interval (1 ms), so a
 *                 pool may still be watched from the trial before.
 *   W1            one producer queues 1,000,000 items that each increment
 *                 an atomic counter, then waits for all: ns per item,
 *                 median of 5 in one process.  Detection on (perf) against
 *                 off, alternating child processes.
 *
 * The layer is read from the environment when the library starts, so each
 * layer runs in a child process (this program, with --child).  Prints one
 * table.  --quick is a smoke run; no figure is judged by the exit status.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

#define BLOCK_NS 2000000ull /* how long A blocks */

static struct {
	bool quick;
	unsigned int trials; /* compensation trials per kind */
	unsigned int w1_items;
	int w1_reps; /* in one child */
	int w1_rounds; /* child processes per layer */
	unsigned int gap_us; /* pause between compensation trials */
} cfg;

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static double median_d(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *mode_name(int m)
{
	switch (m) {
	case CMWQ_DETECT_PERF:
		return "perf";
	case CMWQ_DETECT_PROC:
		return "proc";
	case CMWQ_DETECT_OFF:
		return "off";
	default:
		return "?";
	}
}

/* ---------------------------------------------------------------- */
/* compensation latency (child)                                      */

/*
 * A blocks at once when B is pending (the pool starts being watched at
 * that moment: the monitor must first be woken), or after LATE_NS more on
 * the CPU (the pool is watched by then, as when an item blocks part-way).
 */
enum { K_SLEEP, K_READ, K_SLEEP_LATE, K_READ_LATE, NR_KINDS };
static const char *const kind_name[NR_KINDS] = {
	"nanosleep", "read", "nanosleep-late", "read-late"
};
#define LATE_NS 300000ull

static struct work_struct item_a, item_b;
static atomic_int a_started;
static atomic_ullong t_block, a_end, b_start;
static int kind;
static int pipefd[2];

static void a_fn(struct work_struct *w)
{
	char c;

	(void)w;
	atomic_store(&a_started, 1);
	/*
	 * Block as soon as B is pending behind us (its PENDING bit is set
	 * just before it is pushed on the pool), not when the producer gets
	 * round to telling us: the producer may be preempted on its CPU by
	 * the manager thread that its queue_work just woke.
	 */
	/*
	 * B may also have started already: A counts as blocked whenever its
	 * thread sleeps, which under a sanitizer's own locks can happen in
	 * this very loop.  That trial is left out ("ahead"), not waited on
	 * for ever.
	 */
	while (!work_pending(&item_b) && !atomic_load(&b_start))
		;
	if (kind == K_SLEEP_LATE || kind == K_READ_LATE) {
		unsigned long long t0 = now_ns();

		while (now_ns() - t0 < LATE_NS)
			;
	}
	atomic_store(&t_block, now_ns());
	if (kind == K_SLEEP || kind == K_SLEEP_LATE) {
		struct timespec ts = { 0, (long)BLOCK_NS };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	} else {
		if (read(pipefd[0], &c, 1) != 1)
			abort();
	}
	atomic_store(&a_end, now_ns());
}

static void b_fn(struct work_struct *w)
{
	(void)w;
	atomic_store(&b_start, now_ns());
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void child_comp(void)
{
	struct workqueue_struct *wq = alloc_workqueue("detect-bench", 0, 0);
	unsigned long long *lat = calloc(cfg.trials, sizeof(*lat));
	unsigned int t, n, ahead, uncomp;
	int k;

	if (!wq || !lat || pipe(pipefd))
		abort();
	/* The producer keeps off CPU 0, where A and B run. */
	if (cmwq_nr_cpus() > 1 && cmwq_cpu_possible(1))
		pin_self(1);
	INIT_WORK(&item_a, a_fn);
	INIT_WORK(&item_b, b_fn);
	for (k = 0; k < NR_KINDS; k++) {
		bool is_sleep = k == K_SLEEP || k == K_SLEEP_LATE;

		kind = k;
		n = ahead = uncomp = 0;
		for (t = 0; t < cfg.trials + 10; t++) {
			unsigned long long deadline;

			atomic_store(&a_started, 0);
			atomic_store(&b_start, 0);
			atomic_store(&a_end, 0);
			if (!queue_work_on(0, wq, &item_a))
				abort();
			while (!atomic_load(&a_started))
				;
			if (!queue_work_on(0, wq, &item_b))
				abort();
			/* The read variant is released once B ran or 2 ms. */
			deadline = now_ns() + BLOCK_NS +
				   (k >= K_SLEEP_LATE ? LATE_NS : 0);
			while (!atomic_load(&b_start) &&
			       (is_sleep || now_ns() < deadline))
				sched_yield();
			if (!is_sleep && write(pipefd[1], "x", 1) != 1)
				abort();
			flush_work(&item_a);
			flush_work(&item_b);
			if (t < 10)
				continue; /* warm-up: workers, perf rings */
			if (atomic_load(&b_start) < atomic_load(&t_block)) {
				ahead++; /* B ran beside A: not a trial */
				continue;
			}
			uncomp += atomic_load(&b_start) >= atomic_load(&a_end);
			lat[n++] =
				atomic_load(&b_start) - atomic_load(&t_block);
			usleep(cfg.gap_us);
		}
		qsort(lat, n, sizeof(*lat), cmp_ull);
		printf("RESULT comp %s %s %.1f %.1f %.1f %u %u %u\n",
		       kind_name[k], mode_name(cmwq_detect_mode()),
		       n ? lat[n / 2] / 1000.0 : 0,
		       n ? lat[(n * 99) / 100] / 1000.0 : 0,
		       n ? lat[n - 1] / 1000.0 : 0, n, uncomp, ahead);
	}
	free(lat);
	close(pipefd[0]);
	close(pipefd[1]);
	if (cmwq_destroy_workqueue(wq))
		exit(1);
}

/* ---------------------------------------------------------------- */
/* W1 (child)                                                        */

static atomic_uint w1_count;
static struct completion w1_done;
static unsigned int w1_n;

static void w1_fn(struct work_struct *w)
{
	(void)w;
	if (atomic_fetch_add(&w1_count, 1) + 1 == w1_n)
		complete(&w1_done);
}

static void child_w1(void)
{
	struct workqueue_struct *wq = alloc_workqueue("w1", 0, 0);
	struct work_struct *items = calloc(cfg.w1_items, sizeof(*items));
	double v[16];
	unsigned int i;
	int r;

	if (!wq || !items)
		abort();
	w1_n = cfg.w1_items;
	for (i = 0; i < w1_n; i++)
		INIT_WORK(&items[i], w1_fn);
	for (r = 0; r < cfg.w1_reps + 1; r++) {
		unsigned long long t0;

		atomic_store(&w1_count, 0);
		init_completion(&w1_done);
		t0 = now_ns();
		for (i = 0; i < w1_n; i++)
			if (!queue_work(wq, &items[i]))
				abort();
		wait_for_completion(&w1_done);
		if (r) /* the first is a warm-up */
			v[r - 1] = (double)(now_ns() - t0) / w1_n;
	}
	printf("RESULT w1 %s %.1f\n", mode_name(cmwq_detect_mode()),
	       median_d(v, cfg.w1_reps));
	free(items);
	if (cmwq_destroy_workqueue(wq))
		exit(1);
}

/* ---------------------------------------------------------------- */
/* parent                                                            */

static const char *const layers[] = { "perf", "proc", "off" };
#define NR_LAYERS 3

struct comp_res {
	char mode[8];
	double p50, p99, max;
	unsigned int n, uncomp, ahead;
	bool have;
};

static struct comp_res comp[NR_LAYERS][NR_KINDS];
static double w1[NR_LAYERS][16];
static char w1_mode[NR_LAYERS][8];
static int w1_nres[NR_LAYERS];
static char self_exe[4096];
static int errors;

static void run_child(int layer, const char *what)
{
	char cmd[8192], line[512];
	FILE *f;
	int status;

	snprintf(cmd, sizeof(cmd),
		 "CMWQ_DETECT=%s '%s'%s --child %s --trials %u --gap-us %u",
		 layers[layer], self_exe, cfg.quick ? " --quick" : "", what,
		 cfg.trials, cfg.gap_us);
	f = popen(cmd, "r");
	if (!f) {
		perror("popen");
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		char kname[32], mode[8];
		struct comp_res c;
		double ns;
		int k;

		if (sscanf(line, "RESULT comp %31s %7s %lf %lf %lf %u %u %u",
			   kname, mode, &c.p50, &c.p99, &c.max, &c.n, &c.uncomp,
			   &c.ahead) == 8) {
			for (k = 0; k < NR_KINDS; k++) {
				if (strcmp(kname, kind_name[k]))
					continue;
				c.have = true;
				snprintf(c.mode, sizeof(c.mode), "%s", mode);
				comp[layer][k] = c;
			}
		} else if (sscanf(line, "RESULT w1 %7s %lf", mode, &ns) == 2) {
			snprintf(w1_mode[layer], sizeof(w1_mode[layer]), "%s",
				 mode);
			if (w1_nres[layer] < 16)
				w1[layer][w1_nres[layer]++] = ns;
		} else {
			fputs(line, stdout);
		}
	}
	status = pclose(f);
	if (status) {
		fprintf(stderr,
			"detect_bench: child %s (CMWQ_DETECT=%s) "
			"failed: status %d\n",
			what, layers[layer], status);
		errors++;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: detect_bench [--quick] [--trials N] "
			"[--rounds N] [--gap-us N] [--only comp|w1]\n");
	exit(2);
}

static void print_results(void)
{
	double off_w1 = 0, perf_w1 = 0;
	int l, k;

	printf("\nCompensation: bound workqueue, CPU 0, A blocks for 2 ms "
	       "with B queued behind it; %u trials per kind, %u us apart; "
	       "latency = B start - A's block (us)\n"
	       "W1: %u items, median of %d per process, median over %d "
	       "processes per layer (alternating)\n\n",
	       cfg.trials, cfg.gap_us, cfg.w1_items, cfg.w1_reps,
	       cfg.w1_rounds);
	printf("| CMWQ_DETECT | layer in use |");
	for (k = 0; k < NR_KINDS; k++)
		printf(" %s p50 / p99 / max us |", kind_name[k]);
	printf(" W1 ns/item | W1 vs off |\n| --- | --- |");
	for (k = 0; k < NR_KINDS; k++)
		printf(" --- |");
	printf(" --- | --- |\n");
	for (l = 0; l < NR_LAYERS; l++)
		if (!strcmp(layers[l], "off") && w1_nres[l])
			off_w1 = median_d(w1[l], w1_nres[l]);
	for (l = 0; l < NR_LAYERS; l++) {
		const char *mode = comp[l][0].have ? comp[l][0].mode :
						     w1_mode[l];

		printf("| %s | %s |", layers[l], mode);
		for (k = 0; k < NR_KINDS; k++) {
			struct comp_res *c = &comp[l][k];

			if (!c->have)
				printf(" - |");
			else if (c->uncomp * 2 > c->n)
				printf(" no compensation: %.0f / %.0f / %.0f "
				       "(B waits for A) |",
				       c->p50, c->p99, c->max);
			else if (c->uncomp)
				printf(" %.1f / %.1f / %.0f (%u of %u not "
				       "compensated) |",
				       c->p50, c->p99, c->max, c->uncomp, c->n);
			else
				printf(" %.1f / %.1f / %.0f |", c->p50, c->p99,
				       c->max);
		}
		if (w1_nres[l]) {
			double m = median_d(w1[l], w1_nres[l]);

			if (!strcmp(layers[l], "perf"))
				perf_w1 = m;
			printf(" %.1f |", m);
			if (off_w1 > 0 && strcmp(layers[l], "off"))
				printf(" %+.1f%% |\n", (m / off_w1 - 1) * 100);
			else
				printf(" - |\n");
		} else {
			printf(" - | - |\n");
		}
	}
	for (l = 0; l < NR_LAYERS; l++)
		for (k = 0; k < NR_KINDS; k++)
			if (comp[l][k].ahead)
				printf("\n(%s, %s: %u trials where B started "
				       "before A blocked were left out)\n",
				       layers[l], kind_name[k],
				       comp[l][k].ahead);
	printf("\nTargets:\n");
	for (k = 0; k < NR_KINDS; k++) {
		struct comp_res *p = &comp[0][k], *q = &comp[1][k];

		if (p->have)
			printf("- %s, perf records: p50 %.1f us < 50, p99 "
			       "%.1f us < 1000: %s\n",
			       kind_name[k], p->p50, p->p99,
			       p->p50 < 50 && p->p99 < 1000 ? "met" : "MISSED");
		if (q->have)
			printf("- %s, /proc fallback: p50 %.1f us < 500: "
			       "%s\n",
			       kind_name[k], q->p50,
			       q->p50 < 500 ? "met" : "MISSED");
	}
	if (off_w1 > 0 && perf_w1 > 0)
		printf("- W1 overhead with perf detection < 5%%: %+.1f%%: "
		       "%s\n",
		       (perf_w1 / off_w1 - 1) * 100,
		       perf_w1 / off_w1 - 1 < 0.05 ? "met" : "MISSED");
}

int main(int argc, char **argv)
{
	const char *child = NULL, *only = "comp,w1";
	ssize_t len;
	int i, l, r;

	cfg.trials = 1000;
	cfg.w1_items = 1000000;
	cfg.w1_reps = 5;
	cfg.w1_rounds = 3;
	cfg.gap_us = 100;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			cfg.quick = true;
			cfg.trials = 50;
			cfg.w1_items = 100000;
			cfg.w1_reps = 1;
			cfg.w1_rounds = 1;
		} else if (!strcmp(argv[i], "--trials") && i + 1 < argc) {
			cfg.trials = (unsigned int)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--gap-us") && i + 1 < argc) {
			cfg.gap_us = (unsigned int)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			cfg.w1_rounds = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--child") && i + 1 < argc) {
			child = argv[++i];
		} else {
			usage();
		}
	}
	if (!cfg.trials || cfg.w1_rounds < 1 || cfg.w1_rounds > 16)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (child) {
		if (!strcmp(child, "comp"))
			child_comp();
		else if (!strcmp(child, "w1"))
			child_w1();
		else
			usage();
		return 0;
	}
	len = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (len <= 0)
		return 2;
	self_exe[len] = '\0';
	for (l = 0; l < NR_LAYERS && strstr(only, "comp"); l++)
		run_child(l, "comp");
	/* W1: alternate the layers so drift hits them alike. */
	for (r = 0; r < cfg.w1_rounds && strstr(only, "w1"); r++)
		for (l = 0; l < NR_LAYERS; l++)
			run_child((l + r) % NR_LAYERS, "w1");
	print_results();
	return errors ? 1 : 0;
}
