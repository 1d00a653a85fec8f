/* SPDX-License-Identifier: MIT */
/*
 * ksort/cli/ksort_cli.c - the ksort command: sort lines by number, in
 * parallel, with the output of sort -n / sort -g
 *
 * Text input is sorted as LC_ALL=C sort -n (or -g) sorts it: the lines are
 * written back unchanged, ordered by the number at the start of each line,
 * equal numbers by the bytes of the whole line (the last-resort comparison)
 * unless --stable.  Every line is a number for -n (what is not one is 0);
 * docs/ksort.md gives the rules.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmwq/version.h>
#include <ksort.h>

static const char usage[] =
	"Usage: ksort [OPTION]... [FILE]...\n"
	"Write the lines of the FILEs (standard input when none, or -)\n"
	"sorted by the number each line starts with, as LC_ALL=C sort -n\n"
	"(or sort -g) would, byte for byte.\n"
	"\n"
	"Ordering:\n"
	"  -n, --numeric-sort   decimal numbers as sort -n (the default):\n"
	"                       blanks, '-', digits, '.', digits; any\n"
	"                       length, exact; a line without one is 0\n"
	"  -g, --general-numeric-sort\n"
	"                       floating point as sort -g (strtold: 1e5,\n"
	"                       0x1p3, inf, nan); lines without a number\n"
	"                       first, then NaNs, -inf ... inf\n"
	"  -r, --reverse        reverse the order\n"
	"  -s, --stable         equal numbers keep their input order (no\n"
	"                       last-resort comparison of the whole line)\n"
	"  -u, --unique         only the first line of each equal number\n"
	"\n"
	"Data:\n"
	"  -o, --output FILE    write to FILE (after all input is read)\n"
	"  -B, --binary         read and write native uint64, not text\n"
	"      --generate N     sort N generated uint64 numbers, no input\n"
	"  -p, --pattern P      random|sorted|reverse|equal|few|organ|half\n"
	"      --seed S         splitmix64 seed of generated data (42)\n"
	"\n"
	"Sorting:\n"
	"  -a, --algo A         pdqsort (default)|quicksort|timsort|heapsort|\n"
	"                       list_sort\n"
	"  -j, --threads N      threads that sort, caller included\n"
	"                       (0 or none: the CPUs; at most 1024)\n"
	"  -c, --cutoff N       ranges up to N elements are not split (8192)\n"
	"  -q, --summary        print a summary instead of the lines\n"
	"      --no-progress    no progress bar (shown on a terminal for\n"
	"                       sorts of 10^6 lines or more)\n"
	"      --bench          print a table: the sequential algorithm and\n"
	"                       ksort with 1..N threads, and qsort(3)\n"
	"  -h, --help           this text\n"
	"  -V, --version        the version\n"
	"\n"
	"Exit status: 0 on success, 2 on any error (as sort).\n";

#define MAX_THREADS 1024

/* Line records: what the comparators see. */

/* -n: the value if it is an integer of int64, else a bound (inexact). */
struct num_rec {
	int64_t key;
	uint64_t off;		/* line offset | NUM_INEXACT */
};

#define NUM_INEXACT (UINT64_C(1) << 63)
#define NUM_OFF_MASK (NUM_INEXACT - 1)

/* -g: the value strtold() read, its class and where the line is. */
struct gen_rec {
	long double key;
	uint64_t off;
	uint64_t len_class;	/* line length << 2 | class */
};

enum gen_class {
	GEN_NOT_A_NUMBER,	/* sort -g: first, all equal */
	GEN_NAN,		/* then NaNs, by the bytes of the value */
	GEN_NUMBER,		/* then -inf ... inf, -0 == 0 */
};

/*
 * The bytes of a long double that hold its value: x86's 80-bit format
 * sits in 16 bytes, 6 of them padding that no store defines.
 */
