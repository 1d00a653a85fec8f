// SPDX-License-Identifier: MIT
/*
 * ksort/tests/test_sort_compat.c - the ksort command writes what
 * LC_ALL=C sort -n / sort -g writes, byte for byte
 *
 * Each case writes an input file, runs the system's GNU sort and ksort
 * with the same options and compares the two outputs with cmp(1).  Skipped
 * (77) where sort is missing or is not GNU sort.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <sys/wait.h>

#include "common.h"

/* Sanitizer builds of ksort are 5-15x slower: fewer lines there. */
#define NR_LINES (KT_SANITIZED ? 20000 : 200000)

static char dir[] = "/tmp/ksort_compat_XXXXXX";
static uint64_t rng = 12345;
static int cases;

static int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static FILE *open_input(const char *name)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f);
	return f;
}

/* ksort @opts @ksort_extra FILE... == LC_ALL=C sort @opts FILE... */
static void same_as_sort(const char *opts, const char *ksort_extra,
			 const char *files)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd),
		 "cd %s && LC_ALL=C sort %s %s > sort.out && "
		 "%s %s %s %s > ksort.out",
		 dir, opts, files, KSORT_CLI_PATH, opts, ksort_extra, files);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "cd %s && cmp sort.out ksort.out", dir);
	if (sh(cmd)) {
		fprintf(stderr,
			"differs from sort: ksort %s %s %s (kept in %s)\n",
			opts, ksort_extra, files, dir);
		CHECK(0);
	}
	cases++;
}

/* Every order option with and without threads that split. */
static void all_orders(const char *key, const char *file)
{
	static const char *const mods[] = { "", "-r", "-s", "-u", "-r -s",
					    "-r -u", "-s -u" };
	char opts[64];

	for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		snprintf(opts, sizeof(opts), "%s %s", key, mods[i]);
		if (!KT_SANITIZED)	/* there: the threads that split only */
			same_as_sort(opts, "-j 1", file);
		same_as_sort(opts, "-j 3 -c 64", file);
	}
}

static const char *const edge_lines[] = {
	"9223372036854775807", "-9223372036854775808", "9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"99999999999999999999999999999", "-99999999999999999999999999999",
	"9223372036854775807.5", "9223372036854775807.0",
	"-9223372036854775808.1", "-0", "0", "+0", "+5", "5", "007", "7",
	"0007.000", "-007", " 3", "  3", "\t3", "\t -3", " - 3", "-3", "3 ",
	"3abc", "abc", "", " ", "-", "--5", "-.", ".", ".5", "-.5", "0.5",
	"0.50", "1.", "1.0", "1", "01", "1.000000000000000000000001", "1,5",
	"1e3", "0x10", "\v5", "\r5", "\f5", "-0.0", "0.000", "x", "2", "2",
	"-1.5", "-1.25", "-1", "-2", "1e-3", "nan", "inf", "-inf",
};

static void edge_values(void)
{
	FILE *f = open_input("edge");

	/* each line twice, in a shuffled order: equal keys everywhere */
	for (int rep = 0; rep < 2; rep++)
		for (size_t i = 0; i < sizeof(edge_lines) / sizeof(*edge_lines);
		     i++)
			fprintf(f, "%s\n", edge_lines[(i * 7 + rep * 3) %
					 (sizeof(edge_lines) /
					  sizeof(*edge_lines))]);
	fclose(f);
	all_orders("-n", "edge");
}

static void random_values(void)
{
	FILE *f = open_input("random");

	for (int i = 0; i < NR_LINES; i++) {
		uint64_t x = ksort_splitmix64(&rng);

		switch (x % 4) {
		case 0:		/* all of int64 */
			fprintf(f, "%" PRId64 "\n", (int64_t)x);
			break;
		case 1:		/* small, often equal */
			fprintf(f, "%d\n", (int)(x >> 40) % 2001 - 1000);
			break;
		case 2:		/* decimals */
			fprintf(f, "%" PRId64 ".%02u\n",
				(int64_t)(x >> 44) - (1 << 19),
				(unsigned int)(x >> 8) % 100);
			break;
		default:	/* beyond int64, either sign */
			fprintf(f, "%s%" PRIu64 "%03u\n", x & 256 ? "-" : "",
				x >> 1, (unsigned int)(x >> 20) % 1000);
			break;
		}
	}
	fclose(f);
	all_orders("-n", "random");
}

