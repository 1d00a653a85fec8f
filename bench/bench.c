/* SPDX-License-Identifier: MIT */
/*
 * bench.c - workloads W1-W5 of BENCH.md for cmwq and its peers, one table
 *
 * The parent process runs every (pool, workload) case in a fresh child
 * (fork + exec of itself with --case), so thread counts and pool state do
 * not leak between cases and a peer can get its own environment (libuv reads
 * UV_THREADPOOL_SIZE once per process).  The child repeats the workload and
 * prints one line per repetition; the parent takes the medians and prints
 * the table, the idle check and the targets.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* ------------------------------------------------------------------ */
/* The pools compiled in                                               */

static const struct pool *const all_pools[] = {
#ifdef BENCH_HAVE_CMWQ
	&pool_cmwq_percpu, &pool_cmwq_unbound,
#endif
	&pool_textbook,
#ifdef BENCH_HAVE_GLIB
	&pool_glib2,	   &pool_glib_unl,
#endif
#ifdef BENCH_HAVE_UV
	&pool_uv4,	   &pool_uv2,
#endif
#ifdef BENCH_HAVE_TBB
	&pool_tbb,
#endif
#ifdef BENCH_HAVE_OMP
	&pool_omp,
#endif
};
#define NR_POOLS (sizeof(all_pools) / sizeof(all_pools[0]))

enum { W1, W2, W3, W3C, W4, W5, NR_WL };
static const char *const wl_names[NR_WL] = {
	"W1", "W2", "W3", "W3c", "W4", "W5"
};

struct config {
	unsigned int n1; /* W1 and W2 items */
	unsigned int w3_trials;
	unsigned int w3c_trials;
	unsigned int w4_tasks;
	unsigned int w5_queues;
	unsigned int w5_per_queue;
	unsigned int reps;
	int case_timeout_s;
	unsigned int w2_producers; /* W2 producer threads */
	unsigned int w4_block_us; /* W4: each item sleeps this long */
};

static const struct config full_cfg = { 1000000, 20000, 500, 400, 1000,
					10,	 5,	300, 2,	  5000 };
static const struct config quick_cfg = { 100000, 1000, 50, 100, 200,
					 10,	 1,    60, 2,	5000 };
static struct config cfg;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull),
			       (long)(ns % 1000000000ull) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static uint64_t rusage_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
		       1000000000ull +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* Futex event: the default "all done" signal. */
static atomic_uint ev_word;

static long futex(atomic_uint *uaddr, int op, unsigned int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

void ev_reset(void)
{
	atomic_store(&ev_word, 0);
}

void ev_signal(void)
{
	atomic_store(&ev_word, 1);
	futex(&ev_word, FUTEX_WAKE_PRIVATE, INT_MAX);
}

void ev_wait(void)
{
	while (!atomic_load(&ev_word))
		futex(&ev_word, FUTEX_WAIT_PRIVATE, 0);
}

/* ------------------------------------------------------------------ */
/* Child: the workloads                                                */

static const struct pool *P;
static struct task *tasks;
unsigned int bench_nr_tasks;
static atomic_ulong done_count;
static unsigned long done_target;
static atomic_uint fifo_errors;
static atomic_uint *w5_next;

static void done_reset(unsigned long target)
{
	atomic_store(&done_count, 0);
	done_target = target;
	if (P->done_reset)
		P->done_reset();
	else
		ev_reset();
}

static void done_wait(void)
{
	if (P->done_wait)
		P->done_wait();
	else
		ev_wait();
}

static inline void task_finish(void)
{
	if (atomic_fetch_add(&done_count, 1) + 1 == done_target) {
		if (P->done_signal)
			P->done_signal();
		else
			ev_signal();
	}
}

static void tasks_prepare(unsigned int n, void (*fn)(struct task *t))
{
	for (unsigned int i = 0; i < n; i++) {
		tasks[i].fn = fn;
		tasks[i].idx = i;
		if (P->prepare)
			P->prepare(&tasks[i]);
	}
}

static void thread_begin(void)
{
	if (P->thread_begin)
		P->thread_begin();
}

static void thread_end(void)
{
	if (P->thread_end)
		P->thread_end();
}

/* Thread-count sampler (W4, W5): /proc/self/status every 1 ms. */
static atomic_int sampler_stop;
static atomic_int sampler_max;
static int thread_baseline;
static pthread_t sampler_thread;

static int read_threads(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n;
	char *p;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "\nThreads:");
	return p ? atoi(p + 9) : -1;
}

static void sample_once(void)
{
	int n = read_threads();
	int m = atomic_load(&sampler_max);

	while (n > m && !atomic_compare_exchange_weak(&sampler_max, &m, n))
		;
}