#if LDBL_MANT_DIG == 64
#define LDBL_VALUE_BYTES 10
#else
#define LDBL_VALUE_BYTES sizeof(long double)
#endif

/* What every comparator reads; set before the sort starts, then frozen. */
static struct {
	const char *buf;	/* all input; every line ends in '\n' */
	bool reverse;
	bool stable;
} order;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Numeric options: digits only, no sign, no base prefix, in range. */
static int parse_option_u64(const char *option, const char *arg,
			    uint64_t max, uint64_t *out)
{
	size_t digits = strspn(arg, "0123456789");
	uint64_t v = 0;

	if (arg[0] == '-' && digits == 0 && arg[1] >= '0' && arg[1] <= '9') {
		fprintf(stderr, "ksort: %s: '%s' is negative (0 to %" PRIu64
			" allowed)\n", option, arg, max);
		return -1;
	}
	if (!digits || arg[digits]) {
		fprintf(stderr, "ksort: %s: '%s' is not a number\n", option,
			arg);
		return -1;
	}
	for (const char *s = arg; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (max - d) / 10) {
			fprintf(stderr, "ksort: %s: '%s' is out of range "
				"(0 to %" PRIu64 ")\n", option, arg, max);
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Input: every file whole in one buffer, each last line ended by '\n'. */

struct input {
	char *buf;
	size_t len;
	size_t cap;
};

static int input_reserve(struct input *in, size_t more)
{
	size_t cap = in->cap ? in->cap : 1 << 16;
	char *nb;

	if (more <= in->cap - in->len)
		return 0;
	while (cap - in->len < more) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	nb = realloc(in->buf, cap);
	if (!nb)
		return -1;
	in->buf = nb;
	in->cap = cap;
	return 0;
}

static int read_file(struct input *in, const char *name, bool text)
{
	bool is_stdin = !strcmp(name, "-");
	const char *shown = is_stdin ? "standard input" : name;
	int fd = is_stdin ? 0 : open(name, O_RDONLY | O_CLOEXEC);
	size_t start = in->len;
	struct stat st;
	ssize_t got;

	if (fd < 0) {
		fprintf(stderr, "ksort: %s: cannot open: %s\n", shown,
			strerror(errno));
		return -1;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    input_reserve(in, (size_t)st.st_size + 1))
		goto nomem;
	for (;;) {
		if (input_reserve(in, 1 << 16))
			goto nomem;
		got = read(fd, in->buf + in->len, in->cap - in->len);
		if (got == 0)
			break;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ksort: %s: cannot read: %s\n", shown,
				strerror(errno));
			if (!is_stdin)
				close(fd);
			return -1;
		}
		in->len += (size_t)got;
	}
	if (!is_stdin)
		close(fd);
	if (text && in->len > start && in->buf[in->len - 1] != '\n') {
		if (input_reserve(in, 1))
			goto nomem_closed;
		in->buf[in->len++] = '\n';	/* as sort: supply one */
	}
	if (!text && (in->len - start) % 8) {
		fprintf(stderr, "ksort: %s: size %zu is not a multiple of 8 "
			"(--binary reads native uint64)\n", shown,
			in->len - start);
		return -1;
	}
	return 0;
nomem:
	if (!is_stdin)
		close(fd);
nomem_closed:
	fprintf(stderr, "ksort: %s: out of memory reading it\n", shown);
	return -1;
}

/* -n: the number at the start of a line, as sort -n reads it (C locale). */

struct decimal {
	const char *ip;		/* integer digits, no leading zeros */
	size_t ip_len;
	const char *fp;		/* fraction digits, no trailing zeros */
	size_t fp_len;
	bool negative;		/* never for a zero */
};

static inline bool is_digit(char c)
{
	return (unsigned int)(c - '0') <= 9;
}

