/* SPDX-License-Identifier: MIT */
/*
 * ksort/cli/ksort_cli.c - the ksort command: sort numbers in parallel
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ksort.h>

static const char usage[] =
	"usage: ksort [options] [FILE]\n"
	"Sort unsigned 64-bit numbers, one per line, from FILE or stdin.\n"
	"  -g, --generate N     sort N generated numbers instead of input\n"
	"  -p, --pattern P      random|sorted|reverse|equal|few|organ|half\n"
	"  -s, --seed S         splitmix64 seed of generated data (42)\n"
	"  -B, --binary         read (and write) native uint64, not text\n"
	"  -a, --algo A         pdqsort (default)|quicksort|timsort|heapsort|\n"
	"                       list_sort\n"
	"  -j, --threads N      threads that sort, caller included (CPUs)\n"
	"  -c, --cutoff N       ranges up to N elements are not split (8192)\n"
	"  -q, --summary        print a summary instead of the numbers\n"
	"  -o, --output FILE    write the sorted numbers to FILE\n"
	"      --no-progress    no progress bar (shown on a terminal for\n"
	"                       sorts of 10^6 numbers or more)\n"
	"      --bench          print a table: the sequential algorithm and\n"
	"                       ksort with 1..N threads, and qsort(3)\n"
	"  -h, --help           this text\n";

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);	/* never subtract: no overflow */
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	return 0;
}

static int push(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4096;
		uint64_t *nv = realloc(*v, nc * sizeof(**v));

		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static int read_text(FILE *f, const char *name, uint64_t **v, size_t *n)
{
	char *line = NULL;
	size_t lcap = 0, cap = 0, lineno = 0;
	ssize_t len;

	while ((len = getline(&line, &lcap, f)) >= 0) {
		char *s = line, *e = line + len;
		uint64_t x;

		lineno++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' ||
				 e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (s == e)
			continue;
		*e = 0;
		if (parse_u64(s, &x)) {
			fprintf(stderr, "ksort: %s:%zu: not a number: %s\n",
				name, lineno, s);
			free(line);
			return -1;
		}
		if (push(v, n, &cap, x)) {
			fprintf(stderr, "ksort: out of memory\n");
			free(line);
			return -1;
		}
	}
	free(line);
	return ferror(f) ? -1 : 0;
}

static int read_binary(FILE *f, const char *name, uint64_t **v, size_t *n)
{
	size_t cap = 0, got;
	uint64_t buf[4096];

	while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (got % 8) {
			fprintf(stderr, "ksort: %s: size not a multiple of 8\n",
				name);
			return -1;
		}
		for (size_t i = 0; i < got / 8; i++)
			if (push(v, n, &cap, buf[i]))
				return -1;
	}
	return ferror(f) ? -1 : 0;
}

static int write_out(FILE *f, const uint64_t *v, size_t n, bool binary)
{
	if (binary)
		return fwrite(v, 8, n, f) == n ? 0 : -1;
	for (size_t i = 0; i < n; i++)
		if (fprintf(f, "%" PRIu64 "\n", v[i]) < 0)
			return -1;
	return 0;
}

struct bar {
	size_t done;
	size_t total;
	int stop;
	pthread_t thread;
};

static void *bar_fn(void *arg)
{
	struct bar *b = arg;

	while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE)) {
		size_t d = __atomic_load_n(&b->done, __ATOMIC_RELAXED);
		int pct = (int)(d * 100 / (b->total ? b->total : 1));
		char line[64];

		memset(line, ' ', 40);
		memset(line, '#', (size_t)(pct * 40 / 100));
		line[40] = 0;
		fprintf(stderr, "\r[%s] %3d%%", line, pct);
		usleep(100000);
	}
	fprintf(stderr, "\r%*s\r", 48, "");
	return NULL;
}

static int sorted_ok(const uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (v[i - 1] > v[i])
			return 0;
	return 1;
}

