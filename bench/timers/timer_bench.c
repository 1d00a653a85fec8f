/* SPDX-License-Identifier: MIT */
/*
 * timer_bench.c - delayed work on cmwq's timer service against libuv
 * timers, GLib timeouts and one timerfd per timer
 *
 *   arm+cancel  the cost of arming a timer far in the future and cancelling
 *               it: queue_delayed_work + cancel_delayed_work,
 *               uv_timer_start + uv_timer_stop, g_timeout_add +
 *               g_source_remove, timerfd_settime twice.  With one timer
 *               outstanding (arm, cancel, next) and with a batch of 1000
 *               (arm all, cancel all); one thread, and two threads with
 *               their own timers (libuv: one loop per thread).
 *   lateness    10,000 timers armed at once with delays of 1-100 ms (whole
 *               milliseconds, seeded): start of the callback minus (clock
 *               read just before arming + delay).  Armed longest first, so
 *               that no event loop is held up by the arming itself.
 *               cmwq runs on a bound workqueue (the kernel's default) and
 *               on a WQ_UNBOUND one.  "sleep loop (floor)" is no timer
 *               service: one thread sleeping to each deadline in turn,
 *               what the machine allows.
 *   idle        with nothing armed, how often the process's threads (all
 *               but the one that measures) are switched in over 10 s, from
 *               /proc/self/task/STAR/status.
 *
 * Prints one table.  --quick is a smoke run of a few seconds; it checks
 * that every timer behaved (ran once, or never when cancelled) and never
 * judges the figures.
 */
#define _GNU_SOURCE
#include <cmwq.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#ifdef TB_HAVE_UV
#include <uv.h>
#endif
#ifdef TB_HAVE_GLIB
#include <glib.h>
#endif

#include "bench_util.h"

enum { P_CMWQ, P_CMWQU, P_UV, P_GLIB, P_TFD, P_FLOOR, NR_PEERS };
static const char *const peer_name[NR_PEERS] = {
	"cmwq", "cmwq WQ_UNBOUND", "libuv",
	"GLib", "timerfd",	   "sleep loop (floor)",
};
static bool peer_have[NR_PEERS] = {
	true, true,
#ifdef TB_HAVE_UV
	true,
#else
	false,
#endif
#ifdef TB_HAVE_GLIB
	true,
#else
	false,
#endif
	true, true,
};

/* Rows of the table. */
enum {
	R_ONE, /* arm+cancel, 1 thread, 1 outstanding */
	R_BATCH, /* arm+cancel, 1 thread, batch */
	R_TWO, /* arm+cancel, 2 threads, batch each */
	R_P50,
	R_P99,
	R_MAX,
	R_EARLY,
	R_IDLE,
	NR_ROWS
};

#define MAXREPS 15
struct cell {
	double v[MAXREPS];
	int n;
};

static struct cell cells[NR_ROWS][NR_PEERS];
static int errors;

static struct {
	bool quick;
	int reps;
	unsigned int batch; /* timers per arm+cancel batch */
	unsigned int rounds; /* batches per measurement */
	unsigned int nlate; /* timers of the lateness run */
	unsigned int max_delay_ms;
	unsigned int idle_s;
	unsigned long long seed;
	bool do_arm, do_late, do_idle;
} cfg;