static void *sampler_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&sampler_stop)) {
		sample_once();
		sleep_ns(1000000);
	}
	return NULL;
}

static void sampler_start(void)
{
	if (pthread_create(&sampler_thread, NULL, sampler_main, NULL))
		die("pthread_create");
	/* the main thread and the sampler */
	thread_baseline = 2;
}

static void sampler_stop_join(void)
{
	atomic_store(&sampler_stop, 1);
	pthread_join(sampler_thread, NULL);
}

static void peak_reset(void)
{
	atomic_store(&sampler_max, 0);
	sample_once();
}

static int peak_read(void)
{
	sample_once();
	return atomic_load(&sampler_max) - thread_baseline;
}

struct result {
	double v[3];
};

struct wl_ctx {
	int wl;
	unsigned int n;
	struct result res;
};

static void run_body(void (*body)(void *arg), void *arg)
{
	if (P->region)
		P->region(body, arg);
	else
		body(arg);
}

/* W1 */
static void count_fn(struct task *t)
{
	(void)t;
	task_finish();
}

static void w1_body(void *arg)
{
	struct wl_ctx *c = arg;
	uint64_t t0, t1;

	thread_begin();
	t0 = now_ns();
	for (unsigned int i = 0; i < c->n; i++)
		P->submit(&tasks[i]);
	thread_end();
	done_wait();
	t1 = now_ns();
	c->res.v[0] = (double)(t1 - t0) / c->n;
}

/* W2: cfg.w2_producers threads, producer k submits items [lo, hi). */
#define W2_MAX_PRODUCERS 64
static unsigned int w2_n;

static void w2_producer(int k)
{
	uint64_t np = cfg.w2_producers;
	unsigned int lo = (unsigned int)((uint64_t)w2_n * (unsigned int)k / np);
	unsigned int hi =
		(unsigned int)((uint64_t)w2_n * ((unsigned int)k + 1) / np);

	thread_begin();
	for (unsigned int i = lo; i < hi; i++)
		P->submit(&tasks[i]);
	thread_end();
}

static void *w2_thread(void *arg)
{
	w2_producer((int)(intptr_t)arg);
	return NULL;
}

static void w2_default(void (*prod)(int k))
{
	pthread_t th[W2_MAX_PRODUCERS];
	int np = (int)cfg.w2_producers;

	(void)prod;
	for (int k = 0; k < np; k++)
		if (pthread_create(&th[k], NULL, w2_thread,
				   (void *)(intptr_t)k))
			die("pthread_create");
	done_wait();
	for (int k = 0; k < np; k++)
		pthread_join(th[k], NULL);
}

static void w2_run(struct wl_ctx *c)
{
	uint64_t t0, t1;

	w2_n = c->n;
	t0 = now_ns();
	/*
	 * A pool's own hook runs exactly two producers, prod(0) and prod(1)
	 * (OpenMP: a team of two): it is used only for the default of two;
	 * for another --producers the pool gets the default pthread producers.
	 */
	if (P->w2_producers && cfg.w2_producers == 2) {
		P->w2_producers(w2_producer);
		done_wait();
	} else {
		w2_default(w2_producer);
	}
	t1 = now_ns();
	c->res.v[0] = (double)(t1 - t0) / w2_n;
}

/* W3 and W3c */
static uint64_t *lat;
static uint64_t w3_gap_ns;

