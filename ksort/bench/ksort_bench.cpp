/* SPDX-License-Identifier: MIT */
/*
 * ksort/bench/ksort_bench.cpp - ksort against qsort, std::sort and peers
 *
 *   ksort_bench [--n N] [--reps R] [--threads 1,2] [--wq unbound|percpu|
 *		 intensive|system] [--cutoff C] [--algos a,b]  W6 table
 *   ksort_bench --seed-table	the comparison table of seed 002
 *   ksort_bench --rng [--n N]	xoroshiro against getrandom, /dev/urandom
 *   ksort_bench --curve [--max N]	time and comparisons against n, 10^3
 *			to N (10^7) (gnuplot data for plot.gp)
 *
 * W6 (BENCH.md): 10^7 random uint64 from splitmix64 seed 42, every sort
 * calling the same comparator through a pointer; each row is the median of
 * R runs in this process, the rows taking turns (round-robin); every result
 * is checked sorted with the same sum.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <functional>
#include <string>
#include <sys/random.h>
#include <unistd.h>
#include <vector>

#include <ksort.h>

#include "peers.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return (x > y) - (x < y);
}

int (*volatile ksb_cmp)(const void *, const void *) = cmp_u64;

/* What ksort and qsort get: the same pointer, one indirect call each. */
#define cmp_cb ((ksort_cmp_t)ksb_cmp)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	return v.empty() ? 0 : v[v.size() / 2];
}

static uint64_t sum(const std::vector<uint64_t> &v)
{
	uint64_t s = 0;

	for (uint64_t x : v)
		s += x;
	return s;
}

static void check(const std::vector<uint64_t> &v, uint64_t s, const char *who)
{
	for (size_t i = 1; i < v.size(); i++)
		if (v[i - 1] > v[i]) {
			fprintf(stderr, "%s: not sorted at %zu\n", who, i);
			exit(1);
		}
	if (sum(v) != s) {
		fprintf(stderr, "%s: not a permutation\n", who);
		exit(1);
	}
}

struct row {
	std::string name;
	int threads;
	double ms;
	unsigned long long cmps;
	unsigned long long tasks;
	unsigned int peak;
	double speedup;
};

/* Peak workers of the pools that started items during the runs. */
struct pool_snap {
	std::vector<unsigned long long> started;

	void take(void)
	{
		int n = cmwq_nr_pools();

		started.assign((size_t)(n > 0 ? n : 0), 0);
		for (int i = 0; i < n; i++) {
			struct cmwq_pool_stats ps;

			if (!cmwq_get_pool_stats(i, &ps))
				started[(size_t)i] = ps.items_started;
		}
	}
	unsigned int peak_since(void)
	{
		unsigned int peak = 0;

		for (int i = 0; i < cmwq_nr_pools(); i++) {
			struct cmwq_pool_stats ps;

			if (cmwq_get_pool_stats(i, &ps))
				continue;
			if ((size_t)i >= started.size() ||
			    ps.items_started > started[(size_t)i])
				peak += ps.peak_workers;
		}
		return peak;
	}
};

static const char *opt_wq = "unbound";

static struct workqueue_struct *make_wq(void)
{
	if (!strcmp(opt_wq, "system"))
		return cmwq_system_unbound_wq;
	if (!strcmp(opt_wq, "percpu"))
		return cmwq_alloc_workqueue("ksort_bench", WQ_PERCPU, 0);
	if (!strcmp(opt_wq, "intensive"))
		return cmwq_alloc_workqueue("ksort_bench",
					    WQ_PERCPU | WQ_CPU_INTENSIVE, 0);
	return cmwq_alloc_workqueue("ksort_bench", WQ_UNBOUND, 0);
}

static std::vector<int> parse_list(const char *s)
{
	std::vector<int> v;

	while (*s) {
		v.push_back(atoi(s));
		s = strchr(s, ',');
		if (!s)
			break;
		s++;
	}
	return v;
}

/*
 * W6.  The rows are run round-robin: rep i of every row, then rep i + 1, so
 * a change of the machine's load hits all rows alike (the machine is
 * shared); each row's time is its median.  Speed-ups are against the
 * sequential run of the same algorithm (ksort rows) or the peer's own
 * 1-thread run, medians of the same round-robin.
 */
struct w6_row {
	std::string name;
	int threads;
	int ref;		/* row of the speed-up's reference, or -1 */
	std::function<void(struct ksort_stats *)> fn;
	std::vector<double> ms;
	struct ksort_stats st;
};