static int bench(const uint64_t *in, size_t n, enum ksort_algo algo,
		 unsigned int threads, size_t cutoff)
{
	uint64_t *v = malloc((n ? n : 1) * 8);
	double seq = 0;

	if (!v)
		return 1;
	printf("| algorithm | threads | time ms | ns/elem | comparisons | "
	       "tasks | peak workers | speed-up |\n");
	printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (unsigned int t = 0; t <= threads; t++) {
		struct ksort_stats st = { 0 };
		struct ksort_opts o = { .algo = algo, .cutoff = cutoff,
					.parallelism = t, .stats = &st };
		unsigned int peak = 0;
		double t0, dt;

		memcpy(v, in, n * 8);
		t0 = now_s();
		if (t == 0)
			ksort_seq(algo, v, n, 8, cmp_u64, &st.comparisons);
		else if (ksort_wq(NULL, v, n, 8, cmp_u64, &o))
			return 1;
		dt = now_s() - t0;
		if (!sorted_ok(v, n)) {
			fprintf(stderr, "ksort: bench: not sorted\n");
			return 1;
		}
		if (t == 0)
			seq = dt;
		for (int i = 0; i < cmwq_nr_pools(); i++) {
			struct cmwq_pool_stats ps;

			if (!cmwq_get_pool_stats(i, &ps) && ps.items_started)
				peak += ps.peak_workers;
		}
		printf("| %s%s | %u | %.2f | %.2f | %llu | %llu | %u | "
		       "%.2fx |\n",
		       t ? "ksort " : "", ksort_algo_name(algo), t ? t : 1,
		       dt * 1e3, n ? dt * 1e9 / (double)n : 0.0,
		       st.comparisons, st.tasks, t ? peak : 0,
		       dt > 0 ? seq / dt : 0.0);
	}
	{
		double t0;

		memcpy(v, in, n * 8);
		t0 = now_s();
		qsort(v, n, 8, cmp_u64);
		t0 = now_s() - t0;
		printf("| qsort | 1 | %.2f | %.2f | - | - | - | %.2fx |\n",
		       t0 * 1e3, n ? t0 * 1e9 / (double)n : 0.0,
		       t0 > 0 ? seq / t0 : 0.0);
	}
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "generate", required_argument, NULL, 'g' },
		{ "pattern", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "binary", no_argument, NULL, 'B' },
		{ "algo", required_argument, NULL, 'a' },
		{ "threads", required_argument, NULL, 'j' },
		{ "cutoff", required_argument, NULL, 'c' },
		{ "summary", no_argument, NULL, 'q' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-progress", no_argument, NULL, 'P' },
		{ "bench", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t gen_n = 0, seed = 42, num;
	int pattern = KSORT_PAT_RANDOM, algo = KSORT_PDQSORT, opt;
	bool generate = false, binary = false, summary = false;
	bool progress = true, do_bench = false;
	unsigned int threads = 0;
	size_t cutoff = 0, n = 0;
	const char *out_name = NULL, *in_name = "-";
	uint64_t *v = NULL;
	struct ksort_stats st = { 0 };
	struct ksort_opts o = { 0 };
	struct bar bar = { 0 };
	bool show_bar;
	double t0, dt;
	int ret;

	while ((opt = getopt_long(argc, argv, "g:p:s:Ba:j:c:qo:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'g':
			if (parse_u64(optarg, &gen_n))
				goto bad;
			generate = true;
			break;
		case 'p':
			pattern = ksort_pattern_parse(optarg);
			if (pattern < 0)
				goto bad;
			break;
		case 's':
			if (parse_u64(optarg, &seed))
				goto bad;
			break;
		case 'B':
			binary = true;
			break;
		case 'a':
			algo = ksort_algo_parse(optarg);
			if (algo < 0)
				goto bad;
			break;
		case 'j':
			if (parse_u64(optarg, &num) || num > 1024)
				goto bad;
			threads = (unsigned int)num;
			break;
		case 'c':
			if (parse_u64(optarg, &num))
				goto bad;
			cutoff = (size_t)num;
			break;
		case 'q':
			summary = true;
			break;
		case 'o':
			out_name = optarg;
			break;
		case 'P':
			progress = false;
			break;
		case 'b':
			do_bench = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			goto usage_err;
		}
	}
	if (optind < argc)
		in_name = argv[optind++];
	if (optind < argc)
		goto usage_err;

	if (generate) {
		if (gen_n > SIZE_MAX / 8 || !(v = malloc(gen_n ? gen_n * 8 : 8))) {
			fprintf(stderr, "ksort: cannot allocate %" PRIu64
					" numbers\n", gen_n);
			return 1;
		}
		n = (size_t)gen_n;
		ksort_generate(v, n, (enum ksort_pattern)pattern, seed);
	} else {
		FILE *f = strcmp(in_name, "-") ? fopen(in_name, "rb") : stdin;

		if (!f) {
			fprintf(stderr, "ksort: %s: %s\n", in_name,
				strerror(errno));
			return 1;
		}
		ret = binary ? read_binary(f, in_name, &v, &n)
			     : read_text(f, in_name, &v, &n);
		if (f != stdin)
			fclose(f);
		if (ret) {
			free(v);
			return 1;
		}
	}

	if (do_bench) {
		ret = bench(v, n, (enum ksort_algo)algo,
			    threads ? threads : (unsigned int)cmwq_nr_cpus(),
			    cutoff);
		free(v);
		return ret;
	}

	show_bar = progress && isatty(2) && n >= 1000000;
	o.algo = (enum ksort_algo)algo;
	o.cutoff = cutoff;
	o.parallelism = threads;
	o.stats = &st;
	if (show_bar) {
		bar.total = n;
		o.progress = &bar.done;
		if (pthread_create(&bar.thread, NULL, bar_fn, &bar))
			show_bar = false;
	}
	t0 = now_s();
	ret = ksort_wq(NULL, v, n, 8, cmp_u64, &o);
	dt = now_s() - t0;
	if (show_bar) {
		__atomic_store_n(&bar.stop, 1, __ATOMIC_RELEASE);
		pthread_join(bar.thread, NULL);
	}
	if (ret) {
		fprintf(stderr, "ksort: sort failed: %s\n", strerror(-ret));
		free(v);
		return 1;
	}

	if (summary) {
		printf("n %zu\nalgorithm %s\nthreads %u\ntime_ms %.3f\n"
		       "ns_per_elem %.2f\ncomparisons %llu\ntasks %llu\n"
		       "work_items %u\nsorted %s\n",
		       n, ksort_algo_name((enum ksort_algo)algo), st.threads,
		       dt * 1e3, n ? dt * 1e9 / (double)n : 0.0,
		       st.comparisons, st.tasks, st.work_items,
		       sorted_ok(v, n) ? "yes" : "NO");
	}
	if (out_name || !summary) {
		FILE *f = out_name ? fopen(out_name, "wb") : stdout;

		if (!f || write_out(f, v, n, binary) ||
		    (f != stdout ? fclose(f) : fflush(f))) {
			fprintf(stderr, "ksort: write: %s\n", strerror(errno));
			free(v);
			return 1;
		}
	}
	free(v);
	return 0;
bad:
	fprintf(stderr, "ksort: bad value for -%c: %s\n", opt, optarg);
usage_err:
	fputs(usage, stderr);
	return 2;
}
