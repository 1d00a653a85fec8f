/* SPDX-License-Identifier: MIT */
/*
 * cmwq-demo.c - real work on several workqueues at once, then what the
 * pools did
 *
 *	crunch    alloc_workqueue("crunch", 0, 0): CPU-bound items, a chain on
 *		  every CPU's pool
 *	io        alloc_workqueue("io", 0, 0): on every CPU a dispatcher item
 *		  fans out requests on its own CPU and waits for them; each
 *		  request waits for the "device" in wait_for_completion_timeout,
 *		  so the pool, which keeps one worker running per CPU, starts
 *		  other workers meanwhile (concurrency management)
 *	hash      alloc_workqueue("hash", WQ_UNBOUND, 0): hashing on the shared
 *		  unbound pool
 *	journal   alloc_ordered_workqueue("journal", 0): appends to a log, one
 *		  at a time, in order
 *	highpri   system_highpri_wq: small urgent items on every CPU's
 *		  high-priority pool
 *
 * It shows progress while the work runs, then a table per pool and per
 * workqueue from <cmwq/stats.h>, and checks that the numbers add up: it
 * exits 0 only if every item queued ran exactly once, where it should have.
 *
 * One round of all that takes well under a second.  --seconds N repeats
 * rounds until N seconds have passed, so that cmwq-top has something to
 * watch:
 *
 *	cmwq-demo --seconds 3 & cmwq-top -i 0.5 -n 2 $!
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq.h>
#include <cmwq/version.h>

#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

#include "expect.h"
#include "../tools/parse_num.h"

#define CRUNCH_PER_CPU 128
#define CRUNCH_ROUNDS (1u << 20)
#define IO_ROUNDS 8
#define IO_PER_ROUND 12
#define IO_MS 20
#define NR_HASH 128
#define HASH_CHUNK 32768
#define NR_JOURNAL 256
#define HIGHPRI_PER_CPU 8

enum kind { CRUNCH, IO_DISPATCH, IO_REQ, HASH, JOURNAL, HIGHPRI, NR_KINDS };

static const char *const kind_names[NR_KINDS] = {
	"crunch", "io-dispatch", "io-request", "hash", "journal", "highpri",
};

struct demo_item {
	struct work_struct work;
	enum kind kind;
	int index;
	int cpu; /* the CPU asked for, -1 when unbound */
	int ran_on_cpu;
	bool ran_on_highpri; /* worker name ends in H */
	uint64_t result;
};

/* Per-CPU state of the io dispatchers. */
struct io_cpu {
	struct demo_item dispatcher;
	struct demo_item reqs[IO_PER_ROUND];
	atomic_int left;
	struct completion round_done;
};

static struct workqueue_struct *crunch_wq, *io_wq, *hash_wq, *journal_wq;
static int nr_cpus, nr_used_cpus;
static int *used_cpus;

static atomic_long queued[NR_KINDS];
static atomic_long done[NR_KINDS];
static atomic_long remaining; /* items still to finish */
static struct completion all_done;
static struct completion device; /* never completed: I/O latency */
static atomic_int wrong_cpu;

static struct demo_item *crunch_items, *highpri_items;
static struct io_cpu *io_cpus;
static struct demo_item hash_items[NR_HASH];
static struct demo_item journal_items[NR_JOURNAL];
static unsigned char *hash_data;
static int journal_log[NR_JOURNAL];
static atomic_int journal_len;

static void item_finished(struct demo_item *it)
{
	atomic_fetch_add(&done[it->kind], 1);
	if (atomic_fetch_sub(&remaining, 1) == 1)
		complete(&all_done);
}

static void note_cpu(struct demo_item *it)
{
	it->ran_on_cpu = smp_processor_id();
	if (it->cpu >= 0 && it->ran_on_cpu != it->cpu)
		atomic_fetch_add(&wrong_cpu, 1);
}

static uint64_t crunch(uint64_t x, unsigned int rounds)
{
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	while (n--)
		h = (h ^ *p++) * 1099511628211ull;
	return h;
}

