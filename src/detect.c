// SPDX-License-Identifier: MIT
/*
 * detect.c - finding workers that block or hog the CPU, without
 * annotations and without root
 *
 * The kernel learns from its scheduler that a worker went to sleep.  In
 * user space the monitor (run by the manager thread, only while some pool
 * has work queued behind its running workers) looks at each running
 * worker of such a pool:
 *
 *   perf  Each worker opens a software "dummy" perf event on itself with
 *         context_switch records and maps its ring read-only (overwrite
 *         mode).  The newest record says whether the thread is switched
 *         in, switched out while runnable (preempted: not blocking) or
 *         switched out to sleep (blocked).  Reading it is two loads: no
 *         system call.  The event is enabled only while the monitor
 *         watches the worker's pool (the kernel then writes a record at
 *         each switch); until the first record after enabling, /proc
 *         answers.  Needs perf_event_paranoid <= 2 and no seccomp filter
 *         on perf_event_open.
 *   proc  /proc/self/task/TID/stat, kept open per worker: state R is
 *         running or runnable, S and D are blocked.  A pread per check.
 *   off   Only the explicit hooks (cmwq_worker_sleeping/running).
 *
 * CMWQ_DETECT=auto|perf|proc|off picks the layer (auto: perf where it can
 * be opened, else proc).  A worker found blocked stops counting as running
 * and the pool starts the next item; found running again, it counts
 * again.  A worker that ran one item on the CPU past the CPU-intensive
 * threshold (thread CPU time, so preemption does not count) stops counting
 * until the item returns.
 *
 * Two threads run the monitor's pass, one at a time (monitor_lock):
 *
 *   the manager  polls every 20 us while it finds something, backing off
 *                to 1 ms while every watched worker is busy on the CPU,
 *                and not at all when no pool is watched.  It starts each
 *                episode (enabling the records, asking /proc about a
 *                worker that blocked before they were enabled), finds
 *                hogs, and is the whole monitor of the proc layer.
 *   cmwq-monitor (perf layer) sleeps in epoll_wait() on the workers' perf
 *                events, which wake it at every record: a watched worker
 *                that blocks is seen as soon as its CPU has switched away
 *                from it, and one found blocked is counted again as soon
 *                as it runs, without waiting for a poll.  It runs as
 *                SCHED_BATCH: woken by a record, it runs at once on a CPU
 *                that the blocked worker left idle, but never preempts a
 *                running worker on wake-up (each preemption would write a
 *                record and wake it again, a loop); on a busy CPU it waits
 *                for its fair share, and the manager's polls are the floor
 *                then.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define POLL_MIN_NS (20ull * 1000)
#define POLL_MAX_NS (1000ull * 1000)

enum { STATE_RUNNING, STATE_BLOCKED, STATE_UNKNOWN };

struct worker_detect {
	int perf_fd; /* -1 when perf is not used */
	struct perf_event_mmap_page *page;
	size_t map_len;
	int stat_fd; /* -1 when /proc cannot be read */
	clockid_t cpuclock;
	bool has_cpuclock;
	/*
	 * The perf event is enabled only while the monitor watches the
	 * worker's pool, so a worker nobody watches pays nothing per context
	 * switch.  Until the first record after enabling, the ring says
	 * nothing about now: /proc answers meanwhile.  (Manager thread, under
	 * the pool's lock.)
	 */
	bool perf_enabled;
	unsigned long long head_at_enable;
	/* (monitor_lock) ring head when the manager last saw it blocked */
	unsigned long long polled_head;
	/*
	 * (monitor_lock) What /proc said while the ring was silent: the
	 * thread has not switched since the records were enabled (a switch
	 * would be a record), so its state has not changed either, and the
	 * answer holds until the ring's first record.  Without it, every
	 * pass read /proc for every worker blocked since before its pool was
	 * watched: O(workers) system calls a pass, a second for 1000 workers
	 * blocked behind each other.  Dropped when the records are turned
	 * on or off.
	 */
	bool proc_cached;
	int proc_cached_state;
	/*
	 * (monitor_lock) The timed sleep the worker was last found in
	 * (worker_sleeps_briefly()): /proc/self/task/TID/syscall, opened on
	 * first need (-1: not yet, or it cannot be read; syscall_tried then
	 * tells which); whether the verdict holds, whether it is a brief
	 * sleep and when that ends, and the ring head when it was reached
	 * (a record since means the thread ran).
	 */
	int syscall_fd;
	bool syscall_tried;
	bool sleep_known, sleep_brief;
	unsigned long long sleep_end_ns;
	unsigned long long sleep_head;
	/*
	 * (monitor_lock) the item of the last look, whether it slept briefly
	 * in it, and whether it has done so again (it may be polling)
	 */
	unsigned long brief_item_seq;
	bool brief_slept, brief_again;
};

static int detect_mode = CMWQ_DETECT_PERF; /* (I) after init */
static atomic_int perf_failed; /* (A) perf could not be opened once */
/* (A) the warning that a worker found the descriptors short was given */
static atomic_int fds_short_warned;
/*
 * The workers' descriptors (perf events, /proc files): at most half the
 * soft RLIMIT_NOFILE at start-up, so that a program with many blocked
 * items keeps descriptors of its own.  The budget: (I) after init (a
 * fork() child keeps its parent's, as it keeps its RLIMIT_NOFILE); the
 * count: (A)
 */
static int detect_fd_budget = 1 << 30;
static atomic_int detect_fds;

/* One descriptor more for a worker, if the budget allows. */
static bool detect_fd_take(void)
{
	if (atomic_fetch_add_explicit(&detect_fds, 1, memory_order_relaxed) <
	    detect_fd_budget)
		return true;
	atomic_fetch_sub_explicit(&detect_fds, 1, memory_order_relaxed);
	if (!atomic_exchange(&fds_short_warned, 1))
		cmwq_warn("workers hold half the process's file descriptors "
			  "(%d, RLIMIT_NOFILE/2): workers started meanwhile "
			  "are seen blocking only in the library's own waits",
			  detect_fd_budget);
	return false;
}

static void detect_fd_give(void)
{
	atomic_fetch_sub_explicit(&detect_fds, 1, memory_order_relaxed);
}
static atomic_ullong hog_thresh_ns = 10ull * 1000000ull; /* (A) */
static unsigned long long poll_ns = POLL_MIN_NS; /* manager thread only */
/* (A) a pool became watched: poll at the fastest rate again */
static atomic_int new_episode;

/*
 * One pass at a time, by the manager or cmwq-monitor: the monitor-private
 * fields of workers and worker_detect are theirs under this lock.  Taken
 * before any pool->lock (and first of all in fork.c's lock_all).
 */
static pthread_mutex_t monitor_lock = PTHREAD_MUTEX_INITIALIZER;
/*
 * (I) epoll instance holding every worker's perf event (perf layer), -1
 * without.  Created at init; a fork child drops its copy and makes its
 * own (the instance is shared with the parent otherwise).
 */
static int monitor_epfd = -1;
/* (A) cmwq-monitor: 0 not started, 1 running, 2 could not be started */
static atomic_int monitor_thread_state;
/*
 * (monitor_lock) The workers whose records are on, for cmwq-monitor's look
 * before a pass: a wake-up by a record that changes nothing (a preemption,
 * a counted worker switched back in) then costs no pool lock.  When it
 * cannot grow, every wake-up makes a full pass.
 */
static struct worker **recording;
static int nr_recording, recording_alloc;
static bool recording_full;

static void recording_add(struct worker *worker)
{
	if (nr_recording == recording_alloc) {
		int n = recording_alloc ? recording_alloc * 2 : 64;
		struct worker **r = realloc(recording, sizeof(*r) * (size_t)n);

		if (!r) {
			recording_full = true;
			return;
		}
		recording = r;
		recording_alloc = n;
	}
	recording[nr_recording++] = worker;
}