static void record(int row, int peer, double v)
{
	struct cell *c = &cells[row][peer];

	if (c->n < MAXREPS)
		c->v[c->n++] = v;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static double median(struct cell *c)
{
	double tmp[MAXREPS];

	memcpy(tmp, c->v, sizeof(double) * (size_t)c->n);
	qsort(tmp, (size_t)c->n, sizeof(double), cmp_double);
	return c->n % 2 ? tmp[c->n / 2] :
			  (tmp[c->n / 2 - 1] + tmp[c->n / 2]) / 2;
}

static double cell_max(struct cell *c)
{
	double m = c->v[0];
	int i;

	for (i = 1; i < c->n; i++)
		if (c->v[i] > m)
			m = c->v[i];
	return m;
}

static void fail(const char *what)
{
	fprintf(stderr, "timer_bench: %s\n", what);
	errors++;
}

/* ---------------------------------------------------------------- */
/* arm+cancel                                                        */

#define FAR_MS 100000u /* 100 s: never reached */

static atomic_int cmwq_unexpected; /* far timers that ran */
static struct workqueue_struct *bench_wq, *bench_uwq;

static void never_fn(struct work_struct *w)
{
	(void)w;
	atomic_fetch_add(&cmwq_unexpected, 1);
}

/* One thread's timers for an arm+cancel measurement. */
struct armset {
	int peer;
	bool one; /* one outstanding, else a batch */
	unsigned long long ns; /* elapsed */
	long bad; /* calls that did not return what they must */
	struct delayed_work *dw;
	int *fds;
#ifdef TB_HAVE_UV
	uv_loop_t loop;
	uv_timer_t *uvt;
#endif
	unsigned int *gids;
	pthread_barrier_t *bar;
};

static void cmwq_arm_cancel(struct armset *s)
{
	unsigned int r, i, n = cfg.batch;
	long bad = 0;
	unsigned long long t0 = now_ns();

	for (r = 0; r < cfg.rounds; r++) {
		if (s->one) {
			for (i = 0; i < n; i++) {
				bad += !queue_delayed_work(bench_wq, &s->dw[i],
							   FAR_MS);
				bad += !cancel_delayed_work(&s->dw[i]);
			}
		} else {
			for (i = 0; i < n; i++)
				bad += !queue_delayed_work(bench_wq, &s->dw[i],
							   FAR_MS);
			for (i = 0; i < n; i++)
				bad += !cancel_delayed_work(&s->dw[i]);
		}
	}
	s->ns = now_ns() - t0;
	s->bad = bad;
}

static void tfd_arm_cancel(struct armset *s)
{
	struct itimerspec on = { { 0, 0 }, { FAR_MS / 1000, 0 } }, off;
	unsigned int r, i, n = cfg.batch;
	long bad = 0;
	unsigned long long t0;

	memset(&off, 0, sizeof(off));
	t0 = now_ns();
	for (r = 0; r < cfg.rounds; r++) {
		if (s->one) {
			for (i = 0; i < n; i++) {
				bad += timerfd_settime(s->fds[i], 0, &on,
						       NULL) != 0;
				bad += timerfd_settime(s->fds[i], 0, &off,
						       NULL) != 0;
			}
		} else {
			for (i = 0; i < n; i++)
				bad += timerfd_settime(s->fds[i], 0, &on,
						       NULL) != 0;
			for (i = 0; i < n; i++)
				bad += timerfd_settime(s->fds[i], 0, &off,
						       NULL) != 0;
		}
	}
	s->ns = now_ns() - t0;
	s->bad = bad;
}

#ifdef TB_HAVE_UV
static void uv_never_cb(uv_timer_t *t)
{
	(void)t;
	atomic_fetch_add(&cmwq_unexpected, 1000000);
}

static void uv_arm_cancel(struct armset *s)
{
	unsigned int r, i, n = cfg.batch;
	long bad = 0;
	unsigned long long t0;

	uv_update_time(&s->loop);
	t0 = now_ns();
	for (r = 0; r < cfg.rounds; r++) {
		if (s->one) {
			for (i = 0; i < n; i++) {
				bad += uv_timer_start(&s->uvt[i], uv_never_cb,
						      FAR_MS, 0) != 0;
				bad += uv_timer_stop(&s->uvt[i]) != 0;
			}
		} else {
			for (i = 0; i < n; i++)
				bad += uv_timer_start(&s->uvt[i], uv_never_cb,
						      FAR_MS, 0) != 0;
			for (i = 0; i < n; i++)
				bad += uv_timer_stop(&s->uvt[i]) != 0;
		}
	}
	s->ns = now_ns() - t0;
	s->bad = bad;
}
#endif

#ifdef TB_HAVE_GLIB
static gboolean glib_never_cb(gpointer p)
{
	(void)p;
	atomic_fetch_add(&cmwq_unexpected, 1000000);
	return G_SOURCE_REMOVE;
}

static void glib_arm_cancel(struct armset *s)
{
	unsigned int r, i, n = cfg.batch;
	long bad = 0;
	unsigned long long t0 = now_ns();

	for (r = 0; r < cfg.rounds; r++) {
		if (s->one) {
			for (i = 0; i < n; i++) {
				s->gids[i] = g_timeout_add(FAR_MS,
							   glib_never_cb, NULL);
				bad += !g_source_remove(s->gids[i]);
			}
		} else {
			for (i = 0; i < n; i++)
				s->gids[i] = g_timeout_add(FAR_MS,
							   glib_never_cb, NULL);
			for (i = 0; i < n; i++)
				bad += !g_source_remove(s->gids[i]);
		}
	}
	s->ns = now_ns() - t0;
	s->bad = bad;
}
#endif

static void armset_init(struct armset *s, int peer)
{
	unsigned int i, n = cfg.batch;

	memset(s, 0, sizeof(*s));
	s->peer = peer;
	switch (peer) {
	case P_CMWQ:
		s->dw = calloc(n, sizeof(*s->dw));
		if (!s->dw)
			abort();
		for (i = 0; i < n; i++)
			INIT_DELAYED_WORK(&s->dw[i], never_fn);
		break;
	case P_TFD:
		s->fds = calloc(n, sizeof(int));
		if (!s->fds)
			abort();
		for (i = 0; i < n; i++) {
			s->fds[i] = timerfd_create(CLOCK_MONOTONIC,
						   TFD_CLOEXEC | TFD_NONBLOCK);
			if (s->fds[i] < 0) {
				perror("timerfd_create");
				exit(2);
			}
		}
		break;
#ifdef TB_HAVE_UV
	case P_UV:
		uv_loop_init(&s->loop);
		s->uvt = calloc(n, sizeof(*s->uvt));
		if (!s->uvt)
			abort();
		for (i = 0; i < n; i++)
			uv_timer_init(&s->loop, &s->uvt[i]);
		break;
#endif
#ifdef TB_HAVE_GLIB
	case P_GLIB:
		s->gids = calloc(n, sizeof(unsigned int));
		if (!s->gids)
			abort();
		break;
#endif
	default:
		break;
	}
}

#ifdef TB_HAVE_UV
static void tb_uv_closed(uv_handle_t *h)
{
	(void)h;
}
#endif

static void armset_fini(struct armset *s)
{
	unsigned int i;

	switch (s->peer) {
	case P_CMWQ:
		free(s->dw);
		break;
	case P_TFD:
		for (i = 0; i < cfg.batch; i++)
			close(s->fds[i]);
		free(s->fds);
		break;
#ifdef TB_HAVE_UV
	case P_UV:
		for (i = 0; i < cfg.batch; i++)
			uv_close((uv_handle_t *)&s->uvt[i], tb_uv_closed);
		uv_run(&s->loop, UV_RUN_DEFAULT);
		uv_loop_close(&s->loop);
		free(s->uvt);
		break;
#endif
	default:
		free(s->gids);
		break;
	}
}

static void arm_cancel_run(struct armset *s)
{
	switch (s->peer) {
	case P_CMWQ:
		cmwq_arm_cancel(s);
		break;
	case P_TFD:
		tfd_arm_cancel(s);
		break;
#ifdef TB_HAVE_UV
	case P_UV:
		uv_arm_cancel(s);
		break;
#endif
#ifdef TB_HAVE_GLIB
	case P_GLIB:
		glib_arm_cancel(s);
		break;
#endif
	default:
		break;
	}
}

static void *arm_thread(void *arg)
{
	struct armset *s = arg;

	pthread_barrier_wait(s->bar);
	arm_cancel_run(s);
	return NULL;
}

static void measure_arm_cancel(int peer)
{
	double pairs = (double)cfg.batch * cfg.rounds;
	struct armset s[2];
	pthread_barrier_t bar;
	pthread_t th[2];
	int k;

	/* One thread: one outstanding, then batches. */
	armset_init(&s[0], peer);
	arm_cancel_run(&s[0]); /* warm-up */
	s[0].one = true;
	arm_cancel_run(&s[0]);
	record(R_ONE, peer, s[0].ns / pairs);
	if (s[0].bad)
		fail("arm+cancel: a call failed (1 outstanding)");
	s[0].one = false;
	arm_cancel_run(&s[0]);
	record(R_BATCH, peer, s[0].ns / pairs);
	if (s[0].bad)
		fail("arm+cancel: a call failed (batch)");
	armset_fini(&s[0]);

#ifdef __SANITIZE_THREAD__
	/* GLib's own futex-based locks are invisible to TSan. */
	if (peer == P_GLIB)
		return;
#endif
	/* Two threads, each with its own timers (libuv: its own loop). */
	pthread_barrier_init(&bar, NULL, 2);
	for (k = 0; k < 2; k++) {
		armset_init(&s[k], peer);
		s[k].bar = &bar;
		arm_cancel_run(&s[k]); /* warm-up, each thread's own */
	}
	for (k = 0; k < 2; k++)
		if (pthread_create(&th[k], NULL, arm_thread, &s[k]))
			abort();
	for (k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	record(R_TWO, peer, (s[0].ns > s[1].ns ? s[0].ns : s[1].ns) / pairs);
	for (k = 0; k < 2; k++) {
		if (s[k].bad)
			fail("arm+cancel: a call failed (two threads)");
		armset_fini(&s[k]);
	}
	pthread_barrier_destroy(&bar);
}

/* ---------------------------------------------------------------- */
/* lateness                                                          */

struct ltimer {
	struct delayed_work dw;
	unsigned long long arm_ns, start_ns;
	unsigned int delay_ms;
	int fd;
#ifdef TB_HAVE_UV
	uv_timer_t uvt;
#endif
};

static struct ltimer *lt;
static unsigned int *lorder; /* arming order: longest delay first */
static atomic_uint lfired;
static struct completion ldone;

static void late_fn(struct work_struct *w)
{
	struct ltimer *t = container_of(to_delayed_work(w), struct ltimer, dw);

	t->start_ns = now_ns();
	if (atomic_fetch_add(&lfired, 1) + 1 == cfg.nlate)
		complete(&ldone);
}

static void late_cmwq(struct workqueue_struct *wq)
{
	unsigned int i;

	init_completion(&ldone);
	for (i = 0; i < cfg.nlate; i++)
		INIT_DELAYED_WORK(&lt[i].dw, late_fn);
	for (i = 0; i < cfg.nlate; i++) {
		struct ltimer *t = &lt[lorder[i]];

		t->arm_ns = now_ns();
		if (!queue_delayed_work(wq, &t->dw, t->delay_ms))
			fail("lateness: queue_delayed_work returned false");
	}
	wait_for_completion(&ldone);
}

static void late_tfd(void)
{
	struct epoll_event ev[256];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	unsigned int i, fired = 0;

	if (ep < 0) {
		perror("epoll_create1");
		exit(2);
	}
	for (i = 0; i < cfg.nlate; i++) {
		struct epoll_event e = { .events = EPOLLIN };

		lt[i].fd = timerfd_create(CLOCK_MONOTONIC,
					  TFD_CLOEXEC | TFD_NONBLOCK);
		if (lt[i].fd < 0) {
			perror("timerfd_create (raise ulimit -n)");
			exit(2);
		}
		e.data.ptr = &lt[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, lt[i].fd, &e);
	}
	for (i = 0; i < cfg.nlate; i++) {
		struct ltimer *t = &lt[lorder[i]];
		struct itimerspec its;

		memset(&its, 0, sizeof(its));
		its.it_value.tv_sec = t->delay_ms / 1000;
		its.it_value.tv_nsec = (long)(t->delay_ms % 1000) * 1000000L;
		t->arm_ns = now_ns();
		timerfd_settime(t->fd, 0, &its, NULL);
	}
	while (fired < cfg.nlate) {
		int n = epoll_wait(ep, ev, 256, -1), k;

		for (k = 0; k < n; k++) {
			struct ltimer *t = ev[k].data.ptr;
			uint64_t exp;

			t->start_ns = now_ns();
			if (read(t->fd, &exp, sizeof(exp)) == sizeof(exp))
				fired++;
		}
	}
	for (i = 0; i < cfg.nlate; i++)
		close(lt[i].fd);
	close(ep);
}

#ifdef TB_HAVE_UV
static void late_uv_cb(uv_timer_t *h)
{
	struct ltimer *t = container_of(h, struct ltimer, uvt);

	t->start_ns = now_ns();
	uv_close((uv_handle_t *)h, NULL);
}

static void late_uv(void)
{
	uv_loop_t loop;
	unsigned int i;

	uv_loop_init(&loop);
	for (i = 0; i < cfg.nlate; i++)
		uv_timer_init(&loop, &lt[i].uvt);
	for (i = 0; i < cfg.nlate; i++) {
		struct ltimer *t = &lt[lorder[i]];

		uv_update_time(&loop);
		t->arm_ns = now_ns();
		uv_timer_start(&t->uvt, late_uv_cb, t->delay_ms, 0);
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
}
#endif

#ifdef TB_HAVE_GLIB
static GMainLoop *gloop;
static unsigned int gfired;

static gboolean late_glib_cb(gpointer p)
{
	struct ltimer *t = p;

	t->start_ns = now_ns();
	if (++gfired == cfg.nlate)
		g_main_loop_quit(gloop);
	return G_SOURCE_REMOVE;
}

static void late_glib(void)
{
	unsigned int i;

	gfired = 0;
	gloop = g_main_loop_new(NULL, FALSE);
	for (i = 0; i < cfg.nlate; i++) {
		struct ltimer *t = &lt[lorder[i]];

		t->arm_ns = now_ns();
		g_timeout_add(t->delay_ms, late_glib_cb, t);
	}
	g_main_loop_run(gloop);
	g_main_loop_unref(gloop);
}
#endif

static unsigned long long splitmix(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int cmp_order(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	if (lt[x].delay_ms != lt[y].delay_ms)
		return lt[x].delay_ms > lt[y].delay_ms ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void late_setup(void)
{
	unsigned long long s = cfg.seed;
	unsigned int i;

	lt = calloc(cfg.nlate, sizeof(*lt));
	lorder = calloc(cfg.nlate, sizeof(*lorder));
	if (!lt || !lorder)
		abort();
	for (i = 0; i < cfg.nlate; i++) {
		lt[i].delay_ms =
			1 + (unsigned int)(splitmix(&s) % cfg.max_delay_ms);
		lorder[i] = i;
	}
	qsort(lorder, cfg.nlate, sizeof(*lorder), cmp_order);
}

static int cmp_deadline(const void *a, const void *b)
{
	const struct ltimer *x = *(const struct ltimer *const *)a;
	const struct ltimer *y = *(const struct ltimer *const *)b;
	unsigned long long dx = x->arm_ns + x->delay_ms * 1000000ull;
	unsigned long long dy = y->arm_ns + y->delay_ms * 1000000ull;

	return dx < dy ? -1 : dx > dy;
}

/*
 * The floor: no timer service at all, one thread that sleeps with
 * clock_nanosleep(TIMER_ABSTIME) until each deadline in turn, with the
 * timer slack cmwq's manager uses (1 ns).  What this machine allows a
 * thread that wakes up for a deadline at that moment.
 */
static void late_floor(void)
{
	struct ltimer **byd = malloc(sizeof(*byd) * cfg.nlate);
	int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	unsigned int i;

	if (!byd)
		abort();
	for (i = 0; i < cfg.nlate; i++) {
		struct ltimer *t = &lt[lorder[i]];

		t->arm_ns = now_ns();
		byd[i] = t;
	}
	qsort(byd, cfg.nlate, sizeof(*byd), cmp_deadline);
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (i = 0; i < cfg.nlate; i++) {
		unsigned long long d =
			byd[i]->arm_ns + byd[i]->delay_ms * 1000000ull;
		struct timespec ts = { (time_t)(d / 1000000000ull),
				       (long)(d % 1000000000ull) };

		while (now_ns() < d &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
		byd[i]->start_ns = now_ns();
	}
	if (slack > 0)
		prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
	free(byd);
}

static void measure_lateness(int peer)
{
	long long *late = malloc(sizeof(long long) * cfg.nlate);
	unsigned int i, early = 0;

	if (!late)
		abort();
	for (i = 0; i < cfg.nlate; i++)
		lt[i].start_ns = 0;
	atomic_store(&lfired, 0);
	switch (peer) {
	case P_CMWQ:
		late_cmwq(bench_wq);
		break;
	case P_CMWQU:
		late_cmwq(bench_uwq);
		break;
	case P_TFD:
		late_tfd();
		break;
	case P_FLOOR:
		late_floor();
		break;
#ifdef TB_HAVE_UV
	case P_UV:
		late_uv();
		break;
#endif
#ifdef TB_HAVE_GLIB
	case P_GLIB:
		late_glib();
		break;
#endif
	default:
		break;
	}
	for (i = 0; i < cfg.nlate; i++) {
		struct ltimer *t = &lt[i];

		if (!t->start_ns) {
			fail("lateness: a timer never fired");
			late[i] = 0;
			continue;
		}
		late[i] = (long long)t->start_ns -
			  (long long)(t->arm_ns + t->delay_ms * 1000000ull);
		early += late[i] < 0;
	}
	qsort(late, cfg.nlate, sizeof(long long), cmp_ll);
	record(R_P50, peer, late[cfg.nlate / 2] / 1000.0);
	record(R_P99, peer, late[(cfg.nlate * 99) / 100] / 1000.0);
	record(R_MAX, peer, late[cfg.nlate - 1] / 1000.0);
	record(R_EARLY, peer, early);
	free(late);
}

/* ---------------------------------------------------------------- */
/* idle                                                              */

struct tsw {
	int tid;
	unsigned long long sw;
	char comm[32];
};

static int read_switches(struct tsw *out, int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL && n < max) {
		char path[300], line[256];
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		out[n].tid = atoi(de->d_name);
		out[n].sw = 0;
		out[n].comm[0] = '\0';
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 de->d_name);
		f = fopen(path, "r");
		if (f) {
			if (fgets(out[n].comm, sizeof(out[n].comm), f))
				out[n].comm[strcspn(out[n].comm, "\n")] = '\0';
			fclose(f);
		}
		snprintf(path, sizeof(path), "/proc/self/task/%s/status",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "voluntary_ctxt_switches:", 24))
				out[n].sw += strtoull(line + 24, NULL, 10);
			else if (!strncmp(line,
					  "nonvoluntary_ctxt_switches:", 27))
				out[n].sw += strtoull(line + 27, NULL, 10);
		}
		fclose(f);
		n++;
	}
	closedir(d);
	return n;
}

static void measure_idle(void)
{
	static struct tsw a[1024], b[1024];
	int na, nb, i, j, self = (int)gettid(), threads = 0;
	unsigned long long wakes = 0;
	struct timespec ts = { cfg.idle_s, 0 };

	/* Let what the runs above left behind settle. */
	usleep(200000);
	na = read_switches(a, 1024);
	while (nanosleep(&ts, &ts))
		;
	nb = read_switches(b, 1024);
	for (i = 0; i < nb; i++) {
		if (b[i].tid == self)
			continue;
		threads++;
		for (j = 0; j < na && a[j].tid != b[i].tid; j++)
			;
		if (j == na) {
			fprintf(stderr, "idle: thread %d (%s) started\n",
				b[i].tid, b[i].comm);
			wakes++;
		} else if (b[i].sw != a[j].sw) {
			fprintf(stderr,
				"idle: thread %d (%s) switched %llu "
				"times\n",
				b[i].tid, b[i].comm, b[i].sw - a[j].sw);
			wakes += b[i].sw - a[j].sw;
		}
	}
	fprintf(stderr, "idle: %d threads besides the measuring one\n",
		threads);
	record(R_IDLE, P_CMWQ, (double)wakes);
}

/* ---------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: timer_bench [--quick] [--reps N] [--seed N] "
			"[--idle-secs N] [--only arm,late,idle]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	int i;

	cfg.reps = 5;
	cfg.batch = 1000;
	cfg.rounds = 200;
	cfg.nlate = 10000;
	cfg.max_delay_ms = 100;
	cfg.idle_s = 10;
	cfg.seed = 42;
	cfg.do_arm = cfg.do_late = cfg.do_idle = true;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			cfg.quick = true;
			cfg.reps = 1;
			cfg.batch = 100;
			cfg.rounds = 20;
			cfg.nlate = 1000;
			cfg.max_delay_ms = 20;
			cfg.idle_s = 2;
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			cfg.reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			cfg.seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--idle-secs") && i + 1 < argc) {
			cfg.idle_s = (unsigned int)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			const char *w = argv[++i];

			cfg.do_arm = strstr(w, "arm") != NULL;
			cfg.do_late = strstr(w, "late") != NULL;
			cfg.do_idle = strstr(w, "idle") != NULL;
		} else {
			usage();
		}
	}
	if (cfg.reps < 1 || cfg.reps > MAXREPS)
		usage();
}

static void print_cell(int row, int peer)
{
	struct cell *c = &cells[row][peer];

	if (!c->n) {
		printf(" %s |", peer_have[peer] ? "-" : "n/a");
		return;
	}
	if (row == R_MAX)
		printf(" %.0f |", cell_max(c));
	else if (row == R_IDLE || row == R_EARLY)
		printf(" %.0f |", row == R_IDLE ? cell_max(c) : median(c));
	else if (row == R_P50 || row == R_P99)
		printf(" %.1f |", median(c));
	else
		printf(" %.0f |", median(c));
}

static void print_table(void)
{
	static const char *const label[NR_ROWS] = {
		"arm+cancel ns, 1 thread, 1 outstanding",
		"arm+cancel ns, 1 thread, batches of B",
		"arm+cancel ns per thread, 2 threads, batches of B each",
		"lateness p50 us",
		"lateness p99 us",
		"lateness max us",
		"timers early (of N)",
		"idle: wake-ups in S s, 0 armed",
	};
	int r, p;

	printf("\nB = %u timers per batch, %u batches per measurement; "
	       "lateness: N = %u timers, delays 1-%u ms (seed %llu); "
	       "idle: S = %u; %d repetitions, median (max: the largest)\n\n",
	       cfg.batch, cfg.rounds, cfg.nlate, cfg.max_delay_ms, cfg.seed,
	       cfg.idle_s, cfg.reps);
	printf("| measurement |");
	for (p = 0; p < NR_PEERS; p++)
		printf(" %s |", peer_name[p]);
	printf("\n| --- |");
	for (p = 0; p < NR_PEERS; p++)
		printf(" --- |");
	printf("\n");
	for (r = 0; r < NR_ROWS; r++) {
		bool any = false;

		for (p = 0; p < NR_PEERS; p++)
			any |= cells[r][p].n > 0;
		if (!any)
			continue;
		printf("| %s |", label[r]);
		for (p = 0; p < NR_PEERS; p++)
			print_cell(r, p);
		printf("\n");
	}
}

static const char *yes(bool b)
{
	return b ? "met" : "MISSED";
}

static void print_targets(void)
{
	double best = -1;
	int p;

	printf("\nTargets:\n");
	if (cells[R_ONE][P_CMWQ].n) {
		double one = median(&cells[R_ONE][P_CMWQ]);
		double batch = median(&cells[R_BATCH][P_CMWQ]);

		printf("- arm+cancel <= 100 ns single-threaded: %.0f ns (1 "
		       "outstanding), %.0f ns (batches): %s\n",
		       one, batch, yes(one <= 100 && batch <= 100));
	}
	if (cells[R_P99][P_CMWQ].n) {
		double p99 = median(&cells[R_P99][P_CMWQ]);
		int bp = -1;

		/* The peers: libuv and GLib. */
		for (p = P_UV; p <= P_GLIB; p++) {
			if (!cells[R_P99][p].n)
				continue;
			if (best < 0 || median(&cells[R_P99][p]) < best) {
				best = median(&cells[R_P99][p]);
				bp = p;
			}
		}
		printf("- lateness p99 < 200 us: %.1f us: %s\n", p99,
		       yes(p99 < 200));
		if (bp >= 0)
			printf("- lateness p99 no worse than the best peer "
			       "(%s, %.1f us): %s\n",
			       peer_name[bp], best, yes(p99 <= best));
	}
	if (cells[R_IDLE][P_CMWQ].n)
		printf("- zero idle wake-ups: %.0f in %u s: %s\n",
		       cell_max(&cells[R_IDLE][P_CMWQ]), cfg.idle_s,
		       yes(cell_max(&cells[R_IDLE][P_CMWQ]) == 0));
}