/* NR_LINES / 2 lines, 40 numbers, each written in several ways: ties. */
static void duplicates(void)
{
	static const char *const forms[] = { "%d", " %d", "%d ", "%d.0",
					     "%d x", "\t%d", "%d.00", "%d," };
	FILE *f = open_input("dups");

	for (int i = 0; i < NR_LINES / 2; i++) {
		uint64_t x = ksort_splitmix64(&rng);

		fprintf(f, forms[x % 8], (int)(x >> 32) % 40 - 20);
		fputc('\n', f);
	}
	fclose(f);
	all_orders("-n", "dups");
	for (int a = 0; a < KSORT_NR_ALGOS; a++) {
		char extra[64];

		snprintf(extra, sizeof(extra), "-a %s -j 2 -c 100",
			 ksort_algo_name(a));
		same_as_sort("-n", extra, "dups");
		same_as_sort("-g", extra, "dups");
	}
}

static void general_values(void)
{
	/* one line for each NaN value: see "NaN" in docs/ksort.md */
	static const char *const fixed[] = {
		"nan", "-nan", "nan(1)", "-nan(5)", "nan(0x10)", "inf", "-inf",
		"infinity", "-INFINITY", "+inf", "1e5000", "-1e5000",
		"1e-5000", "-1e-5000", "0x1p3", "0x1.8p1", "-0x10", "0x", "0",
		"-0", "+0", "0.0", "007", "7", " 3", "\t3", "\v3", "\r3", "3x",
		"", " ", "abc", "+", "-", ".", "e5", "1e", "1e+", "1.5e3",
		"1500", "0.1", "0.10000000000000000001",
		"0.1000000000000000001",
		"1.7976931348623157e308", "4.9e-324", "1e400", "-1e400",
	};
	FILE *f = open_input("general");

	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		fprintf(f, "%s\n", fixed[i]);
	for (int i = 0; i < NR_LINES / 2; i++) {
		uint64_t x = ksort_splitmix64(&rng);
		double d;

		switch (x % 5) {
		case 0:
			memcpy(&d, &x, 8);
			if (isnan(d))
				d = 1.0;	/* NaN lines: one each, above */
			fprintf(f, "%.17g\n", d);
			break;
		case 1:
			fprintf(f, "%a\n", (double)(int64_t)x / 1e6);
			break;
		case 2:
			fprintf(f, "%de%d\n", (int)(x >> 48) % 100 - 50,
				(int)(x >> 16) % 20 - 10);
			break;
		case 3:
			fprintf(f, "%d\n", (int)(x >> 40) % 100);
			break;
		default:
			fprintf(f, "%s\n", x & 256 ? "word" : "");
			break;
		}
	}
	fclose(f);
	all_orders("-g", "general");
	all_orders("-n", "general");
}

/* NUL bytes inside lines, CR LF ends, numbers of 10^5 digits. */
static void odd_bytes(void)
{
	static const char nul_lines[] = "5\0009\n5\n5\000\n3\r\n-1\r\n"
					"\000\n 2\000x\n1e2\0003\n";
	FILE *f = open_input("nul");

	fwrite(nul_lines, 1, sizeof(nul_lines) - 1, f);
	fclose(f);
	all_orders("-n", "nul");
	all_orders("-g", "nul");
	f = open_input("long");
	for (int i = 0; i < 6; i++) {
		fputs(i == 2 ? "-" : "", f);
		fputs(i >= 3 ? "1" : "", f);
		for (int d = 0; d < 100000; d++)
			fputc(i >= 3 ? '0' : '9', f);
		fputs(i == 1 ? "8" : i == 3 ? ".5" : i == 4 ? ".49" : "", f);
		fputc('\n', f);
	}
	fclose(f);
	all_orders("-n", "long");
	same_as_sort("-g", "", "long");
}

/* Files concatenated; a last line without '\n' gets one, as sort. */
static void several_files(void)
{
	FILE *f = open_input("a");

	fputs("3\n1\n10", f);
	fclose(f);
	f = open_input("b");
	fputs("2\n\n-1", f);
	fclose(f);
	f = open_input("empty");
	fclose(f);
	same_as_sort("-n", "", "a empty b");
	same_as_sort("-g", "", "b a");
	same_as_sort("-n", "", "empty");
	same_as_sort("-n", "", "- < a");	/* "-" is standard input */
}

int main(void)
{
	char cmd[256];

	harness_watchdog(280);
	if (sh("LC_ALL=C sort --version 2>/dev/null | grep -q GNU")) {
		fprintf(stderr, "no GNU sort: skipped\n");
		return HARNESS_SKIP;
	}
	CHECK(mkdtemp(dir));
	edge_values();
	random_values();
	duplicates();
	general_values();
	odd_bytes();
	several_files();
	fprintf(stderr, "%d cases equal to sort's output\n", cases);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(sh(cmd), 0);
	return 0;
}