static void w3_fn(struct task *t)
{
	t->start = now_ns();
	task_finish();
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

#define W3_WARMUP 50

static void w3_body(void *arg)
{
	struct wl_ctx *c = arg;
	uint64_t w0 = 0, w1, c0 = 0, c1;

	thread_begin();
	for (unsigned int i = 0; i < c->n + W3_WARMUP; i++) {
		struct task *t = &tasks[i];
		uint64_t t0;

		if (i == W3_WARMUP) {
			w0 = now_ns();
			c0 = rusage_cpu_ns();
		}
		done_reset(1);
		t0 = now_ns();
		if (P->submit_one)
			P->submit_one(t);
		else
			P->submit(t);
		done_wait();
		if (i >= W3_WARMUP)
			lat[i - W3_WARMUP] = t->start - t0;
		sleep_ns(w3_gap_ns);
	}
	w1 = now_ns();
	c1 = rusage_cpu_ns();
	thread_end();
	qsort(lat, c->n, sizeof(*lat), cmp_u64);
	c->res.v[0] = lat[c->n / 2] / 1000.0;
	c->res.v[1] = lat[(unsigned long)c->n * 99 / 100] / 1000.0;
	c->res.v[2] = (double)(c1 - c0) / (double)(w1 - w0);
}

/* W4: each item sleeps cfg.w4_block_us (5 ms by default), then 0.5 ms CPU */
static void w4_fn(struct task *t)
{
	uint64_t c0;

	(void)t;
	sleep_ns((uint64_t)cfg.w4_block_us * 1000);
	c0 = thread_cpu_ns();
	while (thread_cpu_ns() - c0 < 500000)
		;
	task_finish();
}

static void w4_body(void *arg)
{
	struct wl_ctx *c = arg;
	uint64_t t0, t1;

	thread_begin();
	t0 = now_ns();
	for (unsigned int i = 0; i < c->n; i++)
		P->submit(&tasks[i]);
	thread_end();
	done_wait();
	t1 = now_ns();
	c->res.v[0] = (t1 - t0) / 1e6;
}

/* W5 */
static void w5_fn(struct task *t)
{
	unsigned int expect =
		atomic_load_explicit(&w5_next[t->q], memory_order_relaxed);

	if (expect != t->seq)
		atomic_fetch_add(&fifo_errors, 1);
	atomic_store_explicit(&w5_next[t->q], t->seq + 1, memory_order_relaxed);
	task_finish();
}

static void w5_run(struct wl_ctx *c)
{
	unsigned int nq = cfg.w5_queues, per = cfg.w5_per_queue;
	struct squeue **qs = calloc(nq, sizeof(*qs));
	uint64_t t0, t1;

	if (!qs)
		die("calloc");
	for (unsigned int q = 0; q < nq; q++)
		atomic_store(&w5_next[q], 0);
	for (unsigned int r = 0; r < per; r++)
		for (unsigned int q = 0; q < nq; q++) {
			struct task *t = &tasks[r * nq + q];

			t->q = q;
			t->seq = r;
		}
	peak_reset();
	t0 = now_ns();
	for (unsigned int q = 0; q < nq; q++) {
		qs[q] = P->sq_create((int)q);
		if (!qs[q]) {
			fprintf(stderr, "%s: cannot create serial queue %u\n",
				P->id, q);
			exit(2);
		}
	}
	thread_begin();
	for (unsigned int r = 0; r < per; r++)
		for (unsigned int q = 0; q < nq; q++)
			P->sq_submit(qs[q], &tasks[r * nq + q]);
	thread_end();
	done_wait();
	t1 = now_ns();
	c->res.v[0] = (t1 - t0) / 1e6;
	c->res.v[1] = peak_read();
	for (unsigned int q = 0; q < nq; q++)
		P->sq_destroy(qs[q]);
	free(qs);
}

static const struct pool *find_pool(const char *id)
{
	for (size_t i = 0; i < NR_POOLS; i++)
		if (!strcmp(all_pools[i]->id, id))
			return all_pools[i];
	return NULL;
}

static int find_wl(const char *name)
{
	for (int w = 0; w < NR_WL; w++)
		if (!strcasecmp(wl_names[w], name))
			return w;
	return -1;
}

static unsigned int items_for(const struct pool *p, int wl)
{
	switch (wl) {
	case W1:
	case W2:
		return p->flags & POOL_SLOW_SUBMIT ? cfg.n1 / 10 : cfg.n1;
	case W3:
		return cfg.w3_trials;
	case W3C:
		return cfg.w3c_trials;
	case W4:
		return cfg.w4_tasks;
	default:
		return cfg.w5_queues * cfg.w5_per_queue;
	}
}

static bool pool_can(const struct pool *p, int wl)
{
	if (wl == W5)
		return p->sq_create && !(p->flags & POOL_NO_W5);
	return true;
}

static int child_case(const char *pool_id, const char *wl_name)
{
	int wl = find_wl(wl_name);
	struct wl_ctx c = { 0 };

	P = find_pool(pool_id);
	if (!P || wl < 0) {
		fprintf(stderr, "unknown case %s %s\n", pool_id, wl_name);
		return 2;
	}
	if (!pool_can(P, wl)) {
		printf("NA\n");
		return 0;
	}
	bench_nr_tasks = cfg.n1 > 30000 ? cfg.n1 : 30000;
	if (bench_nr_tasks < cfg.w5_queues * cfg.w5_per_queue)
		bench_nr_tasks = cfg.w5_queues * cfg.w5_per_queue;
	tasks = calloc(bench_nr_tasks, sizeof(*tasks));
	lat = calloc(cfg.w3_trials + 1, sizeof(*lat));
	w5_next = calloc(cfg.w5_queues, sizeof(*w5_next));
	if (!tasks || !lat || !w5_next)
		die("calloc");
	if (wl == W4 || wl == W5)
		sampler_start();
	if (P->init() < 0) {
		fprintf(stderr, "%s: init failed\n", P->id);
		return 2;
	}
	c.wl = wl;
	c.n = items_for(P, wl);
	for (unsigned int rep = 0; rep < cfg.reps; rep++) {
		memset(&c.res, 0, sizeof(c.res));
		switch (wl) {
		case W1:
			tasks_prepare(c.n, count_fn);
			done_reset(c.n);
			run_body(w1_body, &c);
			break;
		case W2:
			tasks_prepare(c.n, count_fn);
			done_reset(c.n);
			w2_run(&c);
			break;
		case W3:
		case W3C:
			w3_gap_ns = wl == W3 ? 50000 : 2000000;
			tasks_prepare(c.n + W3_WARMUP, w3_fn);
			run_body(w3_body, &c);
			break;
		case W4:
			tasks_prepare(c.n, w4_fn);
			done_reset(c.n);
			peak_reset();
			run_body(w4_body, &c);
			c.res.v[1] = peak_read();
			break;
		case W5:
			tasks_prepare(c.n, w5_fn);
			done_reset(c.n);
			w5_run(&c);
			break;
		}
		printf("R %.6g %.6g %.6g %u\n", c.res.v[0], c.res.v[1],
		       c.res.v[2], atomic_load(&fifo_errors));
		fflush(stdout);
	}
	if (P->fini)
		P->fini();
	if (wl == W4 || wl == W5)
		sampler_stop_join();
	return 0;
}

/* ------------------------------------------------------------------ */
/* Idle check: CPU time and context switches of every thread           */

struct tstat {
	int tid;
	uint64_t cpu_ns;
	uint64_t switches;
};

#define MAX_TSTAT 4096

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int snapshot(struct tstat *out)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0, self = (int)getpid();
	char path[64], buf[4096];

	if (!d)
		die("opendir");
	while ((e = readdir(d)) && n < MAX_TSTAT) {
		int tid = atoi(e->d_name);
		char *p;

		if (tid <= 0 || tid == self)
			continue;
		out[n].tid = tid;
		out[n].cpu_ns = 0;
		out[n].switches = 0;
		snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat",
			 tid);
		if (!read_file(path, buf, sizeof(buf)))
			out[n].cpu_ns = strtoull(buf, NULL, 10);
		snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
		if (!read_file(path, buf, sizeof(buf))) {
			p = strstr(buf, "voluntary_ctxt_switches:");
			if (p)
				out[n].switches += strtoull(p + 24, NULL, 10);
			p = strstr(buf, "nonvoluntary_ctxt_switches:");
			if (p)
				out[n].switches += strtoull(p + 27, NULL, 10);
		}
		n++;
	}
	closedir(d);
	return n;
}