/* @s: a line ending in '\n' (or any non-digit). */
static void decimal_parse(const char *s, struct decimal *d)
{
	while (*s == ' ' || *s == '\t')
		s++;
	d->negative = *s == '-';
	if (d->negative)
		s++;
	while (*s == '0')
		s++;
	d->ip = s;
	while (is_digit(*s))
		s++;
	d->ip_len = (size_t)(s - d->ip);
	d->fp = s;
	d->fp_len = 0;
	if (*s == '.') {
		d->fp = ++s;
		while (is_digit(*s))
			s++;
		while (s > d->fp && s[-1] == '0')
			s--;
		d->fp_len = (size_t)(s - d->fp);
	}
	if (!d->ip_len && !d->fp_len)
		d->negative = false;	/* -0 == 0 */
}

static int sign_of_memcmp(const char *a, const char *b, size_t n)
{
	int c = memcmp(a, b, n);

	return (c > 0) - (c < 0);
}

/* Exact comparison of two decimals of any length. */
static int decimal_cmp(const struct decimal *a, const struct decimal *b)
{
	size_t n;
	int c;

	if (a->negative != b->negative)
		return a->negative ? -1 : 1;
	if (a->ip_len != b->ip_len) {
		c = a->ip_len < b->ip_len ? -1 : 1;
	} else if (!(c = sign_of_memcmp(a->ip, b->ip, a->ip_len))) {
		n = a->fp_len < b->fp_len ? a->fp_len : b->fp_len;
		c = sign_of_memcmp(a->fp, b->fp, n);
		if (!c)
			c = (a->fp_len > b->fp_len) - (a->fp_len < b->fp_len);
	}
	return a->negative ? -c : c;
}

/*
 * The record's key: the value when it is an integer in int64, else the
 * integer part clamped to int64 and NUM_INEXACT.  Truncation and clamping
 * keep the order (a < b when key(a) < key(b)), so only equal keys with an
 * inexact one need decimal_cmp().
 */
static void num_rec_make(struct num_rec *r, const char *line, uint64_t off)
{
	struct decimal d;
	uint64_t mag = 0;
	bool inexact;

	decimal_parse(line, &d);
	inexact = d.fp_len > 0 || d.ip_len > 19;
	if (d.ip_len <= 19)
		for (size_t i = 0; i < d.ip_len; i++)
			mag = mag * 10 + (uint64_t)(d.ip[i] - '0');
	else
		mag = UINT64_MAX;
	if (d.negative) {
		if (mag > (uint64_t)INT64_MAX + 1) {
			mag = (uint64_t)INT64_MAX + 1;
			inexact = true;
		}
		r->key = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN
							: -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX) {
			mag = (uint64_t)INT64_MAX;
			inexact = true;
		}
		r->key = (int64_t)mag;
	}
	r->off = off | (inexact ? NUM_INEXACT : 0);
}

static size_t line_len(const char *line)
{
	return (size_t)((const char *)rawmemchr(line, '\n') - line);
}

/* The last resort: bytes of the whole lines, shorter first on a tie. */
static int bytes_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = sign_of_memcmp(a, b, la < lb ? la : lb);

	return c ? c : (la > lb) - (la < lb);
}

/* Equal keys: input order (--stable) or the last resort, then offsets. */
static int tie_break(uint64_t off_a, size_t la, uint64_t off_b, size_t lb)
{
	int c;

	if (!order.stable) {
		c = bytes_cmp(order.buf + off_a, la, order.buf + off_b, lb);
		if (c)
			return order.reverse ? -c : c;
	}
	return (off_a > off_b) - (off_a < off_b);
}

static int num_key_cmp(const struct num_rec *a, const struct num_rec *b)
{
	struct decimal da, db;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (!((a->off | b->off) & NUM_INEXACT))
		return 0;
	decimal_parse(order.buf + (a->off & NUM_OFF_MASK), &da);
	decimal_parse(order.buf + (b->off & NUM_OFF_MASK), &db);
	return decimal_cmp(&da, &db);
}