static void queue_item(struct workqueue_struct *wq, struct demo_item *it)
{
	if (queue_work_on(it->cpu >= 0 ? it->cpu : WORK_CPU_UNBOUND, wq,
			  &it->work))
		atomic_fetch_add(&queued[it->kind], 1);
}

static void crunch_func(struct work_struct *work)
{
	struct demo_item *it = container_of(work, struct demo_item, work);

	note_cpu(it);
	it->result = crunch((uint64_t)it->index + 1, CRUNCH_ROUNDS);
	/* Chain: the next item of this CPU's stream goes to the back. */
	if ((it->index + 1) % CRUNCH_PER_CPU != 0)
		queue_item(crunch_wq, it + 1);
	item_finished(it);
}

static void io_req_func(struct work_struct *work)
{
	struct demo_item *it = container_of(work, struct demo_item, work);
	struct io_cpu *ic = &io_cpus[it->index];

	note_cpu(it);
	/* Wait for the device: the pool runs other items meanwhile. */
	wait_for_completion_timeout(&device, msecs_to_jiffies(IO_MS));
	item_finished(it);
	if (atomic_fetch_sub(&ic->left, 1) == 1)
		complete(&ic->round_done);
}

static void io_dispatch_func(struct work_struct *work)
{
	struct demo_item *it = container_of(work, struct demo_item, work);
	struct io_cpu *ic = &io_cpus[it->index];
	int round, i;

	note_cpu(it);
	for (round = 0; round < IO_ROUNDS; round++) {
		atomic_store(&ic->left, IO_PER_ROUND);
		/* Queued on this CPU: they wait until this worker sleeps. */
		for (i = 0; i < IO_PER_ROUND; i++)
			queue_item(io_wq, &ic->reqs[i]);
		wait_for_completion(&ic->round_done);
	}
	item_finished(it);
}

static void hash_func(struct work_struct *work)
{
	struct demo_item *it = container_of(work, struct demo_item, work);

	it->result =
		fnv1a(hash_data + (size_t)it->index * HASH_CHUNK, HASH_CHUNK);
	item_finished(it);
}

static void journal_func(struct work_struct *work)
{
	struct demo_item *it = container_of(work, struct demo_item, work);
	int n = atomic_load(&journal_len);

	/* Ordered: no other journal item runs now, so no lock is needed. */
	journal_log[n] = it->index;
	atomic_store(&journal_len, n + 1);
	item_finished(it);
}

static void highpri_func(struct work_struct *work)
{
	struct demo_item *it = container_of(work, struct demo_item, work);
	char name[16] = "";
	size_t len;

	note_cpu(it);
	pthread_getname_np(pthread_self(), name, sizeof(name));
	len = strlen(name);
	it->ran_on_highpri = len > 0 && name[len - 1] == 'H';
	it->result = crunch((uint64_t)it->index + 7, 1000);
	item_finished(it);
}

static void init_item(struct demo_item *it, enum kind kind, int index, int cpu,
		      work_func_t func)
{
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->index = index;
	it->cpu = cpu;
	it->ran_on_cpu = -1;
	INIT_WORK(&it->work, func);
}

static int round_nr; /* the round running now, from 1 */

static void print_progress(double secs, bool tty, bool last)
{
	int k;

	printf("%s[%5.2f s]", tty ? "\r" : "", secs);
	if (round_nr > 1)
		printf(" round %d:", round_nr);
	for (k = 0; k < NR_KINDS; k++)
		printf(" %s %ld/%ld", kind_names[k],
		       (long)atomic_load(&done[k]),
		       (long)atomic_load(&queued[k]));
	printf("%s", tty && !last ? "" : "\n");
	fflush(stdout);
}

static const char *flag_names(unsigned int flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s",
		 flags & WQ_UNBOUND ? "unbound" : "per-cpu",
		 flags & __WQ_ORDERED ? ",ordered" : "",
		 flags & WQ_HIGHPRI ? ",highpri" : "",
		 flags & WQ_MEM_RECLAIM ? ",mem_reclaim" : "",
		 flags & WQ_CPU_INTENSIVE ? ",cpu_intensive" : "");
	return buf;
}