static void recording_del(struct worker *worker)
{
	int i;

	for (i = 0; i < nr_recording; i++) {
		if (recording[i] == worker) {
			recording[i] = recording[--nr_recording];
			return;
		}
	}
}

/* A pool starts being watched; async-signal-safe. */
void cmwq_monitor_new_episode(void)
{
	atomic_store_explicit(&new_episode, 1, memory_order_relaxed);
}

/*
 * Each worker holds two or three descriptors (its perf event, its /proc
 * stat and syscall files).  When a process with several threads outgrows
 * its descriptor table, the kernel waits for an RCU grace period before
 * it frees the old table (expand_fdtable()), and every thread that opens
 * a file meanwhile waits too: ~10 ms here at 256, 512, 1024 and 2048
 * descriptors, in which workers started for blocked items could not take
 * them (1000 items blocked on a completion waited 75 ms, 40 of them
 * there).  Grow the table once, at start-up, to DETECT_FD_TABLE or the
 * soft limit if lower: free while the process has one thread, one wait
 * otherwise.  The table costs 8 bytes a slot, 32 KiB.
 */
#define DETECT_FD_TABLE 4096

/* The table's size to grow to.  (I) after init */
static long fd_table_want = DETECT_FD_TABLE;

/*
 * Raw system calls, no C library wrapper: the fork child handler calls this
 * with the C library's and any sanitizer's fork locks held, and a wrapper a
 * sanitizer intercepts may take one of them.  errno is left as it was.
 */
static void detect_grow_fd_table(void)
{
	int saved_errno = errno;
	long fd, high;

	fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (fd < fd_table_want - 1) {
			/* The first free slot at or above want - 1 grows it. */
			high = syscall(SYS_fcntl, (int)fd, F_DUPFD_CLOEXEC,
				       (int)(fd_table_want - 1));
			if (high >= 0)
				syscall(SYS_close, (int)high);
		}
		syscall(SYS_close, (int)fd);
	}
	errno = saved_errno;
}

static int detect_init(void)
{
	/* "hooks" is an old name of "off". */
	static const char *const modes[] = { "auto", "perf", "proc", "off",
					     "hooks" };
	static const int mode_of[] = { CMWQ_DETECT_PERF,
				       CMWQ_DETECT_PERF | CMWQ_DETECT_FORCED,
				       CMWQ_DETECT_PROC, CMWQ_DETECT_OFF,
				       CMWQ_DETECT_OFF };
	int mode = cmwq_setting_choice("CMWQ_DETECT", modes, 5,
				       "auto, perf, proc or off", "auto");
	unsigned long long us;
	struct rlimit rl;

	detect_mode = mode < 0 ? CMWQ_DETECT_PERF : mode_of[mode];
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY) {
		if (rl.rlim_cur < (rlim_t)fd_table_want)
			fd_table_want = (long)rl.rlim_cur;
		if (rl.rlim_cur / 2 < (rlim_t)detect_fd_budget)
			detect_fd_budget = (int)(rl.rlim_cur / 2);
	}
	if (detect_mode != CMWQ_DETECT_OFF)
		detect_grow_fd_table();
	if ((detect_mode & ~CMWQ_DETECT_FORCED) == CMWQ_DETECT_PERF)
		monitor_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (cmwq_setting_uint("CMWQ_CPU_INTENSIVE_THRESH_US", 1, 4294967295ull,
			      "a positive number of microseconds", "10000",
			      &us))
		cmwq_set_cpu_intensive_thresh_us((unsigned int)us);
	return 0;
}
cmwq_initcall(INIT_SERVICES, detect_init);

/*
 * A disabled context-switch event on the calling thread: an fd, or -errno.
 * Takes one descriptor of the workers' budget.
 */
static int perf_open_event(void)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_DUMMY;
	attr.context_switch = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	attr.disabled = 1; /* enabled by the monitor when it watches */
	/* Wake cmwq-monitor at every record (a record is 8 bytes). */
	attr.watermark = 1;
	attr.wakeup_watermark = 1;
	if (!detect_fd_take())
		return -EMFILE;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		detect_fd_give();
		return err;
	}
	return fd;
}

/* Warn about a failed perf_event_open(); is perf unavailable for good? */
static void perf_open_failed(int err)
{
	/*
	 * Out of descriptors or memory says nothing of perf: this worker goes
	 * without, the next one tries again.
	 */
	if (err == -EMFILE || err == -ENFILE || err == -ENOMEM) {
		if (!atomic_exchange(&fds_short_warned, 1))
			cmwq_warn("perf_event_open: %s; workers started "
				  "meanwhile are detected through /proc if "
				  "they can open it, else only in the "
				  "library's own waits",
				  strerror(-err));
	} else if (!atomic_exchange(&perf_failed, 1)) {
		cmwq_warn("perf_event_open: %s; detecting blocked workers "
			  "through /proc instead",
			  strerror(-err));
	}
}

/*
 * The first context-switch event of the system turns on the scheduler's
 * perf hooks, and the kernel waits for an RCU grace period there (~10 ms
 * here), as does every other perf_event_open() meanwhile: the first
 * workers started for blocked items would wait with it.  So the first
 * worker that would open one starts this thread instead, which opens an
 * event of its own (kept, so the hooks stay on while the process lives),
 * and until it is done workers start without perf: /proc answers for
 * them.  0: not started, 1: warming up, 2: done.  (A)
 */
static atomic_int perf_warm;

static void *perf_warm_thread(void *arg)
{
	int fd = perf_open_event();

	(void)arg;
	cmwq_thread_set_name("cmwq-perf-warm");
	if (fd < 0)
		perf_open_failed(fd);
	/* Release: pairs with the acquire load in cmwq_detect_worker_start. */
	atomic_store_explicit(&perf_warm, 2, memory_order_release);
	return NULL;
}

/* May this worker open its perf event now (is perf warm)? */
static bool perf_ready(void)
{
	int w = atomic_load_explicit(&perf_warm, memory_order_acquire);

	if (w == 0 && atomic_compare_exchange_strong(&perf_warm, &w, 1)) {
		if (cmwq_thread_start(perf_warm_thread, NULL) == 0)
			return false;
		/* No thread: this worker waits for the hooks itself. */
		atomic_store(&perf_warm, 2);
		return true;
	}
	return w == 2;
}

static int perf_open_self(struct worker_detect *d)
{
	long page = sysconf(_SC_PAGESIZE);
	void *map;
	int fd = perf_open_event();

	if (fd < 0)
		return fd;
	/*
	 * One metadata page and one data page (512 records), mapped
	 * read-only: the kernel overwrites old records and never stops.
	 */
	map = mmap(NULL, (size_t)page * 2, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		int err = -errno;

		close(fd);
		detect_fd_give();
		return err;
	}
	d->perf_fd = fd;
	d->page = map;
	d->map_len = (size_t)page * 2;
	if (monitor_epfd >= 0) {
		/*
		 * Edge-triggered: reported once per wake-up of the event, so
		 * a state that polls as ready for good (hung up) cannot keep
		 * cmwq-monitor spinning.
		 */
		struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

		/* Without it the polls still see this worker. */
		epoll_ctl(monitor_epfd, EPOLL_CTL_ADD, fd, &ev);
	}
	return 0;
}

static void proc_open_self(pid_t tid, struct worker_detect *d)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	if (!detect_fd_take())
		return;
	d->stat_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->stat_fd < 0)
		detect_fd_give();
}

/*
 * On the worker thread @tid, before it takes work: returns its detection
 * state (NULL when out of memory: the hooks still work).
 */