static int cmp_num_rec(const void *pa, const void *pb)
{
	struct num_rec a, b;
	uint64_t oa, ob;
	int c;

	memcpy(&a, pa, sizeof(a));
	memcpy(&b, pb, sizeof(b));
	c = num_key_cmp(&a, &b);
	if (c)
		return order.reverse ? -c : c;
	oa = a.off & NUM_OFF_MASK;
	ob = b.off & NUM_OFF_MASK;
	if (order.stable)
		return (oa > ob) - (oa < ob);
	return tie_break(oa, line_len(order.buf + oa), ob,
			 line_len(order.buf + ob));
}

/* -g: strtold() on the line, NUL-terminated in place of its '\n'. */
static void gen_rec_make(struct gen_rec *r, char *line, uint64_t off,
			 size_t len)
{
	enum gen_class class;
	long double v;
	char *end;

	memset(r, 0, sizeof(*r));	/* the long double's padding too */
	line[len] = 0;
	v = strtold(line, &end);
	if (end == line)
		class = GEN_NOT_A_NUMBER;
	else if (isnan(v))
		class = GEN_NAN;
	else
		class = GEN_NUMBER;
	r->key = class == GEN_NOT_A_NUMBER ? 0 : v;
	r->off = off;
	r->len_class = (uint64_t)len << 2 | class;
}

static int gen_key_cmp(const struct gen_rec *a, const struct gen_rec *b)
{
	unsigned int ca = a->len_class & 3, cb = b->len_class & 3;

	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (ca == GEN_NUMBER)
		return (a->key > b->key) - (a->key < b->key);
	if (ca == GEN_NAN)
		return sign_of_memcmp((const char *)&a->key,
				      (const char *)&b->key, LDBL_VALUE_BYTES);
	return 0;
}

static int cmp_gen_rec(const void *pa, const void *pb)
{
	struct gen_rec a, b;
	int c;

	memcpy(&a, pa, sizeof(a));
	memcpy(&b, pb, sizeof(b));
	c = gen_key_cmp(&a, &b);
	if (c)
		return order.reverse ? -c : c;
	return tie_break(a.off, a.len_class >> 2, b.off, b.len_class >> 2);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return order.reverse ? (x < y) - (x > y) : (x > y) - (x < y);
}

/* Lines to records, in parallel: threads each take a slice. */

struct rec_slice {
	pthread_t thread;
	void *recs;
	size_t from, to;
	bool general;
};

static void *make_recs(void *arg)
{
	struct rec_slice *sl = arg;
	char *buf = (char *)order.buf;

	for (size_t i = sl->from; i < sl->to; i++) {
		if (sl->general) {
			struct gen_rec *r = (struct gen_rec *)sl->recs + i;
			uint64_t off = r->off;

			gen_rec_make(r, buf + off, off, r->len_class >> 2);
		} else {
			struct num_rec *r = (struct num_rec *)sl->recs + i;

			num_rec_make(r, buf + r->off, r->off);
		}
	}
	return NULL;
}

/*
 * One record per line of @in (order.buf): offsets first (one pass for
 * '\n'), then the keys, @threads slices at once.
 */