static void snap_delta(const struct tstat *a, int na, const struct tstat *b,
		       int nb, uint64_t *cpu, uint64_t *sw)
{
	*cpu = 0;
	*sw = 0;
	for (int i = 0; i < nb; i++) {
		uint64_t c0 = 0, s0 = 0;

		for (int j = 0; j < na; j++)
			if (a[j].tid == b[i].tid) {
				c0 = a[j].cpu_ns;
				s0 = a[j].switches;
				break;
			}
		*cpu += b[i].cpu_ns - c0;
		*sw += b[i].switches - s0;
	}
}

static int child_idle(const char *pool_id)
{
	static struct tstat s0[MAX_TSTAT], s1[MAX_TSTAT], s2[MAX_TSTAT];
	uint64_t cpu1, sw1, cpu2, sw2;
	struct wl_ctx c = { 0 };
	int n0, n1, n2;

	P = find_pool(pool_id);
	if (!P) {
		fprintf(stderr, "unknown pool %s\n", pool_id);
		return 2;
	}
	bench_nr_tasks = 20000;
	tasks = calloc(bench_nr_tasks, sizeof(*tasks));
	if (!tasks)
		die("calloc");
	if (P->init() < 0)
		return 2;
	/* some work first: a burst of empty items, then blocking ones */
	c.n = 10000;
	tasks_prepare(c.n, count_fn);
	done_reset(c.n);
	run_body(w1_body, &c);
	c.n = 40;
	tasks_prepare(c.n, w4_fn);
	done_reset(c.n);
	run_body(w4_body, &c);

	n0 = snapshot(s0);
	sleep_ns(1000000000ull);
	n1 = snapshot(s1);
	sleep_ns(1000000000ull);
	n2 = snapshot(s2);
	snap_delta(s0, n0, s1, n1, &cpu1, &sw1);
	snap_delta(s1, n1, s2, n2, &cpu2, &sw2);
	printf("I %d %d %.3f %llu %.3f %llu\n", n0, n2, cpu1 / 1e6,
	       (unsigned long long)sw1, cpu2 / 1e6, (unsigned long long)sw2);
	fflush(stdout);
	if (P->fini)
		P->fini();
	return 0;
}