struct worker_detect *cmwq_detect_worker_start(pid_t tid)
{
	struct worker_detect *d = cmwq_calloc(1, sizeof(*d));
	int mode = detect_mode & ~CMWQ_DETECT_FORCED;

	if (!d)
		return NULL;
	d->perf_fd = -1;
	d->stat_fd = -1;
	d->syscall_fd = -1;
	d->has_cpuclock = pthread_getcpuclockid(pthread_self(), &d->cpuclock) ==
			  0;
	if (mode == CMWQ_DETECT_PERF && !atomic_load(&perf_failed) &&
	    perf_ready() && !atomic_load(&perf_failed)) {
		int err = perf_open_self(d);

		if (err < 0)
			perf_open_failed(err);
	}
	/* /proc also answers while a newly enabled perf ring is silent. */
	if (mode != CMWQ_DETECT_OFF)
		proc_open_self(tid, d);
	return d;
}

static void detect_worker_free(struct worker *worker)
{
	struct worker_detect *d = worker->detect;

	if (!d)
		return;
	/*
	 * Out of the epoll set before the unmap: an event that loses its
	 * ring polls as hung up, which would wake cmwq-monitor for nothing.
	 */
	if (d->perf_fd >= 0 && monitor_epfd >= 0)
		epoll_ctl(monitor_epfd, EPOLL_CTL_DEL, d->perf_fd, NULL);
	if (d->page)
		munmap(d->page, d->map_len);
	if (d->perf_fd >= 0) {
		close(d->perf_fd);
		detect_fd_give();
	}
	if (d->stat_fd >= 0) {
		close(d->stat_fd);
		detect_fd_give();
	}
	if (d->syscall_fd >= 0) {
		close(d->syscall_fd);
		detect_fd_give();
	}
	free(d);
}

/* On the worker thread, after it left its pool. */
void cmwq_detect_worker_exit(struct worker *worker)
{
	cmwq_mutex_lock(&monitor_lock, LC_MONITOR);
	recording_del(worker);
	cmwq_mutex_unlock(&monitor_lock, LC_MONITOR);
	detect_worker_free(worker);
}

/*
 * For fork.c, in the child, for a worker of the parent: the registry was
 * emptied (cmwq_detect_fork_child()) and monitor_lock is held by fork.c.
 */
void cmwq_detect_worker_forget(struct worker *worker)
{
	detect_worker_free(worker);
}

static unsigned long long perf_head(struct worker_detect *d)
{
	/* Acquire: a record is complete once data_head covers it. */
	return __atomic_load_n(&d->page->data_head, __ATOMIC_ACQUIRE);
}

/* Start or stop the context-switch records of a worker.  (L, monitor_lock) */
static void perf_enable(struct worker *worker, bool on)
{
	struct worker_detect *d = worker->detect;

	if (!d || !d->page || d->perf_enabled == on)
		return;
	d->proc_cached = false;
	d->sleep_known = false;
	if (on)
		d->head_at_enable = perf_head(d);
	if (ioctl(d->perf_fd,
		  on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE,
		  0) == 0) {
		d->perf_enabled = on;
		if (on)
			recording_add(worker);
		else
			recording_del(worker);
	}
}

static int perf_state(struct worker_detect *d)
{
	struct perf_event_mmap_page *pg = d->page;
	struct perf_event_header *rec;
	unsigned long long head;
	unsigned long long size = pg->data_size;

	head = perf_head(d);
	/* No switch since the records were enabled: the ring cannot tell. */
	if (!d->perf_enabled || head == d->head_at_enable)
		return STATE_UNKNOWN;
	rec = (struct perf_event_header *)((char *)pg + pg->data_offset +
					   ((head - sizeof(*rec)) &
					    (size - 1)));
	if (rec->type != PERF_RECORD_SWITCH || rec->size != sizeof(*rec))
		return STATE_UNKNOWN;
	if (!(rec->misc & PERF_RECORD_MISC_SWITCH_OUT))
		return STATE_RUNNING;
	if (rec->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT)
		return STATE_RUNNING; /* runnable, only preempted */
	return STATE_BLOCKED;
}

/*
 * Has a recording worker changed in a way a pass acts on: a counted one
 * blocked, or one found blocked runs again?  (monitor_lock)
 */
static bool recording_changed(void)
{
	int i;

	if (recording_full)
		return true;
	for (i = 0; i < nr_recording; i++) {
		struct worker *worker = recording[i];
		int s = atomic_load(&worker->cm_state);
		int st = perf_state(worker->detect);

		if ((st == STATE_BLOCKED && s == CM_COUNTED) ||
		    (st == STATE_RUNNING && s == CM_DETECTED))
			return true;
	}
	return false;
}

static int proc_state(struct worker_detect *d)
{
	char buf[512];
	ssize_t n = pread(d->stat_fd, buf, sizeof(buf) - 1, 0);
	char *p;

	if (n <= 0)
		return STATE_UNKNOWN;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return STATE_UNKNOWN;
	switch (p[2]) {
	case 'R':
		return STATE_RUNNING;
	case 'S':
	case 'D':
		return STATE_BLOCKED;
	default:
		return STATE_UNKNOWN;
	}
}

/*
 * What @worker does now.  @defer: the manager asks, past its first look of
 * the episode.  While cmwq-monitor runs, the manager then leaves a block
 * that a perf record shows to it, unless the same record is still the
 * newest at the manager's next poll (cmwq-monitor is starved):
 * cmwq-monitor sees it sooner, usually on the CPU the worker left, where
 * waking the next worker is cheapest.
 */
static int worker_state(struct worker *worker, bool defer)
{
	struct worker_detect *d = worker->detect;
	int st = STATE_UNKNOWN;
	bool from_perf;

	if (!d)
		return STATE_RUNNING;
	if (d->page) {
		perf_enable(worker, true);
		st = perf_state(d);
	}
	from_perf = st != STATE_UNKNOWN;
	if (!from_perf && d->stat_fd >= 0) {
		bool silent = d->page && d->perf_enabled &&
			      perf_head(d) == d->head_at_enable;

		if (silent && d->proc_cached) {
			st = d->proc_cached_state;
		} else {
			st = proc_state(d);
			d->proc_cached = silent;
			d->proc_cached_state = st;
		}
	}
	/*
	 * Ordered after perf_state()'s acquire (see pool_lock()); after
	 * /proc, which orders nothing, a hint.
	 */
	if (atomic_load_explicit(&worker->lock_wait, memory_order_relaxed))
		return STATE_RUNNING;
	if (st == STATE_BLOCKED && from_perf && defer &&
	    atomic_load(&monitor_thread_state) == 1) {
		unsigned long long head = perf_head(d);

		if (d->polled_head != head) {
			d->polled_head = head;
			return STATE_RUNNING;
		}
	}
	return st == STATE_UNKNOWN ? STATE_RUNNING : st;
}

/*
 * Timed sleeps (property 16).  A worker blocked in nanosleep() or
 * clock_nanosleep() -- usleep(), sleep(), the msleep() of ported code --
 * for at most BRIEF_SLEEP_MAX_NS comes back by itself, whatever else is
 * queued: no queued item can be what it waits for.  A pool full in flight
 * whose blocked items all sleep so starts no worker for them
 * (pool_short_of_workers()); the kernel cannot tell such a sleep from any
 * other wait and starts one for each.  /proc/self/task/TID/syscall names
 * the call and its arguments (readable for the process's own threads
 * whatever ptrace_scope says); the requested time is read from the
 * sleeping thread's memory with process_vm_readv(), which fails cleanly
 * where the address is gone.  Anything else, or any failure, is not a
 * brief sleep: the pool then goes by the kernel's rule.
 */