/* Sum of what the workqueue tables say; checked against the pools. */
static unsigned long long wq_completed_total;

static void report_wq(struct workqueue_struct *wq, long expected)
{
	struct cmwq_wq_stats st;
	char flags[64];

	if (cmwq_get_wq_stats(wq, &st) != 0) {
		EXPECT(!"cmwq_get_wq_stats failed");
		return;
	}
	printf("  %-18s %-22s %10d %8ld %8llu %9llu %7llu\n", st.name,
	       flag_names(st.flags, flags, sizeof(flags)), st.max_active,
	       expected, st.items_started, st.items_completed,
	       st.cpu_intensive);
	EXPECT(st.items_started == (unsigned long long)expected);
	EXPECT(st.items_completed == (unsigned long long)expected);
	EXPECT(st.nr_active == 0 && st.nr_inactive == 0);
	wq_completed_total += st.items_completed;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cmwq-demo [-s SECONDS]\n"
		"  -s, --seconds N  repeat the work until N seconds have "
		"passed (default 0:\n"
		"                   one round, well under a second)\n"
		"  -h, --help       print this and exit\n"
		"  -V, --version    print the version and exit\n"
		"Exit status: 0 when every check held, 1 when one failed, 2 on "
		"a usage error.\n");
}

/*
 * One round: queue everything, wait until it ran, check what only this
 * round shows.  The counters (queued[], done[]) add up over the rounds.
 */