/* ------------------------------------------------------------------ */
/* Parent: run the cases, print the table                              */

#define MAX_REPS 32

struct cell {
	int state; /* 0 not run, 1 ok, 2 n/a, 3 failed, 4 timeout */
	int nreps;
	double v[MAX_REPS][3];
	unsigned int fifo_errors;
	double med[3];
};

static struct cell cells[NR_POOLS][NR_WL];
static bool quick;
static const char *self_exe;

struct idle_res {
	int state;
	int threads0, threads2;
	double cpu1_ms, cpu2_ms;
	unsigned long long sw1, sw2;
};
static struct idle_res idle[NR_POOLS];

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Run one child; its stdout is returned in @out (NUL-terminated). */
static int spawn(const struct pool *p, char *const argv[], char *out,
		 size_t outlen, int timeout_s)
{
	int fds[2], status;
	size_t used = 0;
	uint64_t deadline = now_ns() + (uint64_t)timeout_s * 1000000000ull;
	pid_t pid;
	bool timed_out = false;

	if (pipe2(fds, O_CLOEXEC))
		die("pipe");
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], 1);
		unsetenv("UV_THREADPOOL_SIZE");
		if (p->env)
			putenv((char *)p->env);
		execv(self_exe, argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		int64_t left = (int64_t)(deadline - now_ns()) / 1000000;
		ssize_t n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			timed_out = true;
			break;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fds[0], out + used, outlen - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used >= outlen - 1)
			break;
	}
	out[used] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (timed_out)
		return 4;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 3;
	return 1;
}

/*
 * --items, --queues, --producers and --block-us, when given: the children
 * get them too.
 */
static unsigned int opt_items, opt_queues, opt_producers, opt_block_us;

static void run_case(size_t pi, int wl)
{
	const struct pool *p = all_pools[pi];
	struct cell *c = &cells[pi][wl];
	char reps[16], items[16], queues[16], producers[16], block_us[16];
	char out[8192];
	/* 6 fixed, --quick, 4 options with a value each, NULL: 16 */
	char *argv[16] = { (char *)self_exe, "--case", (char *)p->id,
			   (char *)wl_names[wl], "--reps", reps };
	int argn = 6;
	char *line, *save;

	if (quick)
		argv[argn++] = "--quick";
	if (opt_items) {
		snprintf(items, sizeof(items), "%u", opt_items);
		argv[argn++] = "--items";
		argv[argn++] = items;
	}
	if (opt_queues) {
		snprintf(queues, sizeof(queues), "%u", opt_queues);
		argv[argn++] = "--queues";
		argv[argn++] = queues;
	}
	if (opt_producers) {
		snprintf(producers, sizeof(producers), "%u", opt_producers);
		argv[argn++] = "--producers";
		argv[argn++] = producers;
	}
	if (opt_block_us) {
		snprintf(block_us, sizeof(block_us), "%u", opt_block_us);
		argv[argn++] = "--block-us";
		argv[argn++] = block_us;
	}
	argv[argn] = NULL;

	if (!pool_can(p, wl)) {
		c->state = 2;
		return;
	}
	snprintf(reps, sizeof(reps), "%u", cfg.reps);
	fprintf(stderr, "%-14s %-4s ", p->id, wl_names[wl]);
	c->state = spawn(p, argv, out, sizeof(out), cfg.case_timeout_s);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		double a, b, d;
		unsigned int e;

		if (sscanf(line, "R %lf %lf %lf %u", &a, &b, &d, &e) == 4 &&
		    c->nreps < MAX_REPS) {
			c->v[c->nreps][0] = a;
			c->v[c->nreps][1] = b;
			c->v[c->nreps][2] = d;
			c->fifo_errors = e;
			c->nreps++;
		} else if (!strcmp(line, "NA")) {
			c->state = 2;
		}
	}
	if (c->state == 1 && !c->nreps)
		c->state = 3;
	for (int k = 0; k < 3 && c->nreps; k++) {
		double tmp[MAX_REPS];

		for (int r = 0; r < c->nreps; r++)
			tmp[r] = c->v[r][k];
		qsort(tmp, (size_t)c->nreps, sizeof(double), cmp_dbl);
		c->med[k] =
			c->nreps % 2 ?
				tmp[c->nreps / 2] :
				(tmp[c->nreps / 2 - 1] + tmp[c->nreps / 2]) / 2;
	}
	if (c->state == 1)
		fprintf(stderr, "%.4g %.4g %.4g (%d reps)\n", c->med[0],
			c->med[1], c->med[2], c->nreps);
	else
		fprintf(stderr, "%s\n",
			c->state == 2 ? "n/a" :
			c->state == 4 ? "TIMEOUT" :
					"FAILED");
}