#define BRIEF_SLEEP_MAX_NS (50ull * 1000000ull)

static bool read_sleep_request(unsigned long long addr, bool time64,
			       long long *ns)
{
	long long t64[2];
	long tnat[2];
	struct iovec local = { time64 ? (void *)t64 : (void *)tnat,
			       time64 ? sizeof(t64) : sizeof(tnat) };
	struct iovec remote = { (void *)(uintptr_t)addr, local.iov_len };
	long long sec, nsec;

	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) !=
	    (ssize_t)local.iov_len)
		return false;
	sec = time64 ? t64[0] : tnat[0];
	nsec = time64 ? t64[1] : tnat[1];
	/* Up to year 2096 as a time of day: no overflow below. */
	if (sec < 0 || sec > 4000000000ll || nsec < 0 || nsec >= 1000000000)
		return false;
	*ns = sec * 1000000000ll + nsec;
	return true;
}

/*
 * How long @worker still sleeps in a timed sleep (an upper bound for a
 * relative one: it began before the monitor found it), SLEEP_RUNNING if it
 * is not blocked at all, or -1 if it is in no such sleep or that cannot
 * be told.  (L, monitor_lock)
 */
#define SLEEP_RUNNING (-2ll)

static long long sleep_remaining_ns(struct worker *worker,
				    unsigned long long now)
{
	struct worker_detect *d = worker->detect;
	unsigned long long arg[3];
	bool absolute = false, time64 = false;
	long long req, left;
	struct timespec ts;
	int clock = CLOCK_MONOTONIC, i;
	char buf[256], *p, *end;
	ssize_t n;
	long nr;

	if (d->syscall_fd < 0) {
		char path[64];

		if (d->syscall_tried || worker->tid <= 0)
			return -1;
		d->syscall_tried = true;
		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall",
			 (int)worker->tid);
		if (!detect_fd_take())
			return -1;
		d->syscall_fd = open(path, O_RDONLY | O_CLOEXEC);
		if (d->syscall_fd < 0) {
			detect_fd_give();
			return -1;
		}
	}
	n = pread(d->syscall_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "NR ARG0 ... ARG5 SP PC", "running", or "-1 SP PC" */
	/* Not blocked now (found blocked a moment ago): back already. */
	if (!strncmp(buf, "running", 7))
		return SLEEP_RUNNING;
	nr = strtol(buf, &p, 10);
	if (p == buf || nr < 0)
		return -1;
	for (i = 0; i < 3; i++) {
		arg[i] = strtoull(p, &end, 16);
		if (end == p)
			return -1;
		p = end;
	}
	switch (nr) {
#ifdef SYS_nanosleep
	case SYS_nanosleep:
		arg[2] = arg[0];
		break;
#endif
	case SYS_clock_nanosleep:
		clock = (int)arg[0];
		absolute = arg[1] & TIMER_ABSTIME;
		break;
#ifdef SYS_clock_nanosleep_time64
	case SYS_clock_nanosleep_time64:
		clock = (int)arg[0];
		absolute = arg[1] & TIMER_ABSTIME;
		time64 = true;
		break;
#endif
	default:
		return -1;
	}
	if (!read_sleep_request(arg[2], time64, &req))
		return -1;
	/*
	 * Relative: it began at the latest when the monitor found the worker
	 * blocked (the monitor may look long after).
	 */
	if (!absolute) {
		unsigned long long since = worker->mon_block_at_ns;

		if (since && since < now)
			req -= (long long)(now - since);
		return req > 0 ? req : 0;
	}
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME &&
	    clock != CLOCK_BOOTTIME)
		return -1;
	if (clock_gettime(clock, &ts))
		return -1;
	left = req - ((long long)ts.tv_sec * 1000000000ll + ts.tv_nsec);
	return left > 0 ? left : 0;
}

/*
 * Is @worker, found blocked, in a timed sleep that ends within
 * BRIEF_SLEEP_MAX_NS?  The answer is kept until the monitor finds the
 * worker running again or blocked anew (sleep_forget()), or its ring shows
 * a switch; a brief sleep's answer also ends with the sleep.
 * (L, monitor_lock)
 */
static bool worker_sleeps_briefly(struct worker *worker,
				  unsigned long long now)
{
	struct worker_detect *d = worker->detect;
	unsigned long long head = 0;
	unsigned long item;
	bool keyed;
	long long left;

	if (!d)
		return false;
	keyed = d->page && d->perf_enabled;
	/* Before the look: a switch during it makes the answer stale. */
	if (keyed)
		head = perf_head(d);
	/*
	 * With records, an unchanged head means the thread has not run since:
	 * past the end of its sleep it waits for a CPU, and comes back all
	 * the same.  Without, the answer for a sleep ends with the sleep.
	 */
	if (d->sleep_known &&
	    (keyed ? head == d->sleep_head
		   : !d->sleep_brief || now < d->sleep_end_ns))
		return d->sleep_brief;
	left = sleep_remaining_ns(worker, now);
	item = atomic_load_explicit(&worker->item_seq, memory_order_relaxed);
	d->sleep_known = true;
	d->sleep_head = head;
	if (left == SLEEP_RUNNING) {
		/* Runs, or waits for a CPU: back, and no sleep of its item. */
		d->sleep_brief = true;
		d->sleep_end_ns = now;
		return true;
	}
	d->sleep_brief = left >= 0 &&
			 (unsigned long long)left <= BRIEF_SLEEP_MAX_NS;
	/*
	 * One brief sleep per item: an item that sleeps again may be polling
	 * for something an item queued behind it does (while (!done)
	 * msleep(1)), and waiting for it would never end.  Its second sleep
	 * goes by the kernel's rule, so a pool waits at most one sleep of
	 * BRIEF_SLEEP_MAX_NS per item for its sleepers (property 15).
	 */
	if (d->brief_item_seq != item)
		d->brief_slept = d->brief_again = false;
	d->brief_item_seq = item;
	if (d->sleep_brief && d->brief_slept) {
		d->sleep_brief = false;
		d->brief_again = true;
	} else if (d->sleep_brief) {
		d->brief_slept = true;
	}
	d->sleep_end_ns = d->sleep_brief ? now + (unsigned long long)left : 0;
	return d->sleep_brief;
}

/* Has @worker slept briefly twice in the item it runs: polling? */
static bool worker_polls(struct worker *worker)
{
	struct worker_detect *d = worker->detect;

	return d && d->brief_again && worker->current_func &&
	       d->brief_item_seq == atomic_load_explicit(&worker->item_seq,
							 memory_order_relaxed);
}

/* The worker changed state: what it sleeps in must be read anew. */
static void sleep_forget(struct worker *worker)
{
	if (worker->detect)
		worker->detect->sleep_known = false;
}

/*
 * Is @worker, found blocked, past the end of the brief sleep it was found
 * in?  Then it waits for a CPU, not for its sleep: no blocked time for the
 * estimate.  (The perf records show a switch in, not a wake-up.)
 */
static bool sleep_is_over(struct worker *worker, unsigned long long now)
{
	struct worker_detect *d = worker->detect;

	return d && d->sleep_known && d->sleep_brief && now >= d->sleep_end_ns;
}

