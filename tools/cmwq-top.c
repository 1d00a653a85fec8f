// SPDX-License-Identifier: MIT
/*
 * cmwq-top - watch the workqueues of a running process linked with cmwq
 *
 * The columns of the kernel's wq_monitor.py, per workqueue:
 *
 *   total    items started
 *   infl     items queued and not finished yet
 *   CPUtime  seconds of CPU its work functions used (sampled while
 *            watched)
 *   CPUitsv  items that stopped counting for concurrency management
 *            because they used the CPU too long (or WQ_CPU_INTENSIVE)
 *   CMW/RPR  concurrency-management wake-ups: another worker woken or
 *            created because one of its items blocked
 *   mayday   mayday calls (WQ_MEM_RECLAIM only, else "-")
 *   rescued  items its rescuer ran (WQ_MEM_RECLAIM only, else "-")
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "parse_num.h"
#include "shm_client.h"

#include <cmwq/version.h>
#include <cmwq/workqueue.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cmwq-top [-i SECONDS] [-n COUNT] [-1] [-j] [-d] "
		"[-f REGEX] [PID]\n"
		"  -i, --interval SECONDS  refresh interval (default 1)\n"
		"  -n, --count COUNT       stop after COUNT refreshes\n"
		"  -1, --once              print once and exit\n"
		"  -j, --json              one JSON object per refresh\n"
		"  -d, --delta             show what changed in the interval\n"
		"  -f, --filter REGEX      only workqueues whose name matches\n"
		"  -l, --list              list the processes that can be "
		"watched\n"
		"  -h, --help              print this and exit\n"
		"  -V, --version           print the version and exit\n"
		"Without PID: the only process that publishes cmwq counters.\n"
		"A process that has not published yet is waited for up to "
		"2 s.\n"
		"Exit status: 0 done, 1 the process cannot be watched (or no "
		"workqueue\n"
		"matched -f), 2 usage error.\n");
}

static int usage_error(void)
{
	fprintf(stderr, "Try 'cmwq-top --help'.\n");
	return 2;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

/* The previous refresh, for --delta; matched by name. */
static struct cmwq_shm_wq *prev;
static uint32_t nr_prev;

static const struct cmwq_shm_wq *find_prev(const char *name)
{
	uint32_t i;

	for (i = 0; i < nr_prev; i++)
		if (!strcmp(prev[i].name, name))
			return &prev[i];
	return NULL;
}

/* Both printers return how many workqueues they showed. */
static uint32_t print_table(struct cmwq_shm_snap *s, pid_t pid,
			    const regex_t *re, bool delta)
{
	struct cmwq_shm_wq *wqs = cmwq_shm_wqs(s);
	char stamp[64];
	time_t t = time(NULL);
	uint32_t i, shown = 0;

	strftime(stamp, sizeof(stamp), "%F %T", localtime(&t));
	printf("%s  pid %d (%s)%s\n", stamp, (int)pid, s->comm,
	       delta ? "  per interval" : "");
	printf("%-32s %9s %6s %9s %8s %8s %7s %7s\n", "", "total", "infl",
	       "CPUtime", "CPUitsv", "CMW/RPR", "mayday", "rescued");
	for (i = 0; i < s->nr_wqs; i++) {
		const struct cmwq_shm_wq *q = &wqs[i];
		const struct cmwq_shm_wq *p = delta ? find_prev(q->name) : NULL;
		struct cmwq_shm_wq zero;
		char mayday[24], rescued[24];

		if (re && regexec(re, q->name, 0, NULL, 0))
			continue;
		shown++;
		if (!p) {
			memset(&zero, 0, sizeof(zero));
			p = &zero;
		}
		if (q->flags & WQ_MEM_RECLAIM) {
			snprintf(mayday, sizeof(mayday), "%" PRIu64,
				 q->mayday - p->mayday);
			snprintf(rescued, sizeof(rescued), "%" PRIu64,
				 q->rescued - p->rescued);
		} else {
			strcpy(mayday, "-");
			strcpy(rescued, "-");
		}
		printf("%-32.32s %9" PRIu64 " %6u %9.1f %8" PRIu64 " %8" PRIu64
		       " %7s %7s\n",
		       q->name, q->started - p->started, q->nr_in_flight,
		       (double)(q->cpu_time_ns - p->cpu_time_ns) / 1e9,
		       q->cpu_intensive - p->cpu_intensive,
		       q->cm_wakeups - p->cm_wakeups, mayday, rescued);
	}
	printf("\n");
	return shown;
}