static void run_idle(size_t pi)
{
	const struct pool *p = all_pools[pi];
	struct idle_res *r = &idle[pi];
	char out[1024];
	char *argv[] = { (char *)self_exe, "--idle-case", (char *)p->id, NULL };
	char *line;

	fprintf(stderr, "%-14s idle ", p->id);
	r->state = spawn(p, argv, out, sizeof(out), 60);
	line = strstr(out, "I ");
	if (r->state == 1 && line &&
	    sscanf(line, "I %d %d %lf %llu %lf %llu", &r->threads0,
		   &r->threads2, &r->cpu1_ms, &r->sw1, &r->cpu2_ms,
		   &r->sw2) == 6)
		fprintf(stderr, "%.3f ms %llu sw, then %.3f ms %llu sw\n",
			r->cpu1_ms, r->sw1, r->cpu2_ms, r->sw2);
	else {
		r->state = r->state == 1 ? 3 : r->state;
		fprintf(stderr, "FAILED\n");
	}
}

static const char *fmt_cell(size_t pi, int wl, char *buf, size_t len)
{
	const struct cell *c = &cells[pi][wl];

	switch (c->state) {
	case 0:
		return "";
	case 2:
		return "n/a";
	case 3:
		return "FAILED";
	case 4:
		return "TIMEOUT";
	}
	switch (wl) {
	case W1:
	case W2:
		snprintf(buf, len, "%.0f%s", c->med[0],
			 all_pools[pi]->flags & POOL_SLOW_SUBMIT ? " (1e5)" :
								   "");
		break;
	case W3:
		snprintf(buf, len, "%.1f / %.0f", c->med[0], c->med[1]);
		break;
	case W3C:
		snprintf(buf, len, "%.1f", c->med[0]);
		break;
	case W4:
	case W5:
		snprintf(buf, len, "%.1f / %.0f%s", c->med[0], c->med[1],
			 c->fifo_errors ? " FIFO-ERR" : "");
		break;
	}
	return buf;
}

static bool selected(const char *id, const char *only)
{
	char list[256], *tok, *save;

	if (!only)
		return true;
	snprintf(list, sizeof(list), "%s", only);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!strncmp(id, tok, strlen(tok)))
			return true;
	return false;
}

static bool ok(size_t pi, int wl)
{
	return cells[pi][wl].state == 1;
}

/* Best (lowest) median of column @k of @wl among non-cmwq pools. */
static int best_peer(int wl, int k, bool sleeping_only)
{
	int best = -1;

	for (size_t i = 0; i < NR_POOLS; i++) {
		const struct pool *p = all_pools[i];

		if ((p->flags & POOL_CMWQ) || !ok(i, wl))
			continue;
		if (sleeping_only && (p->flags & POOL_SPINS))
			continue;
		if (best < 0 || cells[i][wl].med[k] < cells[best][wl].med[k])
			best = (int)i;
	}
	return best;
}

static const char *yes(bool b)
{
	return b ? "met" : "MISSED";
}