static int w6(size_t n, int reps, const char *threads_list, size_t cutoff,
	      const char *algos, bool peers)
{
	std::vector<uint64_t> in(n), v;
	std::vector<w6_row> rows;
	std::vector<int> threads = parse_list(threads_list);
	struct workqueue_struct *wq = make_wq();
	uint64_t s;
	pool_snap snap;
	unsigned int peak;

	ksort_generate(in.data(), n, KSORT_PAT_RANDOM, 42);
	s = sum(in);
	if (!wq) {
		fprintf(stderr, "cannot allocate the workqueue\n");
		return 1;
	}
	auto add = [&](std::string name, int t, int ref,
		       std::function<void(struct ksort_stats *)> fn) {
		w6_row r;

		r.name = name;
		r.threads = t;
		r.ref = ref;
		r.fn = fn;
		r.st = {};
		rows.push_back(r);
		return (int)rows.size() - 1;
	};

	for (const char *a = algos; *a;) {
		char name[32];
		size_t len = strcspn(a, ",");
		int algo, seq;

		snprintf(name, sizeof(name), "%.*s", (int)len, a);
		a += len + (a[len] == ',');
		algo = ksort_algo_parse(name);
		if (algo < 0) {
			fprintf(stderr, "unknown algorithm %s\n", name);
			return 2;
		}
		/* its own sequential run */
		seq = add(std::string(name) + " (sequential)", 1, -1,
			  [&v, n, algo](struct ksort_stats *st) {
				  ksort_seq((enum ksort_algo)algo, v.data(), n,
					    8, cmp_cb, &st->comparisons);
			  });
		for (int t : threads)
			add(std::string("ksort ") + name, t, seq,
			    [&v, n, algo, t, cutoff, wq](struct ksort_stats *st) {
				    struct ksort_opts o = {};

				    o.algo = (enum ksort_algo)algo;
				    o.cutoff = cutoff;
				    o.parallelism = (unsigned int)t;
				    o.stats = st;
				    if (ksort_wq(wq, v.data(), n, 8, cmp_cb, &o))
					    exit(1);
			    });
	}
	if (peers) {
		int ref = -1;

		add("qsort", 1, -1, [&v, n](struct ksort_stats *) {
			qsort(v.data(), n, 8, cmp_cb);
		});
		add("std::sort", 1, -1, [&v](struct ksort_stats *) {
			std::sort(v.begin(), v.end(), [](uint64_t a, uint64_t b) {
				return ksb_cmp(&a, &b) < 0;
			});
		});
#ifdef KSB_HAVE_TBB
		for (int t : threads) {
			int r = add("tbb::parallel_sort", t, ref,
				    [&v, n, t](struct ksort_stats *) {
					    ksb_tbb_sort(v.data(), n, t);
				    });
			if (ref < 0)
				ref = r;
		}
		ref = -1;
#endif
#ifdef KSB_HAVE_GNU_PARALLEL
		for (int t : threads) {
			int r = add("__gnu_parallel::sort", t, ref,
				    [&v, n, t](struct ksort_stats *) {
					    ksb_gnu_sort(v.data(), n, t);
				    });
			if (ref < 0)
				ref = r;
		}
#endif
	}

	snap.take();
	for (int i = 0; i < reps; i++)
		for (w6_row &r : rows) {
			v = in;
			double t0 = now_ms();
			r.fn(&r.st);
			r.ms.push_back(now_ms() - t0);
			check(v, s, r.name.c_str());
		}
	peak = snap.peak_since();

	printf("# W6: n=%zu random uint64 (splitmix64 seed 42), callback "
	       "comparator, median of %d round-robin, wq=%s, cutoff=%zu, "
	       "peak workers of the run %u\n",
	       n, reps, opt_wq, cutoff ? cutoff : (size_t)KSORT_DFL_CUTOFF,
	       peak);
	printf("| algorithm | threads | time ms | ns/elem | comparisons | "
	       "tasks | min-max ms | speed-up |\n");
	printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (const w6_row &r : rows) {
		double ms = median(r.ms);

		printf("| %s | %d | %.1f | %.1f | ", r.name.c_str(), r.threads,
		       ms, ms * 1e6 / (double)n);
		if (r.st.comparisons)
			printf("%llu | %llu | ", r.st.comparisons, r.st.tasks);
		else
			printf("- | - | ");
		printf("%.0f-%.0f | ", *std::min_element(r.ms.begin(), r.ms.end()),
		       *std::max_element(r.ms.begin(), r.ms.end()));
		if (r.ref >= 0)
			printf("%.2fx |\n", median(rows[(size_t)r.ref].ms) / ms);
		else
			printf("- |\n");
	}
	if (strcmp(opt_wq, "system"))
		cmwq_destroy_workqueue(wq);
	return 0;
}