static unsigned long long thread_cpu_ns(struct worker *worker)
{
	struct worker_detect *d = worker->detect;
	struct timespec ts;

	if (!d || !d->has_cpuclock || clock_gettime(d->cpuclock, &ts) < 0)
		return 0;
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/*
 * Report a function that hogged the CPU, rate-limited as the kernel does:
 * at the 4th, 8th, 16th, ... time for each function.
 */
/*
 * The kernel's wq_cpu_intensive_report(), for per-CPU pools only, as
 * there: the advice to switch to WQ_UNBOUND means nothing to an item that
 * already runs unbound (whose pool stops counting it all the same).
 */
static void report_hog(struct worker_pool *pool, work_func_t func,
		       unsigned long long thresh_ns)
{
	static struct {
		work_func_t func;
		unsigned long long count;
	} seen[64];
	unsigned int i, slot = 64;
	unsigned long long c;
	char name[128];

	if (pool->cpu < 0)
		return;
	for (i = 0; i < 64; i++) {
		if (seen[i].func == func) {
			slot = i;
			break;
		}
		if (!seen[i].func && slot == 64)
			slot = i;
	}
	if (slot == 64)
		return;
	seen[slot].func = func;
	c = ++seen[slot].count;
	if (c < 4 || (c & (c - 1)))
		return;
	cmwq_warn("workqueue: %s hogged CPU for >%lluus %llu times, "
		  "consider switching to WQ_UNBOUND",
		  cmwq_func_name(func, name, sizeof(name)), thresh_ns / 1000,
		  c);
}

/* Lower *@next (if any) to @when. */
static void lower_next(unsigned long long *next, unsigned long long when)
{
	if (next && when < *next)
		*next = when;
}

/* worker_hogs()'s verdicts. */
enum hog_verdict {
	HOG_NOT,
	/*
	 * In its item for the threshold's wall time, not yet past it on the
	 * CPU: on CPUs it shares with other hogs its CPU clock runs at a
	 * share of the wall clock, and hogs cross the threshold one after
	 * another (4 hogs on 2 CPUs: 7 ms apart here).
	 */
	HOG_LONG,
	HOG_YES,
};

/*
 * Has @worker run its current item on the CPU past the threshold?  If not,
 * lowers *@next (NULL: cmwq-monitor's pass) to the earliest time it can
 * have: the manager's poll, which backs off to POLL_MAX_NS, found a hog up
 * to that late, and the items behind it waited so much longer.
 */
static enum hog_verdict worker_hogs(struct worker *worker,
				    unsigned long long now,
				    unsigned long long *next)
{
	unsigned long seq =
		atomic_load_explicit(&worker->item_seq, memory_order_relaxed);
	unsigned long long thresh =
		atomic_load_explicit(&hog_thresh_ns, memory_order_relaxed);
	unsigned long long used, left;

	if (seq != worker->mon_seq) {
		worker->mon_seq = seq;
		worker->mon_since_ns = now;
		worker->mon_cpu_ns = thread_cpu_ns(worker);
		lower_next(next, now + thresh);
		return HOG_NOT;
	}
	/* Wall time first: the CPU clock costs a system call. */
	if (now - worker->mon_since_ns < thresh) {
		lower_next(next, worker->mon_since_ns + thresh);
		return HOG_NOT;
	}
	used = thread_cpu_ns(worker) - worker->mon_cpu_ns;
	if (used >= thresh)
		return HOG_YES;
	/*
	 * At the share of a CPU it had so far (it shares them with other
	 * hogs): looking again sooner, at what is left of the threshold, it
	 * would look ever more often as it closes in.
	 */
	left = thresh - used;
	if (used > 0 && left < (1ull << 32))
		left = left * (now - worker->mon_since_ns) / used;
	lower_next(next, now + (left > POLL_MIN_NS ? left : POLL_MIN_NS));
	return HOG_LONG;
}

/*
 * Little's law for a pool whose items sleep: how many it keeps in flight.
 *
 * To keep target_running CPUs busy, a pool needs target_running times
 * (an item's CPU time + its time blocked) / its CPU time items in flight.
 * Two samples of blocked time: each pass over a pool with work waiting
 * adds the workers found blocked times the time since the last pass
 * (estimate_blocked(): blocks in progress), and each block the monitor
 * sees end adds its length (estimate_block_ended()).  At most every
 * EST_CPU_PERIOD_NS the manager's poll reads the CPU clocks of the
 * workers in flight and not blocked (estimate_cpu()).  All go into
 * decayed sums (time constant EST_TAU_NS); the CPU sum starts at
 * EST_PRIOR_WEIGHT_NS and the others at 0, a ratio of 1.  The target is
 * target_running times the ratio, rounded, once the ratio reaches
 * INFLIGHT_MIN_RATIO (items blocked at least half their time), and
 * target_running below: a pool whose items run on the CPU keeps the
 * kernel's rules.
 *
 * Until a block of the pool has ended, the pool is cold: the blocks in
 * progress are all it knows, and the target is at most
 * INFLIGHT_COLD_FACTOR times target_running (their ratio grows with every
 * item started while none has used its CPU yet).  Once a block has
 * ended, the ended blocks give the ratio, up to INFLIGHT_MAX_FACTOR times:
 * counted at their end, they add no time for items still in their first
 * sleep, which the blocks in progress would (W4's target then overshot to
 * its cap as its first items woke).  They still come in a burst as a pool
 * warms up, ahead of the CPU time that follows them: each worker holds
 * the blocks it ended until it blocks again or goes idle, when its CPU
 * time since is read too (estimate_release_held()).  And the target rises
 * by at most target_running and a quarter a period (estimate_cpu()).
 *
 * Blocked time, not time in flight: the time an item waits for a CPU is
 * no reason to start more (with time in flight, every item more made each
 * wait longer, and the target rose to its cap: 34 in flight where W4
 * needs 22).  A worker found blocked that is past the end of the brief
 * sleep it was found in waits for a CPU (the perf records show a switch
 * in, not a wake-up): its block ends with the sleep.  CPU time, not the
 * count of workers counted as running, because runnable workers queued on
 * a busy CPU count as running without using it.  (L, monitor_lock)
 */
#define EST_TAU_NS (20ull * 1000000ull) /* averaging time constant */
#define EST_MAX_STEP_NS (2ull * 1000000ull) /* longest step integrated */
#define EST_CPU_PERIOD_NS (1ull * 1000000ull) /* CPU clocks read this often */
#define INFLIGHT_MAX_FACTOR 128
#define INFLIGHT_COLD_FACTOR 8
/* Records stay on this long after a pool stops being watched. */
#define RECORDS_GRACE_NS (20ull * 1000000ull)
#define INFLIGHT_MIN_RATIO 2 /* below: the kernel's rules */

static void estimate_blocked(struct worker_pool *pool, int blocked,
			     unsigned long long now)
{
	if (pool->est_at_ns) {
		unsigned long long dt = now - pool->est_at_ns;

		if (dt > EST_MAX_STEP_NS)
			dt = EST_MAX_STEP_NS;
		pool->est_blocked_acc += (double)pool->est_last_blocked * dt;
	}
	pool->est_at_ns = now;
	pool->est_last_blocked = blocked;
}

/*
 * A block of @worker found over (it runs again, or the brief sleep it was
 * found in has ended) at @end: its length is a sample of the pool's
 * blocked time.  Held by the worker until it blocks again or goes idle
 * (estimate_release_held()): by then the CPU time it used after the block
 * is counted too.  Added at once, the blocks of a pool's first items,
 * which end together, came ahead of their CPU time, and the target
 * overshot (W4: 75 for a need of 22, and 34 workers).  (L, monitor_lock)
 */
static void estimate_block_ended(struct worker *worker,
				 unsigned long long end)
{
	if (end > worker->mon_block_at_ns)
		worker->est_ended_held +=
			(double)(end - worker->mon_block_at_ns);
	worker->mon_block_at_ns = 0;
}

/*
 * @worker blocks again (@cpu_now: read its CPU clock first, the end of
 * the CPU time since its last block) or goes idle: hand its held blocks
 * to the estimate.  (L, monitor_lock)
 */
static void estimate_release_held(struct worker *worker, bool cpu_now)
{
	struct worker_pool *pool = worker->pool;

	if (worker->est_ended_held <= 0)
		return;
	if (cpu_now && worker->est_cpu_valid) {
		unsigned long long cpu = thread_cpu_ns(worker);

		if (cpu >= worker->est_cpu_prev) {
			pool->est_cpu_acc +=
				(double)(cpu - worker->est_cpu_prev);
			worker->est_cpu_prev = cpu;
		}
	}
	pool->est_ended_acc += worker->est_ended_held;
	pool->est_warm = true;
	worker->est_ended_held = 0;
}

/*
 * The in-flight target for @blocked worker time per @cpu CPU time:
 * @target times their ratio (an item's time blocked and on the CPU over
 * its CPU time), rounded, at most @max_factor times @target, and @target
 * while the ratio is under INFLIGHT_MIN_RATIO.
 */
static int little_target(int target, double blocked, double cpu,
			 int max_factor)
{
	double ratio;

	if (cpu <= 0)
		return blocked > 0 ? target * max_factor : target;
	ratio = (cpu + blocked) / cpu;
	if (ratio >= max_factor)
		return target * max_factor;
	/*
	 * Items mostly on the CPU: the time they wait for a CPU or a lock is
	 * no reason to run more of them at once.
	 */
	if (ratio < INFLIGHT_MIN_RATIO)
		return target;
	return (int)(target * ratio + 0.5);
}

/* @worker, in an item, was found blocked or uncounted by the hooks. */
static bool worker_blocked(struct worker *worker)
{
	int s = atomic_load(&worker->cm_state);

	return s == CM_DETECTED || (s == CM_UNCOUNTED && worker->current_func);
}

/* Whether @worker's CPU time counts: in flight, not CPU-intensive. */
static bool worker_in_estimate(struct worker *worker)
{
	return !(worker->flags & (WORKER_IDLE | WORKER_CPU_INTENSIVE)) &&
	       atomic_load(&worker->cm_state) != CM_HOG;
}

static void estimate_cpu(struct worker_pool *pool, unsigned long long now)
{
	int target = pool->target_running, t, old_t;
	unsigned long long cpu_sum = 0;
	struct worker *worker;
	bool priming = !pool->est_cpu_at_ns;
	double fade;

	if (!priming && now - pool->est_cpu_at_ns < EST_CPU_PERIOD_NS)
		return;
	list_for_each_entry(worker, &pool->workers, node) {
		struct worker_detect *d = worker->detect;
		unsigned long long cpu;

		if (!worker_in_estimate(worker) || !d || !d->has_cpuclock) {
			worker->est_cpu_valid = false;
			continue;
		}
		/*
		 * Blocked: no CPU time since its last reading but what it
		 * used before it blocked, which its next reading counts.
		 * (Reading every blocked worker's clock each period cost
		 * the monitor a system call per item blocked, 1000 of them
		 * a millisecond.)
		 */
		if (worker->est_cpu_valid && !priming &&
		    worker_blocked(worker))
			continue;
		cpu = thread_cpu_ns(worker);
		if (!cpu || cpu < worker->est_cpu_prev) {
			/* The clock failed: leave this worker out. */
			worker->est_cpu_valid = false;
			continue;
		}
		if (worker->est_cpu_valid && !priming)
			cpu_sum += cpu - worker->est_cpu_prev;
		worker->est_cpu_prev = cpu;
		worker->est_cpu_valid = true;
	}
	if (!priming) {
		unsigned long long dt = now - pool->est_cpu_at_ns;

		if (dt > EST_TAU_NS)
			dt = EST_TAU_NS;
		fade = 1.0 - (double)dt / (double)EST_TAU_NS;
		pool->est_blocked =
			pool->est_blocked * fade + pool->est_blocked_acc;
		pool->est_ended = pool->est_ended * fade + pool->est_ended_acc;
		pool->est_cpu = pool->est_cpu * fade + (double)cpu_sum +
				pool->est_cpu_acc;
	}
	pool->est_cpu_acc = 0;
	pool->est_blocked_acc = 0;
	pool->est_ended_acc = 0;
	pool->est_cpu_at_ns = now;
	if (pool->est_warm)
		t = little_target(target, pool->est_ended, pool->est_cpu,
				  INFLIGHT_MAX_FACTOR);
	else
		t = little_target(target, pool->est_blocked, pool->est_cpu,
				  INFLIGHT_COLD_FACTOR);
	/*
	 * Up by at most target_running and a quarter a period, down at
	 * once: as a pool warms up, the blocks of its first items end in a
	 * burst and the ratio overshoots for a few periods (W4: 39-49 for a
	 * need of 22), and every item started meanwhile sleeps its whole
	 * sleep.  (The quarter: 50 ms sleeps need 101 a CPU, 90 ms away at
	 * one a period.)
	 */
	old_t = atomic_load_explicit(&pool->inflight_target,
				     memory_order_relaxed);
	if (!priming && t > old_t + target + old_t / 4)
		t = old_t + target + old_t / 4;
	if (t != old_t)
		atomic_store_explicit(&pool->inflight_target, t,
				      memory_order_relaxed);
}

/*
 * Do @pool's blocked items all come back by themselves?  Every worker in
 * an item that is not counted as running was found blocked in a brief
 * timed sleep, the first of its item.  A worker the hooks or the hog rule
 * uncounted is no such sleep.  Stops at the first that is not, so a pool
 * blocked on a completion costs one look a pass.  (L, monitor_lock)
 */
static bool pool_sleeps_briefly(struct worker_pool *pool,
				unsigned long long now)
{
	struct worker *worker;

	list_for_each_entry(worker, &pool->workers, node) {
		int s = atomic_load(&worker->cm_state);

		/* Idle, between items, or running: not blocked. */
		if ((worker->flags & WORKER_IDLE) || !worker->current_func ||
		    s == CM_COUNTED)
			continue;
		if (s != CM_DETECTED || !worker_sleeps_briefly(worker, now)) {
			return false;
		}
	}
	return true;
}

/*
 * Forward progress in a pool whose in-flight target keeps it from starting
 * a worker at once when none runs (pool_short_of_workers()): after
 * STARVED_NS with work queued and none running, the pool is starved and
 * starts workers by the kernel's rule, up to its running target, until
 * its CPUs are busy again (its target runs) or nothing waits.  A worker
 * that runs a moment before it blocks too does not end it: items that all
 * block behind each other start at the pace of thread creation, not one
 * per STARVED_NS (property 15).
 *
 * Items that wait for a queued item without blocking for good -- they poll
 * a flag between short sleeps, or wait on a condition with a timeout in a
 * loop -- run a moment now and then, so some worker often runs and the
 * pool never starves by that rule.  So the pool is stalled, for as long
 * as it lasts, once no item of it has finished for STALLED_NS with work
 * queued while its items in flight are blocked (all but target_running at
 * most: a pool of CPU-bound items is left to the hog rule) and not all in
 * their first brief sleep: a pool whose items finish is making progress;
 * one whose items do not, while others wait, may be waiting for them.  A
 * stalled pool starts a worker for each item waiting, the kernel's rule
 * for its unbound pools, whatever runs.  (Before, 300 items polling a flag
 * that a 301st item sets, with 1 ms sleeps, never saw it set.)
 * (L, monitor_lock)
 */
#define STARVED_NS (200ull * 1000ull)
#define STALLED_NS (10ull * 1000000ull)

static void pool_set_flag(atomic_int *flag, bool on)
{
	if (on != (bool)atomic_load_explicit(flag, memory_order_relaxed))
		atomic_store(flag, on);
}

/*
 * The monitor's verdicts on @pool's progress, for pool_short_of_workers():
 * brief_sleeps, stalled and starved (above).  @nr_blocked: the workers in
 * flight found blocked or uncounted by the hooks; @nr_polling: those seen
 * in a second brief sleep of their item (worker_polls()), which may look
 * running whenever the monitor looks.  (L, monitor_lock)
 */
static void pool_check_starved(struct worker_pool *pool, bool backlog,
			       int nr_blocked, int nr_polling,
			       unsigned long long now)
{
	unsigned long long done = pool->stats[POOL_STAT_ITEMS_COMPLETED];
	int running = atomic_load(&pool->nr_running);
	bool stuck, brief = false, stalled = false;

	if (done != pool->mon_items_done || !backlog || !pool->progress_at_ns) {
		pool->mon_items_done = done;
		pool->progress_at_ns = now;
	}
	stuck = now - pool->progress_at_ns >= STALLED_NS &&
		(nr_polling > 0 || nr_blocked + pool->target_running >
					   atomic_load(&pool->nr_inflight));
	if (backlog && !pool->bh && detect_mode != CMWQ_DETECT_OFF &&
	    (running < pool->target_running || stuck)) {
		bool all_brief = pool_sleeps_briefly(pool, now);

		brief = all_brief && running < pool->target_running;
		stalled = stuck && !all_brief;
	}
	pool_set_flag(&pool->brief_sleeps, brief);
	pool_set_flag(&pool->stalled, stalled);
	if (!backlog || running >= pool->target_running ||
	    (running > 0 &&
	     !atomic_load_explicit(&pool->starved, memory_order_relaxed))) {
		pool->none_running_since_ns = 0;
		pool_set_flag(&pool->starved, false);
		return;
	}
	if (!pool->none_running_since_ns)
		pool->none_running_since_ns = now;
	else if (now - pool->none_running_since_ns >= STARVED_NS)
		pool_set_flag(&pool->starved, true);
}

/* Look at one watched pool.  Returns true if it needed action.  (L) */
static bool monitor_pool(struct worker_pool *pool, unsigned long long now,
			 bool polling, bool *keep, unsigned long long *next)
{
	struct worker *worker;
	bool found = false, uncounted = false, backlog;
	int nr_blocked = 0, nr_polling = 0, nr_long = 0;
	enum hog_verdict verdict;
	bool defer;

	if (!pool->mon_watching) {
		/* A new episode: the manager's first look acts at once. */
		pool->mon_watching = true;
		pool->episode_fresh = true;
		pool->progress_at_ns = now;
	}
	defer = polling && !pool->episode_fresh;
	if (polling)
		pool->episode_fresh = false;
	pool_drain_incoming(pool);
	backlog = !list_empty(&pool->worklist);
	list_for_each_entry(worker, &pool->workers, node) {
		int s = atomic_load(&worker->cm_state);

		/*
		 * A block that ended without the monitor (the item returned
		 * and the worker counted itself again): about now.
		 */
		if (worker->mon_block_at_ns && s != CM_DETECTED)
			estimate_block_ended(worker, now);
		if (worker->flags & WORKER_IDLE) {
			estimate_release_held(worker, false);
			continue;
		}
		if (pool->bh) {
			/*
			 * No concurrency management: the one worker keeps
			 * counting whatever its item does.  An item that
			 * sleeps or runs long is reported, and the items
			 * behind it wait, as behind the kernel's softirq.
			 */
			if (!worker->current_func || !backlog)
				continue;
			if (detect_mode != CMWQ_DETECT_OFF &&
			    worker_state(worker, false) == STATE_BLOCKED)
				cmwq_bh_report(worker,
					       atomic_load(&worker->item_seq),
					       worker->current_func, BH_SLEPT,
					       0);
			else if (worker_hogs(worker, now, next) == HOG_YES)
				cmwq_bh_report(worker,
					       atomic_load(&worker->item_seq),
					       worker->current_func,
					       BH_RUNS_LONG,
					       atomic_load(&hog_thresh_ns));
			continue;
		}
		if (s == CM_COUNTED && backlog) {
			if (detect_mode == CMWQ_DETECT_OFF)
				continue;
			if (worker_state(worker, defer) == STATE_BLOCKED) {
				if (worker_cm_transition(worker, CM_COUNTED,
							 CM_DETECTED)) {
					sleep_forget(worker);
					estimate_release_held(worker, true);
					worker->mon_block_at_ns = now;
					atomic_fetch_add_explicit(
						&pool->cm_wakeups, 1,
						memory_order_relaxed);
					cmwq_count_cm_wakeup(worker);
					worker->mon_seq = 0;
					found = true;
					uncounted = true;
				}
			} else if (!worker->current_func) {
				/* Between items: nothing to time. */
			} else if ((verdict = worker_hogs(worker, now, next)) !=
				   HOG_YES) {
				nr_long += verdict == HOG_LONG;
			} else if (worker_cm_transition(worker, CM_COUNTED,
							CM_HOG)) {
				pool->stats[POOL_STAT_CPU_INTENSIVE]++;
				if (worker->current_pwq)
					worker->current_pwq->stats[PWQ_STAT_CPU_INTENSIVE]++;
				report_hog(pool, worker->current_func,
					   atomic_load(&hog_thresh_ns));
				found = true;
				uncounted = true;
			}
		} else if (s == CM_DETECTED) {
			/*
			 * Not deferred: the deferral leaves a block it has
			 * not seen to cmwq-monitor, and this one was seen.
			 * (Deferred, the manager's first look at a worker
			 * still blocked said "running" and counted it again:
			 * nr_running one too high until the next pass, and a
			 * second block of the same item for the estimate.)
			 */
			if (worker_state(worker, false) != STATE_BLOCKED) {
				if (worker_cm_transition(worker, CM_DETECTED,
							 CM_COUNTED)) {
					if (worker->mon_block_at_ns)
						estimate_block_ended(worker,
								     now);
					sleep_forget(worker);
				}
			} else
				uncounted = true;
		} else if (s == CM_HOG) {
			uncounted = true;
		}
		/*
		 * For estimate_blocked(): found blocked, or in an item and
		 * uncounted by the hooks.  CPU-intensive items are apart.
		 */
		if (atomic_load(&worker->cm_state) == CM_DETECTED &&
		    sleep_is_over(worker, now)) {
			/* Waits for a CPU: its block ended with the sleep. */
			if (worker->mon_block_at_ns)
				estimate_block_ended(
					worker, worker->detect->sleep_end_ns);
		} else if (worker_in_estimate(worker) &&
			   worker_blocked(worker)) {
			nr_blocked++;
		}
		if (worker_polls(worker))
			nr_polling++;
	}
	/*
	 * Bound pools too, but there the target only bounds how many items
	 * in brief sleeps the pool starts (pool_short_of_workers()): a bound
	 * worker over the running target still takes no new item, the
	 * kernel's rule (keep_working(); DESIGN.md, issue 4).
	 */
	if (backlog && !pool->bh && detect_mode != CMWQ_DETECT_OFF) {
		estimate_blocked(pool, nr_blocked, now);
		if (polling)
			estimate_cpu(pool, now);
	} else {
		/* Not sampling: the next episode starts afresh. */
		pool->est_at_ns = 0;
		pool->est_cpu_at_ns = 0;
		pool->est_blocked_acc = 0;
		pool->est_cpu_acc = 0;
	}
	pool_check_starved(pool, backlog, nr_blocked, nr_polling, now);
	if (atomic_load_explicit(&pool->nr_long, memory_order_relaxed) !=
	    nr_long)
		atomic_store_explicit(&pool->nr_long, nr_long,
				      memory_order_relaxed);
	/*
	 * Kick whenever the pool is short of running workers with work
	 * queued, not only after a finding: a watched pool must never sit
	 * with work queued and every worker asleep.
	 */
	if (found || backlog) {
		int n = workers_to_wake(pool);

		if (n > 0)
			pool_kick_many(pool, n);
	}
	if (backlog || uncounted) {
		*keep = true;
	} else {
		/*
		 * Stop watching, then look once more: a queuer that pushed
		 * before seeing the flag clear set it again (seq_cst both
		 * sides, as in pool.c).  The records stay on for
		 * RECORDS_GRACE_NS (monitor_scan()), so that a worker that
		 * blocks as the next episode starts is seen by cmwq-monitor
		 * on its own CPU, not first by the manager woken from afar.
		 */
		atomic_store(&pool->watched, 0);
		if (atomic_load(&pool->incoming)) {
			atomic_store(&pool->watched, 1);
			*keep = true;
		} else {
			pool->mon_watching = false;
			pool->records_until_ns = now + RECORDS_GRACE_NS;
		}
	}
	return found;
}

/*
 * An unwatched pool whose records are still on (after an episode): the
 * manager turns them off once RECORDS_GRACE_NS are over; cmwq-monitor,
 * woken by a worker that blocked with work already queued behind it
 * before the queuer marked the pool watched, marks it and looks at once.
 * Returns whether to look at the pool now.  (monitor_lock)
 */
static bool pool_in_grace(struct worker_pool *pool, unsigned long long now,
			  bool polling, unsigned long long *next)
{
	struct worker *worker;

	if (!pool->records_until_ns)
		return false;
	if (polling) {
		if (now < pool->records_until_ns) {
			if (next && pool->records_until_ns < *next)
				*next = pool->records_until_ns;
			return false;
		}
		/* Over: the workers' switches cost nothing again. */
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		if (!atomic_load(&pool->watched)) {
			list_for_each_entry(worker, &pool->workers, node)
				perf_enable(worker, false);
		}
		pool->records_until_ns = 0;
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
		return false;
	}
	if (!atomic_load(&pool->incoming) && !atomic_load(&pool->nr_worklist))
		return false;
	if (!atomic_exchange(&pool->watched, 1)) {
		cmwq_monitor_new_episode();
		cmwq_manager_wake();
	}
	return true;
}

/*
 * Look at every watched pool once.  Returns whether any pool is still
 * watched; *@found tells whether anything was found.  (monitor_lock)
 */
static bool monitor_scan(unsigned long long now, bool polling, bool *found,
			 unsigned long long *next)
{
	bool keep = false;
	int i, n = cmwq_pool_count();

	for (i = 0; i < n; i++) {
		struct worker_pool *pool = cmwq_pool_by_id(i);

		if (!atomic_load(&pool->watched) &&
		    !pool_in_grace(pool, now, polling, next))
			continue;
		cmwq_mutex_lock(&pool->lock, LC_POOL);
		*found |= monitor_pool(pool, now, polling, &keep, next);
		cmwq_mutex_unlock(&pool->lock, LC_POOL);
	}
	return keep;
}

/* cmwq-monitor: a pass at each batch of perf records. */
static void *monitor_thread(void *arg)
{
	struct epoll_event ev[16];

	(void)arg;
	cmwq_thread_set_name("cmwq-monitor");
	/* Never preempt a worker; see the comment at the top. */
	sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){ 0 });
	for (;;) {
		bool found = false;
		int n = epoll_wait(monitor_epfd, ev, 16, -1);

		if (n < 0 && errno != EINTR) {
			cmwq_warn("cmwq-monitor: epoll_wait: %s; blocked "
				  "workers are found by polling only",
				  strerror(errno));
			atomic_store(&monitor_thread_state, 2);
			return NULL;
		}
		cmwq_mutex_lock(&monitor_lock, LC_MONITOR);
		if (recording_changed())
			monitor_scan(cmwq_clock_ns(), false, &found, NULL);
		cmwq_mutex_unlock(&monitor_lock, LC_MONITOR);
	}
	return NULL;
}