static void print_targets(bool did_idle, const char *only)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);

	printf("\n## Targets (computed from this run)\n\n");
	for (size_t i = 0; i < NR_POOLS; i++) {
		const struct pool *p = all_pools[i];
		int b;

		if (!(p->flags & POOL_CMWQ) || !selected(p->id, only))
			continue;
		printf("%s:\n", p->label);
		b = best_peer(W1, 0, false);
		if (ok(i, W1) && b >= 0) {
			double r = cells[i][W1].med[0] / cells[b][W1].med[0];

			printf("- W1: %.0f ns vs best peer %s %.0f ns: ratio %.2f (target <= 0.50): %s\n",
			       cells[i][W1].med[0], all_pools[b]->id,
			       cells[b][W1].med[0], r, yes(r <= 0.5));
		}
		b = best_peer(W2, 0, false);
		if (ok(i, W2) && b >= 0) {
			double r = cells[i][W2].med[0] / cells[b][W2].med[0];

			printf("- W2: %.0f ns vs best peer %s %.0f ns: ratio %.2f (target <= 1.00): %s\n",
			       cells[i][W2].med[0], all_pools[b]->id,
			       cells[b][W2].med[0], r, yes(r <= 1.0));
		}
		if (ok(i, W3)) {
			double cpu_max = 0;

			for (size_t j = 0; j < NR_POOLS; j++)
				if (!(all_pools[j]->flags &
				      (POOL_CMWQ | POOL_SPINS)) &&
				    ok(j, W3) && cells[j][W3].med[2] > cpu_max)
					cpu_max = cells[j][W3].med[2];
			printf("- W3: p50 %.2f us (target < 3): %s; ",
			       cells[i][W3].med[0],
			       yes(cells[i][W3].med[0] < 3.0));
			if (cpu_max > 0)
				printf("CPU %.2f cores vs sleeping peers up to %.2f (target: their level, <= max + 0.05): %s\n",
				       cells[i][W3].med[2], cpu_max,
				       yes(cells[i][W3].med[2] <=
					   cpu_max + 0.05));
			else
				printf("CPU %.2f cores (no sleeping peer run)\n",
				       cells[i][W3].med[2]);
		}
		if (ok(i, W5)) {
			const size_t uv = NR_POOLS;
			size_t u = uv;

			for (size_t j = 0; j < NR_POOLS; j++)
				if (!strcmp(all_pools[j]->id, "uv4") &&
				    ok(j, W5))
					u = j;
			if (u != uv)
				printf("- W5: %.1f ms vs libuv (4 threads) %.1f ms (target <=): %s; ",
				       cells[i][W5].med[0], cells[u][W5].med[0],
				       yes(cells[i][W5].med[0] <=
					   cells[u][W5].med[0]));
			else
				printf("- W5: %.1f ms (libuv not run); ",
				       cells[i][W5].med[0]);
			printf("peak threads %.0f (target <= 2 x %d + 4 = %d): %s\n",
			       cells[i][W5].med[1], ncpu, 2 * ncpu + 4,
			       yes(cells[i][W5].med[1] <= 2 * ncpu + 4));
			if (cells[i][W5].fifo_errors)
				printf("- W5: %u FIFO ORDER ERRORS\n",
				       cells[i][W5].fifo_errors);
		}
		if (did_idle && idle[i].state == 1)
			printf("- idle: second 1 after work %.3f ms CPU, %llu switches; second 2: %.3f ms CPU, %llu switches (target 0): %s\n",
			       idle[i].cpu1_ms, idle[i].sw1, idle[i].cpu2_ms,
			       idle[i].sw2,
			       yes(idle[i].cpu2_ms == 0 && idle[i].sw2 == 0));
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: cmwq-bench [--quick] [--reps N] [--only ID,...] [--workloads W1,W3,...]\n"
		"                  [--items N] [--queues N] [--producers N] [--block-us N]\n"
		"                  [--no-idle | --idle-only] [--list]\n"
		"  --items N      W1 and W2 items (100 to 10000000)\n"
		"  --queues N     W5 workqueues (10 to 100000)\n"
		"  --producers N  W2 producer threads (1 to 64, default 2)\n"
		"  --block-us N   W4 item's sleep in us (10 to 1000000, default 5000)\n"
		"pools:");
	for (size_t i = 0; i < NR_POOLS; i++)
		fprintf(stderr, " %s", all_pools[i]->id);
	fprintf(stderr, "\nworkloads: W1 W2 W3 W3c W4 W5\n");
}

/* @s as a whole number in [@lo, @hi], or exit 2 naming @opt. */
static unsigned int parse_count(const char *opt, const char *s,
				unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi) {
		fprintf(stderr, "cmwq-bench: %s %s: not a whole number from "
				"%lu to %lu\n", opt, s, lo, hi);
		exit(2);
	}
	return (unsigned int)v;
}