static void *build_recs(struct input *in, bool general, unsigned int threads,
			size_t *nrec)
{
	size_t n = 0, size = general ? sizeof(struct gen_rec)
				     : sizeof(struct num_rec);
	struct rec_slice sl[MAX_THREADS];
	bool started[MAX_THREADS];
	const char *p, *end = in->buf + in->len;
	unsigned int nsl;
	void *recs;

	for (p = in->buf; p < end; p++) {
		p = memchr(p, '\n', (size_t)(end - p));
		n++;
	}
	recs = malloc((n ? n : 1) * size);
	if (!recs)
		return NULL;
	n = 0;
	for (p = in->buf; p < end; p++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		uint64_t off = (uint64_t)(p - in->buf);

		if (general) {
			struct gen_rec *r = (struct gen_rec *)recs + n;

			r->off = off;
			r->len_class = (uint64_t)(nl - p) << 2;
		} else {
			((struct num_rec *)recs)[n].off = off;
		}
		n++;
		p = nl;
	}
	nsl = threads ? threads : 1;
	if (n < 65536)
		nsl = 1;
	for (unsigned int i = 0; i < nsl; i++) {
		sl[i].recs = recs;
		sl[i].from = n * i / nsl;
		sl[i].to = n * (i + 1) / nsl;
		sl[i].general = general;
		started[i] = i && !pthread_create(&sl[i].thread, NULL,
						  make_recs, &sl[i]);
		if (i && !started[i])
			make_recs(&sl[i]);	/* no thread: do it here */
	}
	make_recs(&sl[0]);
	for (unsigned int i = 1; i < nsl; i++)
		if (started[i])
			pthread_join(sl[i].thread, NULL);
	*nrec = n;
	return recs;
}

/* Output through one buffer; the first error is kept and reported. */

struct output {
	int fd;
	const char *name;
	char buf[1 << 17];
	size_t len;
	int err;
};

static void out_flush(struct output *o)
{
	size_t done = 0;

	while (!o->err && done < o->len) {
		ssize_t w = write(o->fd, o->buf + done, o->len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			o->err = w < 0 ? errno : EIO;
		else
			done += (size_t)w;
	}
	o->len = 0;
}

static void out_write(struct output *o, const void *p, size_t n)
{
	const char *s = p;

	while (n && !o->err) {
		size_t room = sizeof(o->buf) - o->len;
		size_t k = n < room ? n : room;

		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == sizeof(o->buf))
			out_flush(o);
	}
}

static void out_line(struct output *o, const char *line, size_t len)
{
	if (o->len + len + 1 <= sizeof(o->buf)) {
		memcpy(o->buf + o->len, line, len);
		o->buf[o->len + len] = '\n';
		o->len += len + 1;
		return;
	}
	out_write(o, line, len);
	out_write(o, "\n", 1);
}

enum data_kind { DATA_NUM, DATA_GEN, DATA_U64 };

static size_t rec_size(enum data_kind k)
{
	return k == DATA_NUM ? sizeof(struct num_rec)
	       : k == DATA_GEN ? sizeof(struct gen_rec) : 8;
}

/* Equal keys (what --unique folds). */
static bool same_key(enum data_kind k, const void *a, const void *b)
{
	if (k == DATA_NUM) {
		struct num_rec x, y;

		memcpy(&x, a, sizeof(x));
		memcpy(&y, b, sizeof(y));
		return !num_key_cmp(&x, &y);
	}
	if (k == DATA_GEN) {
		struct gen_rec x, y;

		memcpy(&x, a, sizeof(x));
		memcpy(&y, b, sizeof(y));
		/* NaN equals nothing: each NaN line is kept, as sort -gu */
		if ((x.len_class & 3) == GEN_NAN ||
		    (y.len_class & 3) == GEN_NAN)
			return false;
		return !gen_key_cmp(&x, &y);
	}
	return !memcmp(a, b, 8);
}

/* Records ahead whose line is fetched while this one is written. */
#define PREFETCH_AHEAD 16