int main(int argc, char **argv)
{
	int rep, p;

	parse(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_wq = alloc_workqueue("timer-bench", 0, 0);
	bench_uwq = alloc_workqueue("timer-bench-u", WQ_UNBOUND, 0);
	if (!bench_wq || !bench_uwq) {
		perror("alloc_workqueue");
		return 2;
	}
	if (cfg.do_late)
		late_setup();
	for (rep = 0; rep < cfg.reps; rep++) {
		/* Rotate the order so no peer always goes first. */
		for (p = 0; p < NR_PEERS; p++) {
			int q = (p + rep) % NR_PEERS;

			if (!peer_have[q])
				continue;
			if (cfg.do_arm && q != P_FLOOR && q != P_CMWQU)
				measure_arm_cancel(q);
			if (cfg.do_late && rep < (cfg.quick ? 1 : 3))
				measure_lateness(q);
		}
		fprintf(stderr, "timer_bench: repetition %d done\n", rep + 1);
	}
	if (atomic_load(&cmwq_unexpected))
		fail("a timer armed 100 s out ran");
	if (cfg.do_idle)
		measure_idle();
	print_table();
	print_targets();
	if (cmwq_destroy_workqueue(bench_wq) ||
	    cmwq_destroy_workqueue(bench_uwq))
		fail("destroy_workqueue failed");
	if (errors)
		fprintf(stderr, "timer_bench: %d errors\n", errors);
	return errors ? 1 : 0;
}