static int seed_table(int reps)
{
	static const size_t ns[] = { 10000, 50000 };
	static const enum ksort_pattern pats[] = {
		KSORT_PAT_RANDOM, KSORT_PAT_HALF, KSORT_PAT_SORTED
	};

	printf("# seed 002's table: comparisons (and median time of %d), "
	       "uint64, splitmix64 seed 42\n",
	       reps);
	printf("| n | pattern | list_sort | Timsort | pdqsort | heapsort | "
	       "quicksort |\n| --- | --- | --- | --- | --- | --- | --- |\n");
	for (size_t n : ns)
		for (enum ksort_pattern p : pats) {
			static const enum ksort_algo order[] = {
				KSORT_LIST_SORT, KSORT_TIMSORT, KSORT_PDQSORT,
				KSORT_HEAPSORT, KSORT_QUICKSORT
			};
			std::vector<uint64_t> in(n), v;

			ksort_generate(in.data(), n, p, 42);
			printf("| %zu | %s |", n, ksort_pattern_name(p));
			for (enum ksort_algo a : order) {
				std::vector<double> ms;
				unsigned long long c = 0;

				for (int i = 0; i < reps; i++) {
					v = in;
					double t0 = now_ms();
					ksort_seq(a, v.data(), n, 8, cmp_cb, &c);
					ms.push_back(now_ms() - t0);
					check(v, sum(in), ksort_algo_name(a));
				}
				printf(" %llu (%.3f ms) |", c, median(ms));
			}
			printf("\n");
		}
	return 0;
}