int main(int argc, char **argv)
{
	const char *only = NULL, *wls = NULL;
	const char *case_pool = NULL, *case_wl = NULL, *idle_pool = NULL;
	bool do_idle = true, idle_only = false;
	int reps = -1, nsel = 0;
	bool wl_sel[NR_WL];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = true;
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--workloads") && i + 1 < argc) {
			wls = argv[++i];
		} else if (!strcmp(argv[i], "--items") && i + 1 < argc) {
			opt_items = parse_count("--items", argv[++i], 100,
						10000000);
		} else if (!strcmp(argv[i], "--queues") && i + 1 < argc) {
			opt_queues = parse_count("--queues", argv[++i], 10,
						 100000);
		} else if (!strcmp(argv[i], "--producers") && i + 1 < argc) {
			opt_producers = parse_count("--producers", argv[++i], 1,
						    W2_MAX_PRODUCERS);
		} else if (!strcmp(argv[i], "--block-us") && i + 1 < argc) {
			opt_block_us = parse_count("--block-us", argv[++i], 10,
						   1000000);
		} else if (!strcmp(argv[i], "--no-idle")) {
			do_idle = false;
		} else if (!strcmp(argv[i], "--idle-only")) {
			idle_only = true;
		} else if (!strcmp(argv[i], "--case") && i + 2 < argc) {
			case_pool = argv[++i];
			case_wl = argv[++i];
		} else if (!strcmp(argv[i], "--idle-case") && i + 1 < argc) {
			idle_pool = argv[++i];
		} else if (!strcmp(argv[i], "--list")) {
			for (size_t k = 0; k < NR_POOLS; k++)
				printf("%-14s %s\n", all_pools[k]->id,
				       all_pools[k]->label);
			return 0;
		} else {
			usage();
			return 2;
		}
	}
	cfg = quick ? quick_cfg : full_cfg;
	if (opt_items)
		cfg.n1 = opt_items;
	if (opt_queues)
		cfg.w5_queues = opt_queues;
	if (opt_producers)
		cfg.w2_producers = opt_producers;
	if (opt_block_us)
		cfg.w4_block_us = opt_block_us;
	if (reps > 0)
		cfg.reps = reps > MAX_REPS ? MAX_REPS : (unsigned int)reps;
	if (case_pool)
		return child_case(case_pool, case_wl);
	if (idle_pool)
		return child_idle(idle_pool);

	self_exe = "/proc/self/exe";
	{
		static char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (n > 0) {
			exe[n] = 0;
			self_exe = exe;
		}
	}
	for (int w = 0; w < NR_WL; w++)
		wl_sel[w] = !wls || strcasestr(wls, wl_names[w]) != NULL;
	/* "W3" also matches "W3c": be exact */
	if (wls) {
		char list[128], *tok, *save;

		memset(wl_sel, 0, sizeof(wl_sel));
		snprintf(list, sizeof(list), "%s", wls);
		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			if (find_wl(tok) >= 0)
				wl_sel[find_wl(tok)] = true;
	}
	for (size_t i = 0; i < NR_POOLS; i++)
		nsel += selected(all_pools[i]->id, only);
	if (!nsel) {
		usage();
		return 2;
	}
	if (!idle_only)
		for (int w = 0; w < NR_WL; w++)
			for (size_t i = 0; i < NR_POOLS && wl_sel[w]; i++)
				if (selected(all_pools[i]->id, only))
					run_case(i, w);
	if (do_idle || idle_only)
		for (size_t i = 0; i < NR_POOLS; i++)
			if (selected(all_pools[i]->id, only))
				run_idle(i);

	if (!idle_only) {
		printf("\n| pool | W1 ns/task | W2 ns/task | W3 p50 / p99 us | W3 CPU (cores) | W3c p50 us | W4 ms / peak threads | W5 ms / peak threads |\n");
		printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
		for (size_t i = 0; i < NR_POOLS; i++) {
			char b[6][64];
			char cpu[32] = "";

			if (!selected(all_pools[i]->id, only))
				continue;
			if (ok(i, W3))
				snprintf(cpu, sizeof(cpu), "%.2f",
					 cells[i][W3].med[2]);
			else
				snprintf(cpu, sizeof(cpu), "%s",
					 fmt_cell(i, W3, b[5], 64));
			printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			       all_pools[i]->label, fmt_cell(i, W1, b[0], 64),
			       fmt_cell(i, W2, b[1], 64),
			       fmt_cell(i, W3, b[2], 64), cpu,
			       fmt_cell(i, W3C, b[3], 64),
			       fmt_cell(i, W4, b[4], 64),
			       fmt_cell(i, W5, b[5], 64));
		}
		printf("\n%u repetitions per case, median; W1/W2 %u items; W2 %u producers; W3 %u trials, W3c %u; W4 %u tasks of %u us sleep + 500 us CPU; W5 %u queues x %u\n",
		       cfg.reps, cfg.n1, cfg.w2_producers, cfg.w3_trials,
		       cfg.w3c_trials, cfg.w4_tasks, cfg.w4_block_us,
		       cfg.w5_queues, cfg.w5_per_queue);
	}
	if (do_idle || idle_only) {
		printf("\n## Idle: CPU of the pool's threads after its work is done\n\n");
		printf("| pool | threads | second 1: CPU ms / switches | second 2: CPU ms / switches |\n");
		printf("| --- | --- | --- | --- |\n");
		for (size_t i = 0; i < NR_POOLS; i++) {
			const struct idle_res *r = &idle[i];

			if (!selected(all_pools[i]->id, only))
				continue;
			if (r->state != 1) {
				printf("| %s | FAILED | | |\n",
				       all_pools[i]->label);
				continue;
			}
			printf("| %s | %d -> %d | %.3f / %llu | %.3f / %llu |\n",
			       all_pools[i]->label, r->threads0, r->threads2,
			       r->cpu1_ms, r->sw1, r->cpu2_ms, r->sw2);
		}
	}
	print_targets(do_idle || idle_only, only);

	/* exit status: 1 if any case failed or timed out */
	for (size_t i = 0; i < NR_POOLS; i++) {
		for (int w = 0; w < NR_WL; w++)
			if (cells[i][w].state >= 3 || cells[i][w].fifo_errors)
				return 1;
		if (idle[i].state >= 3)
			return 1;
	}
	return 0;
}