static void write_recs(struct output *o, enum data_kind k, const void *v,
		       size_t n, bool binary, bool unique)
{
	size_t size = rec_size(k);
	const char *p = v;

	for (size_t i = 0; i < n && !o->err; i++, p += size) {
		/* lines come in sorted order, from all over the input */
		if (k != DATA_U64 && i + PREFETCH_AHEAD < n) {
			uint64_t off;

			memcpy(&off, p + PREFETCH_AHEAD * size +
			       (k == DATA_NUM ? offsetof(struct num_rec, off)
					      : offsetof(struct gen_rec, off)),
			       8);
			__builtin_prefetch(order.buf + (off & NUM_OFF_MASK));
		}
		if (unique && i && same_key(k, p - size, p))
			continue;
		if (k == DATA_NUM) {
			struct num_rec r;
			const char *line;

			memcpy(&r, p, sizeof(r));
			line = order.buf + (r.off & NUM_OFF_MASK);
			out_line(o, line, line_len(line));
		} else if (k == DATA_GEN) {
			struct gen_rec r;

			memcpy(&r, p, sizeof(r));
			out_line(o, order.buf + r.off, r.len_class >> 2);
		} else if (binary) {
			out_write(o, p, 8);
		} else {
			char num[24];
			uint64_t x;
			int len;

			memcpy(&x, p, 8);
			len = snprintf(num, sizeof(num), "%" PRIu64, x);
			out_line(o, num, (size_t)len);
		}
	}
	out_flush(o);
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

static int sorted_ok(const void *v, size_t n, size_t size, ksort_cmp_t cmp)
{
	const char *p = v;

	for (size_t i = 1; i < n; i++)
		if (cmp(p + (i - 1) * size, p + i * size) > 0)
			return 0;
	return 1;
}

static int bench(const void *in, size_t n, size_t size, ksort_cmp_t cmp,
		 enum ksort_algo algo, unsigned int threads, size_t cutoff)
{
	void *v = malloc((n ? n : 1) * size);
	double seq = 0;

	if (!v) {
		fprintf(stderr, "ksort: --bench: out of memory\n");
		return 2;
	}
	printf("| algorithm | threads | time ms | ns/elem | comparisons | "
	       "tasks | peak workers | speed-up |\n");
	printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	for (unsigned int t = 0; t <= threads; t++) {
		struct ksort_stats st = { 0 };
		struct ksort_opts o = { .algo = algo, .cutoff = cutoff,
					.parallelism = t, .stats = &st };
		unsigned int peak = 0;
		double t0, dt;

		memcpy(v, in, n * size);
		t0 = now_s();
		if (t == 0)
			ksort_seq(algo, v, n, size, cmp, &st.comparisons);
		else if (ksort_wq(NULL, v, n, size, cmp, &o))
			goto failed;
		dt = now_s() - t0;
		if (!sorted_ok(v, n, size, cmp)) {
			fprintf(stderr, "ksort: --bench: not sorted\n");
			goto failed;
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

		memcpy(v, in, n * size);
		t0 = now_s();
		qsort(v, n, size, cmp);
		t0 = now_s() - t0;
		printf("| qsort | 1 | %.2f | %.2f | - | - | - | %.2fx |\n",
		       t0 * 1e3, n ? t0 * 1e9 / (double)n : 0.0,
		       t0 > 0 ? seq / t0 : 0.0);
	}
	free(v);
	return 0;
failed:
	free(v);
	return 2;
}

static void try_help(void)
{
	fputs("Try 'ksort --help' for more information.\n", stderr);
}

static void list_names(const char *(*name)(int), int nr)
{
	for (int i = 0; i < nr; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", name(i));
	fputc('\n', stderr);
}

static const char *algo_name(int i)
{
	return ksort_algo_name((enum ksort_algo)i);
}

static const char *pattern_name(int i)
{
	return ksort_pattern_name((enum ksort_pattern)i);
}

enum {
	OPT_GENERATE = 256,
	OPT_SEED,
	OPT_NO_PROGRESS,
	OPT_BENCH,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "numeric-sort", no_argument, NULL, 'n' },
		{ "general-numeric-sort", no_argument, NULL, 'g' },
		{ "general", no_argument, NULL, 'g' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "stable", no_argument, NULL, 's' },
		{ "unique", no_argument, NULL, 'u' },
		{ "generate", required_argument, NULL, OPT_GENERATE },
		{ "pattern", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "binary", no_argument, NULL, 'B' },
		{ "algo", required_argument, NULL, 'a' },
		{ "threads", required_argument, NULL, 'j' },
		{ "cutoff", required_argument, NULL, 'c' },
		{ "summary", no_argument, NULL, 'q' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "bench", no_argument, NULL, OPT_BENCH },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t gen_n = 0, seed = 42, num;
	int pattern = KSORT_PAT_RANDOM, algo = KSORT_PDQSORT, opt;
	bool generate = false, binary = false, summary = false;
	bool progress = true, do_bench = false, general = false;
	bool unique = false;
	unsigned int threads = 0, work_threads;
	size_t cutoff = 0, n = 0, size;
	const char *out_name = NULL;
	enum data_kind kind;
	ksort_cmp_t cmp;
	struct input in = { 0 };
	void *v = NULL;
	struct ksort_stats st = { 0 };
	struct ksort_opts o = { 0 };
	struct bar bar = { 0 };
	struct output *out = NULL;
	bool show_bar;
	double t0, dt;
	int ret = 2;

	opterr = 0;	/* our own messages, named "ksort" */
	while ((opt = getopt_long(argc, argv, ":ngrsup:Ba:j:c:qo:hV",
				  longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			general = false;
			break;
		case 'g':
			general = true;
			break;
		case 'r':
			order.reverse = true;
			break;
		case 's':
			order.stable = true;
			break;
		case 'u':
			unique = true;
			break;
		case OPT_GENERATE:
			if (parse_option_u64("--generate", optarg,
					     SIZE_MAX / 32, &gen_n))
				return 2;
			generate = true;
			break;
		case 'p':
			pattern = ksort_pattern_parse(optarg);
			if (pattern < 0) {
				fprintf(stderr, "ksort: --pattern: '%s' is not "
					"one of: ", optarg);
				list_names(pattern_name, KSORT_NR_PATTERNS);
				return 2;
			}
			break;
		case OPT_SEED:
			if (parse_option_u64("--seed", optarg, UINT64_MAX,
					     &seed))
				return 2;
			break;
		case 'B':
			binary = true;
			break;
		case 'a':
			algo = ksort_algo_parse(optarg);
			if (algo < 0) {
				fprintf(stderr, "ksort: --algo: '%s' is not "
					"one of: ", optarg);
				list_names(algo_name, KSORT_NR_ALGOS);
				return 2;
			}
			break;
		case 'j':
			if (parse_option_u64("--threads", optarg, MAX_THREADS,
					     &num))
				return 2;
			threads = (unsigned int)num;
			break;
		case 'c':
			if (parse_option_u64("--cutoff", optarg, SIZE_MAX,
					     &num))
				return 2;
			cutoff = (size_t)num;
			break;
		case 'q':
			summary = true;
			break;
		case 'o':
			out_name = optarg;
			break;
		case OPT_NO_PROGRESS:
			progress = false;
			break;
		case OPT_BENCH:
			do_bench = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return fflush(stdout) ? 2 : 0;
		case 'V':
			puts("ksort (cmwq) " CMWQ_VERSION_STRING);
			return fflush(stdout) ? 2 : 0;
		case ':':
			/* named as written: a long one has optopt set too */
			if (!strncmp(argv[optind - 1], "--", 2))
				fprintf(stderr, "ksort: option '%s' needs a "
					"value\n", argv[optind - 1]);
			else
				fprintf(stderr, "ksort: option '-%c' needs a "
					"value\n", optopt);
			try_help();
			return 2;
		default:
			if (optopt && strncmp(argv[optind - 1], "--", 2))
				fprintf(stderr, "ksort: unknown option '-%c'\n",
					optopt);
			else
				fprintf(stderr, "ksort: unknown option '%s'\n",
					argv[optind - 1]);
			try_help();
			return 2;
		}
	}
	if (general && (binary || generate)) {
		fprintf(stderr, "ksort: --general-numeric-sort reads text "
			"lines: not with %s\n",
			binary ? "--binary" : "--generate");
		try_help();
		return 2;
	}
	if (generate && optind < argc) {
		fprintf(stderr, "ksort: --generate reads no input: '%s'\n",
			argv[optind]);
		try_help();
		return 2;
	}
	work_threads = threads ? threads : (unsigned int)cmwq_nr_cpus();
	if (work_threads > MAX_THREADS)
		work_threads = MAX_THREADS;

	if (generate) {
		v = malloc(gen_n ? gen_n * 8 : 8);
		if (!v) {
			fprintf(stderr, "ksort: --generate: cannot allocate %"
				PRIu64 " numbers\n", gen_n);
			return 2;
		}
		n = (size_t)gen_n;
		ksort_generate(v, n, (enum ksort_pattern)pattern, seed);
		kind = DATA_U64;
	} else {
		if (optind == argc && read_file(&in, "-", !binary))
			goto out;
		for (int i = optind; i < argc; i++)
			if (read_file(&in, argv[i], !binary))
				goto out;
		order.buf = in.buf;
		if (binary) {
			v = in.buf;
			in.buf = NULL;
			n = in.len / 8;
			kind = DATA_U64;
		} else {
			kind = general ? DATA_GEN : DATA_NUM;
			v = build_recs(&in, general, work_threads, &n);
			if (!v) {
				fprintf(stderr, "ksort: out of memory for "
					"the lines' keys\n");
				goto out;
			}
		}
	}
	size = rec_size(kind);
	cmp = kind == DATA_NUM ? cmp_num_rec
	      : kind == DATA_GEN ? cmp_gen_rec : cmp_u64;
	if (unique)
		order.stable = true;	/* the first of each run is kept */

	if (do_bench) {
		ret = bench(v, n, size, cmp, (enum ksort_algo)algo,
			    work_threads, cutoff);
		goto out;
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
	ret = ksort_wq(NULL, v, n, size, cmp, &o);
	dt = now_s() - t0;
	if (show_bar) {
		__atomic_store_n(&bar.stop, 1, __ATOMIC_RELEASE);
		pthread_join(bar.thread, NULL);
	}
	if (ret) {
		fprintf(stderr, "ksort: sort failed: %s\n", strerror(-ret));
		ret = 2;
		goto out;
	}
	ret = 2;

	if (summary) {
		printf("n %zu\nalgorithm %s\nthreads %u\ntime_ms %.3f\n"
		       "ns_per_elem %.2f\ncomparisons %llu\ntasks %llu\n"
		       "work_items %u\nsorted %s\n",
		       n, ksort_algo_name((enum ksort_algo)algo), st.threads,
		       dt * 1e3, n ? dt * 1e9 / (double)n : 0.0,
		       st.comparisons, st.tasks, st.work_items,
		       sorted_ok(v, n, size, cmp) ? "yes" : "NO");
		if (fflush(stdout)) {
			fprintf(stderr, "ksort: standard output: cannot "
				"write: %s\n", strerror(errno));
			goto out;
		}
	}
	if (out_name || !summary) {
		out = malloc(sizeof(*out));
		if (!out) {
			fprintf(stderr, "ksort: out of memory\n");
			goto out;
		}
		out->len = 0;
		out->err = 0;
		out->name = out_name ? out_name : "standard output";
		out->fd = out_name ? open(out_name, O_WRONLY | O_CREAT |
					  O_TRUNC | O_CLOEXEC, 0666) : 1;
		if (out->fd < 0) {
			fprintf(stderr, "ksort: %s: cannot open for writing: "
				"%s\n", out_name, strerror(errno));
			goto out;
		}
		write_recs(out, kind, v, n, binary, unique);
		if (out_name && close(out->fd) && !out->err)
			out->err = errno;
		if (out->err) {
			fprintf(stderr, "ksort: %s: cannot write: %s\n",
				out->name, strerror(out->err));
			goto out;
		}
	}
	ret = 0;
out:
	free(out);
	free(v);
	free(in.buf);
	return ret;
}