/* On the manager thread, when a pool is first watched. */
static void monitor_thread_start(void)
{
	if (monitor_epfd < 0 || atomic_load(&perf_failed) ||
	    atomic_load(&monitor_thread_state))
		return;
	atomic_store(&monitor_thread_state, 1);
	if (cmwq_thread_start(monitor_thread, NULL) < 0) {
		atomic_store(&monitor_thread_state, 2);
		cmwq_warn_const("cannot start cmwq-monitor; blocked workers "
				"are found by polling only");
	}
}

/*
 * The manager's pass over the watched pools; lowers *@next to when the
 * next pass is due.  Runs on the manager thread.
 */
void cmwq_monitor_pass(unsigned long long now, unsigned long long *next)
{
	bool found = false, keep;

	if (atomic_exchange_explicit(&new_episode, 0, memory_order_relaxed)) {
		poll_ns = POLL_MIN_NS;
		monitor_thread_start();
	}
	cmwq_mutex_lock(&monitor_lock, LC_MONITOR);
	keep = monitor_scan(now, true, &found, next);
	cmwq_mutex_unlock(&monitor_lock, LC_MONITOR);
	if (!keep) {
		poll_ns = POLL_MIN_NS;
		return;
	}
	if (found || atomic_load_explicit(&new_episode, memory_order_relaxed))
		poll_ns = POLL_MIN_NS;
	else if (poll_ns < POLL_MAX_NS)
		poll_ns *= 2;
	if (now + poll_ns < *next)
		*next = now + poll_ns;
}