static uint32_t print_json(struct cmwq_shm_snap *s, pid_t pid,
			   const regex_t *re)
{
	struct cmwq_shm_wq *wqs = cmwq_shm_wqs(s);
	struct cmwq_shm_pool *pools = cmwq_shm_pools(s);
	uint32_t i, shown = 0;
	bool first = true;

	printf("{\"pid\":%d,\"comm\":", (int)pid);
	json_str(s->comm);
	printf(",\"time\":%lld,\"workqueues\":[", (long long)time(NULL));
	for (i = 0; i < s->nr_wqs; i++) {
		const struct cmwq_shm_wq *q = &wqs[i];

		if (re && regexec(re, q->name, 0, NULL, 0))
			continue;
		printf("%s{\"name\":", first ? "" : ",");
		first = false;
		shown++;
		json_str(q->name);
		printf(",\"flags\":%u,\"max_active\":%d,\"total\":%" PRIu64
		       ",\"completed\":%" PRIu64 ",\"infl\":%u,\"active\":%u"
		       ",\"inactive\":%u,\"cpu_time_ns\":%" PRIu64
		       ",\"cpu_intensive\":%" PRIu64 ",\"cm_wakeups\":%" PRIu64
		       ",\"mayday\":%" PRIu64 ",\"rescued\":%" PRIu64 "}",
		       q->flags, q->max_active, q->started, q->completed,
		       q->nr_in_flight, q->nr_active, q->nr_inactive,
		       q->cpu_time_ns, q->cpu_intensive, q->cm_wakeups,
		       q->mayday, q->rescued);
	}
	printf("],\"pools\":[");
	for (i = 0; i < s->nr_pools; i++) {
		const struct cmwq_shm_pool *p = &pools[i];

		printf("%s{\"id\":%d,\"name\":", i ? "," : "", p->id);
		json_str(p->name);
		printf(",\"cpu\":%d,\"nice\":%d,\"workers\":%u,\"idle\":%u"
		       ",\"running\":%u,\"queued\":%u,\"started\":%" PRIu64
		       ",\"completed\":%" PRIu64 ",\"cm_wakeups\":%" PRIu64
		       ",\"cpu_intensive\":%" PRIu64 ",\"mayday\":%" PRIu64 "}",
		       p->cpu, p->nice, p->nr_workers, p->nr_idle,
		       p->nr_running, p->nr_worklist, p->started, p->completed,
		       p->cm_wakeups, p->cpu_intensive, p->mayday);
	}
	printf("],\"truncated\":%s}\n", s->truncated ? "true" : "false");
	return shown;
}

static int list_processes(void)
{
	pid_t pids[256];
	int i, n = shm_client_list(pids, 256);

	printf("%8s  %s\n", "PID", "COMM");
	for (i = 0; i < n; i++) {
		char path[64], comm[32] = "?";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pids[i]);
		f = fopen(path, "r");
		if (f) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		printf("%8d  %s\n", (int)pids[i], comm);
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "once", no_argument, NULL, '1' },
		{ "json", no_argument, NULL, 'j' },
		{ "delta", no_argument, NULL, 'd' },
		{ "filter", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	double interval = 1.0;
	unsigned long count = 0, done = 0;
	bool json = false, delta = false, list = false;
	const char *filter = NULL;
	uint32_t matched = 0;
	struct shm_client c;
	regex_t re;
	char err[256];
	pid_t pid;
	int opt, ret, status = 0;

	while ((opt = getopt_long(argc, argv, "i:n:1jdf:lhV", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'i':
			if (parse_seconds("cmwq-top", "-i", optarg, 0, 1, 86400,
					  &interval))
				return usage_error();
			break;
		case 'n':
			if (parse_ulong("cmwq-top", "-n", optarg, 1, 1000000000,
					&count))
				return usage_error();
			break;
		case '1':
			count = 1;
			break;
		case 'j':
			json = true;
			break;
		case 'd':
			delta = true;
			break;
		case 'f':
			filter = optarg;
			break;
		case 'l':
			list = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cmwq-top (cmwq) %s\n", CMWQ_VERSION_STRING);
			return 0;
		default:
			return usage_error();
		}
	}
	/* Files this user's killed processes left: nobody can watch those. */
	cmwq_shm_remove_stale(0);
	if (list) {
		if (optind < argc) {
			fprintf(stderr, "cmwq-top: -l takes no PID\n");
			return usage_error();
		}
		return list_processes();
	}
	if (filter && regcomp(&re, filter, REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr, "cmwq-top: -f: '%s' is not a regular "
				"expression\n",
			filter);
		return usage_error();
	}
	pid = shm_client_pick_pid("cmwq-top", argc, argv, optind,
				  list_processes);
	if (pid < 0) {
		if (filter)
			regfree(&re);
		return pid == -2 ? usage_error() : 1;
	}
	/* Started a moment ago (cmd & cmwq-top $!): give it time to publish. */
	ret = shm_client_attach_wait(&c, pid, 2000, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "cmwq-top: %s\n", err);
		if (filter)
			regfree(&re);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop) {
		ret = shm_client_refresh(&c, 1000, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "cmwq-top: pid %d: %s\n", (int)pid,
				err);
			status = 1;
			break;
		}
		if (json)
			matched += print_json(c.copy, pid, filter ? &re : NULL);
		else
			matched += print_table(c.copy, pid, filter ? &re : NULL,
					       delta);
		fflush(stdout);
		if (delta) {
			free(prev);
			nr_prev = c.copy->nr_wqs;
			prev = malloc(sizeof(*prev) * (nr_prev + 1));
			if (prev)
				memcpy(prev, cmwq_shm_wqs(c.copy),
				       sizeof(*prev) * nr_prev);
			else
				nr_prev = 0;
		}
		if (count && ++done >= count)
			break;
		{
			struct timespec ts = {
				(time_t)interval,
				(long)((interval - (double)(time_t)interval) *
				       1e9)
			};

			nanosleep(&ts, NULL);
		}
	}
	if (!status && filter && !matched) {
		fprintf(stderr, "cmwq-top: no workqueue of pid %d matches "
				"'%s'\n",
			(int)pid, filter);
		status = 1;
	}
	free(prev);
	shm_client_detach(&c);
	if (filter)
		regfree(&re);
	return status;
}