static int rng_bench(size_t n)
{
	std::vector<uint64_t> buf(n);
	struct ksort_xoro x;
	double t0, ms;
	uint64_t acc = 0;
	size_t got;
	int fd;

	printf("# random 64-bit words: %zu of them (%zu MiB)\n", n,
	       n * 8 >> 20);
	printf("| source | MB/s | ns/word |\n| --- | --- | --- |\n");
	ksort_xoro_seed(&x, 42, 0);
	t0 = now_ms();
	for (size_t i = 0; i < n; i++)
		buf[i] = ksort_xoroshiro128p(&x);
	ms = now_ms() - t0;
	acc += buf[n - 1];
	printf("| xoroshiro128+ | %.0f | %.2f |\n", n * 8 / ms / 1e3,
	       ms * 1e6 / n);
	t0 = now_ms();
	for (size_t i = 0; i < n; i++)
		buf[i] = ksort_xoroshiro128pp(&x);
	ms = now_ms() - t0;
	acc += buf[n - 1];
	printf("| xoroshiro128++ | %.0f | %.2f |\n", n * 8 / ms / 1e3,
	       ms * 1e6 / n);
	uint64_t st = 42;
	t0 = now_ms();
	for (size_t i = 0; i < n; i++)
		buf[i] = ksort_splitmix64(&st);
	ms = now_ms() - t0;
	acc += buf[n - 1];
	printf("| splitmix64 | %.0f | %.2f |\n", n * 8 / ms / 1e3,
	       ms * 1e6 / n);
	t0 = now_ms();
	for (got = 0; got < n * 8;) {
		ssize_t r = getrandom((char *)buf.data() + got,
				      std::min<size_t>(n * 8 - got, 1 << 20), 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	ms = now_ms() - t0;
	printf("| getrandom(2), 1 MiB calls | %.0f | %.2f |\n",
	       got / ms / 1e3, ms * 1e6 / n);
	fd = open("/dev/urandom", O_RDONLY);
	if (fd >= 0) {
		t0 = now_ms();
		for (got = 0; got < n * 8;) {
			ssize_t r = read(fd, (char *)buf.data() + got,
					 std::min<size_t>(n * 8 - got, 1 << 20));
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		ms = now_ms() - t0;
		close(fd);
		printf("| /dev/urandom, 1 MiB reads | %.0f | %.2f |\n",
		       got / ms / 1e3, ms * 1e6 / n);
	}
	fprintf(stderr, "(%" PRIx64 ")\n", acc);
	return 0;
}

/* One curve point: the median of @reps runs of @fn on copies of @in. */
static double curve_ms(const std::vector<uint64_t> &in, int reps,
		       std::function<void(uint64_t *)> fn)
{
	std::vector<uint64_t> v;
	std::vector<double> ms;

	for (int i = 0; i < reps; i++) {
		v = in;
		double t0 = now_ms();
		fn(v.data());
		ms.push_back(now_ms() - t0);
		check(v, sum(in), "curve");
	}
	return median(ms);
}

/*
 * n from 10^3 to @max in steps of sqrt(10): every algorithm alone (ksort_wq
 * with parallelism 1), ksort pdqsort and quicksort with 2 threads, and the
 * peers (comparisons 0: not counted).
 */
static int curve(int reps, size_t max)
{
	struct workqueue_struct *wq = make_wq();

	printf("# n algo threads ms comparisons\n");
	for (double dn = 1000; dn <= (double)max + 1; dn *= std::sqrt(10.0)) {
		size_t n = (size_t)(dn + 0.5);
		std::vector<uint64_t> in(n);

		ksort_generate(in.data(), n, KSORT_PAT_RANDOM, 42);
		for (int a = 0; a < KSORT_NR_ALGOS; a++)
			for (int t = 1; t <= 2; t++) {
				struct ksort_stats st = {};
				double ms;

				if (t == 2 && a != KSORT_QUICKSORT &&
				    a != KSORT_PDQSORT)
					continue;
				ms = curve_ms(in, reps, [&](uint64_t *v) {
					struct ksort_opts o = {};

					o.algo = (enum ksort_algo)a;
					o.parallelism = (unsigned int)t;
					o.stats = &st;
					ksort_wq(wq, v, n, 8, cmp_cb, &o);
				});
				printf("%zu %s %d %.4f %llu\n", n,
				       ksort_algo_name((enum ksort_algo)a), t,
				       ms, st.comparisons);
			}
		printf("%zu qsort 1 %.4f 0\n", n,
		       curve_ms(in, reps, [&](uint64_t *v) {
			       qsort(v, n, 8, cmp_cb);
		       }));
		printf("%zu std::sort 1 %.4f 0\n", n,
		       curve_ms(in, reps, [&](uint64_t *v) {
			       std::sort(v, v + n, [](uint64_t x, uint64_t y) {
				       return ksb_cmp(&x, &y) < 0;
			       });
		       }));
#ifdef KSB_HAVE_TBB
		printf("%zu tbb::parallel_sort 2 %.4f 0\n", n,
		       curve_ms(in, reps,
				[&](uint64_t *v) { ksb_tbb_sort(v, n, 2); }));
#endif
#ifdef KSB_HAVE_GNU_PARALLEL
		printf("%zu __gnu_parallel::sort 2 %.4f 0\n", n,
		       curve_ms(in, reps,
				[&](uint64_t *v) { ksb_gnu_sort(v, n, 2); }));
#endif
		fflush(stdout);
	}
	cmwq_destroy_workqueue(wq);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = 10000000, cutoff = 0, curve_max = 10000000;
	int reps = 5;
	const char *threads = "1,2", *algos = "pdqsort,quicksort";
	bool peers = true;
	enum { W6, SEED, RNG, CURVE } mode = W6;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--seed-table")) {
			mode = SEED;
		} else if (!strcmp(o, "--rng")) {
			mode = RNG;
		} else if (!strcmp(o, "--curve")) {
			mode = CURVE;
		} else if (!strcmp(o, "--no-peers")) {
			peers = false;
		} else if (arg && !strcmp(o, "--n")) {
			n = strtoull(arg, NULL, 0);
			i++;
		} else if (arg && !strcmp(o, "--max")) {
			curve_max = strtoull(arg, NULL, 0);
			i++;
		} else if (arg && !strcmp(o, "--reps")) {
			reps = atoi(arg);
			i++;
		} else if (arg && !strcmp(o, "--threads")) {
			threads = arg;
			i++;
		} else if (arg && !strcmp(o, "--cutoff")) {
			cutoff = strtoull(arg, NULL, 0);
			i++;
		} else if (arg && !strcmp(o, "--algos")) {
			algos = arg;
			i++;
		} else if (arg && !strcmp(o, "--wq")) {
			opt_wq = arg;
			i++;
		} else {
			fprintf(stderr, "usage: see the head of ksort_bench.cpp\n");
			return 2;
		}
	}
	if (reps < 1)
		reps = 1;
	switch (mode) {
	case SEED:
		return seed_table(reps);
	case RNG:
		return rng_bench(n);
	case CURVE:
		return curve(reps, curve_max);
	default:
		return w6(n, reps, threads, cutoff, algos, peers);
	}
}