static void run_round(unsigned long long t0, bool tty, long per_round)
{
	int cpu, i, p;

	atomic_store(&remaining, per_round);
	atomic_store(&journal_len, 0);
	init_completion(&all_done);
	for (p = 0; p < nr_used_cpus; p++) {
		cpu = used_cpus[p];
		init_completion(&io_cpus[p].round_done);
		for (i = 0; i < IO_PER_ROUND; i++)
			init_item(&io_cpus[p].reqs[i], IO_REQ, p, cpu,
				  io_req_func);
		init_item(&io_cpus[p].dispatcher, IO_DISPATCH, p, cpu,
			  io_dispatch_func);
		for (i = 0; i < CRUNCH_PER_CPU; i++)
			init_item(&crunch_items[p * CRUNCH_PER_CPU + i], CRUNCH,
				  p * CRUNCH_PER_CPU + i, cpu, crunch_func);
		for (i = 0; i < HIGHPRI_PER_CPU; i++)
			init_item(&highpri_items[p * HIGHPRI_PER_CPU + i],
				  HIGHPRI, i, cpu, highpri_func);
	}
	for (i = 0; i < NR_HASH; i++)
		init_item(&hash_items[i], HASH, i, -1, hash_func);
	for (i = 0; i < NR_JOURNAL; i++)
		init_item(&journal_items[i], JOURNAL, i, -1, journal_func);

	/*
	 * Queue it all, as a busy program would.  Each CPU's crunch items
	 * form a chain (each queues the next when it is done), so the io
	 * requests queued meanwhile take their turn among them.
	 */
	for (p = 0; p < nr_used_cpus; p++) {
		queue_item(io_wq, &io_cpus[p].dispatcher);
		queue_item(crunch_wq, &crunch_items[p * CRUNCH_PER_CPU]);
	}
	for (i = 0; i < NR_JOURNAL || i < NR_HASH; i++) {
		if (i < NR_HASH)
			queue_item(hash_wq, &hash_items[i]);
		for (p = 0; i < HIGHPRI_PER_CPU && p < nr_used_cpus; p++) {
			struct demo_item *it;

			it = &highpri_items[p * HIGHPRI_PER_CPU + i];
			queue_item(system_highpri_wq, it);
		}
		if (i < NR_JOURNAL)
			queue_item(journal_wq, &journal_items[i]);
	}

	/* Progress until everything ran (or 60 s: something is wrong). */
	{
		unsigned long long start = cmwq_now_ns();

		while (!wait_for_completion_timeout(&all_done,
						    msecs_to_jiffies(100))) {
			print_progress((double)(cmwq_now_ns() - t0) / 1e9, tty,
				       false);
			if (cmwq_now_ns() - start > 60ull * 1000000000ull) {
				fprintf(stderr,
					"cmwq-demo: work did not finish\n");
				exit(EXIT_FAILURE);
			}
		}
	}
	/* Items signal before they return: flush for the counters' sake. */
	flush_workqueue(crunch_wq);
	flush_workqueue(io_wq);
	flush_workqueue(hash_wq);
	flush_workqueue(journal_wq);
	flush_workqueue(system_highpri_wq);

	/* What this round must show. */
	EXPECT(atomic_load(&remaining) == 0);
	EXPECT(atomic_load(&journal_len) == NR_JOURNAL);
	for (i = 0; i < NR_JOURNAL; i++)
		EXPECT(journal_log[i] == i);
	for (i = 0; i < NR_HASH; i++)
		EXPECT(hash_items[i].result ==
		       fnv1a(hash_data + (size_t)i * HASH_CHUNK, HASH_CHUNK));
	for (i = 0; i < nr_used_cpus * HIGHPRI_PER_CPU; i++)
		EXPECT(highpri_items[i].ran_on_highpri);
	EXPECT(crunch_items[0].result == crunch(1, CRUNCH_ROUNDS));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long t0, pool_completed = 0;
	unsigned long long cm_wakeups = 0, run_ns = 0;
	unsigned int max_bound_peak = 0, seconds = 0;
	bool tty = isatty(STDOUT_FILENO);
	long total = 0, per_round;
	int cpu, k, opt, p;

	while ((opt = getopt_long(argc, argv, "s:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (parse_uint("cmwq-demo", "--seconds", optarg, 0,
				       86400, &seconds)) {
				fprintf(stderr, "Try 'cmwq-demo --help'.\n");
				return 2;
			}
			run_ns = seconds * 1000000000ull;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cmwq-demo (cmwq) %s\n", CMWQ_VERSION_STRING);
			return 0;
		default:
			fprintf(stderr, "Try 'cmwq-demo --help'.\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"cmwq-demo: '%s': no operands are taken\n"
			"Try 'cmwq-demo --help'.\n",
			argv[optind]);
		return 2;
	}

	t0 = cmwq_now_ns();
	nr_cpus = cmwq_nr_cpus();
	used_cpus = calloc((size_t)nr_cpus, sizeof(*used_cpus));
	if (!used_cpus) {
		perror("cmwq-demo: calloc");
		return EXIT_FAILURE;
	}
	for (cpu = 0; cpu < nr_cpus; cpu++)
		if (cmwq_cpu_possible(cpu))
			used_cpus[nr_used_cpus++] = cpu;

	crunch_wq = alloc_workqueue("crunch", 0, 0);
	io_wq = alloc_workqueue("io", 0, 0);
	hash_wq = alloc_workqueue("hash", WQ_UNBOUND, 0);
	journal_wq = alloc_ordered_workqueue("journal", 0);
	crunch_items = calloc((size_t)nr_used_cpus * CRUNCH_PER_CPU,
			      sizeof(*crunch_items));
	highpri_items = calloc((size_t)nr_used_cpus * HIGHPRI_PER_CPU,
			       sizeof(*highpri_items));
	io_cpus = calloc((size_t)nr_used_cpus, sizeof(*io_cpus));
	hash_data = malloc((size_t)NR_HASH * HASH_CHUNK);
	if (!crunch_wq || !io_wq || !hash_wq || !journal_wq || !crunch_items ||
	    !highpri_items || !io_cpus || !hash_data) {
		perror("cmwq-demo: setup");
		return EXIT_FAILURE;
	}
	for (k = 0; k < NR_HASH * HASH_CHUNK; k++)
		hash_data[k] = (unsigned char)(k * 2654435761u >> 13);

	printf("cmwq-demo: %d CPUs; crunch, io, hash, journal and "
	       "system_highpri_wq at once",
	       nr_used_cpus);
	if (seconds)
		printf(", for %u s", seconds);
	printf("\n\n");

	/* Everything that will run in a round, so its last item can say so. */
	per_round = (long)nr_used_cpus *
			    (CRUNCH_PER_CPU + 1 + IO_ROUNDS * IO_PER_ROUND +
			     HIGHPRI_PER_CPU) +
		    NR_HASH + NR_JOURNAL;
	init_completion(&device);
	do {
		round_nr++;
		run_round(t0, tty, per_round);
		total += per_round;
	} while (cmwq_now_ns() - t0 < run_ns);
	print_progress((double)(cmwq_now_ns() - t0) / 1e9, tty, true);

	/* What the pools did. */
	printf("\nworker pools (cm-wake: a worker woken or started because "
	       "the running one slept)\n");
	printf("  %-14s %4s %4s %7s %5s %7s %6s %8s %7s %6s\n", "pool", "cpu",
	       "nice", "workers", "peak", "created", "exited", "items",
	       "cm-wake", "cpu-in");
	for (p = 0; p < cmwq_nr_pools(); p++) {
		struct cmwq_pool_stats ps;

		if (cmwq_get_pool_stats(p, &ps) != 0)
			continue;
		pool_completed += ps.items_completed;
		cm_wakeups += ps.cm_wakeups;
		if (ps.cpu >= 0 && ps.peak_workers > max_bound_peak)
			max_bound_peak = ps.peak_workers;
		EXPECT(ps.items_started == ps.items_completed);
		EXPECT(ps.peak_workers >= ps.nr_workers);
		EXPECT(ps.workers_created >= ps.peak_workers);
		if (!ps.workers_created && !ps.items_started)
			continue;
		printf("  %-14s %4d %4d %7u %5u %7llu %6llu %8llu %7llu "
		       "%6llu\n",
		       ps.name, ps.cpu, ps.nice, ps.nr_workers, ps.peak_workers,
		       ps.workers_created, ps.workers_exited,
		       ps.items_completed, ps.cm_wakeups, ps.cpu_intensive);
	}

	printf("\nworkqueues\n");
	printf("  %-18s %-22s %10s %8s %8s %9s %7s\n", "workqueue", "flags",
	       "max_active", "queued", "started", "completed", "cpu-in");
	report_wq(crunch_wq, atomic_load(&queued[CRUNCH]));
	report_wq(io_wq, atomic_load(&queued[IO_DISPATCH]) +
				 atomic_load(&queued[IO_REQ]));
	report_wq(hash_wq, atomic_load(&queued[HASH]));
	report_wq(journal_wq, atomic_load(&queued[JOURNAL]));
	report_wq(system_highpri_wq, atomic_load(&queued[HIGHPRI]));

	/* The numbers must add up. */
	for (k = 0; k < NR_KINDS; k++)
		EXPECT(atomic_load(&done[k]) == atomic_load(&queued[k]));
	EXPECT(wq_completed_total == (unsigned long long)total);
	EXPECT(pool_completed == wq_completed_total);
	EXPECT(atomic_load(&wrong_cpu) == 0);
	EXPECT(cm_wakeups > 0);
	EXPECT(max_bound_peak > 1);

	printf("\n%ld items on 5 workqueues in %.2f s", total,
	       (double)(cmwq_now_ns() - t0) / 1e9);
	if (round_nr > 1)
		printf(" (%d rounds)", round_nr);
	printf("; %llu times a pool started or woke a worker because one "
	       "slept; %s\n",
	       cm_wakeups, failures ? "CHECKS FAILED" : "all checks passed");

	destroy_workqueue(journal_wq);
	destroy_workqueue(hash_wq);
	destroy_workqueue(io_wq);
	destroy_workqueue(crunch_wq);
	free(hash_data);
	free(io_cpus);
	free(highpri_items);
	free(crunch_items);
	free(used_cpus);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