/* For fork.c: hold the monitor's lock across fork(). */
void cmwq_monitor_lock(void)
{
	cmwq_mutex_lock(&monitor_lock, LC_MONITOR);
}

void cmwq_monitor_unlock(void)
{
	cmwq_mutex_unlock(&monitor_lock, LC_MONITOR);
}

/*
 * For fork.c, in the child, before the workers are forgotten: the epoll
 * instance is the parent's too, so leave it alone and make a new one; the
 * child has no cmwq-monitor until a pool is watched again.
 */
void cmwq_detect_fork_child(void)
{
	if (monitor_epfd >= 0) {
		close(monitor_epfd);
		monitor_epfd = epoll_create1(EPOLL_CLOEXEC);
	}
	atomic_store(&monitor_thread_state, 0);
	nr_recording = 0;
	/* The warming thread was the parent's: the next worker starts one. */
	if (atomic_load(&perf_warm) == 1)
		atomic_store(&perf_warm, 0);
	/*
	 * fork() copied the parent's descriptors, not the size of its table
	 * (dup_fd() sizes it to the highest open one): grow it again here,
	 * while the child has one thread, before fork.c restarts rescuers.
	 * In a worker of the child it was an RCU wait of ~10 ms, which made
	 * the first items blocked in a forked child wait 2-3 times longer.
	 */
	if (detect_mode != CMWQ_DETECT_OFF)
		detect_grow_fd_table();
}

CMWQ_API int cmwq_detect_mode(void)
{
	cmwq_init_once();
	if ((detect_mode & ~CMWQ_DETECT_FORCED) == CMWQ_DETECT_PERF &&
	    atomic_load(&perf_failed))
		return CMWQ_DETECT_PROC;
	return detect_mode & ~CMWQ_DETECT_FORCED;
}

unsigned long long cmwq_cpu_intensive_thresh_ns(void)
{
	return atomic_load_explicit(&hog_thresh_ns, memory_order_relaxed);
}

CMWQ_API void cmwq_set_cpu_intensive_thresh_us(unsigned int us)
{
	if (!us) {
		cmwq_warn("cmwq_set_cpu_intensive_thresh_us: 0 is not a "
			  "threshold; unchanged");
		return;
	}
	atomic_store_explicit(&hog_thresh_ns, (unsigned long long)us * 1000ull,
			      memory_order_relaxed);
}
