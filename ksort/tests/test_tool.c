/* SPDX-License-Identifier: MIT */
/*
 * ksort/tests/test_tool.c - the ksort command: input, output, options
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <stdio.h>
#include <sys/wait.h>

#include <cmwq/version.h>

#include "common.h"

static int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 16];
	size_t n;

	CHECK(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/*
 * Run ksort @args (stdin empty); its status must be @status, its stdout
 * start with @out and its stderr contain @err.
 */
static void expect(const char *dir, const char *args, int status,
		   const char *out, const char *err)
{
	char cmd[1024], path[256];

	snprintf(cmd, sizeof(cmd), "%s %s < /dev/null > %s/o 2> %s/e",
		 KSORT_CLI_PATH, args, dir, dir);
	if (sh(cmd) != status) {
		fprintf(stderr, "ksort %s: status not %d\n", args, status);
		CHECK(0);
	}
	snprintf(path, sizeof(path), "%s/o", dir);
	if (strncmp(slurp(path), out, strlen(out))) {
		fprintf(stderr, "ksort %s: stdout \"%s\"\n", args, slurp(path));
		CHECK(0);
	}
	snprintf(path, sizeof(path), "%s/e", dir);
	if (!strstr(slurp(path), err)) {
		fprintf(stderr, "ksort %s: stderr \"%s\"\n", args, slurp(path));
		CHECK(0);
	}
}

int main(void)
{
	char cmd[1024], dir[] = "/tmp/ksort_tool_XXXXXX";
	char arg[256], msg[512];

	harness_watchdog(100);
	CHECK(mkdtemp(dir));

	/*
	 * text in, the same lines out, as sort -n: an empty line is 0,
	 * equal numbers in byte order of the whole line
	 */
	snprintf(cmd, sizeof(cmd),
		 "printf '5\\n 3\\n\\n18446744073709551615\\n0\\n3 \\n' > %s/in"
		 " && %s %s/in > %s/out",
		 dir, KSORT_CLI_PATH, dir, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/out", dir);
	CHECK(!strcmp(slurp(cmd), "\n0\n 3\n3 \n5\n18446744073709551615\n"));

	/* stdin, every algorithm */
	for (int a = 0; a < KSORT_NR_ALGOS; a++) {
		snprintf(cmd, sizeof(cmd),
			 "printf '9\\n1\\n4\\n' | %s -a %s > %s/out",
			 KSORT_CLI_PATH, ksort_algo_name(a), dir);
		CHECK_EQ(sh(cmd), 0);
		snprintf(cmd, sizeof(cmd), "%s/out", dir);
		CHECK(!strcmp(slurp(cmd), "1\n4\n9\n"));
	}

	/* generated data, summary only */
	snprintf(cmd, sizeof(cmd),
		 "%s --generate 200000 --pattern organ -j 2 -c 1000 -q "
		 "> %s/sum",
		 KSORT_CLI_PATH, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/sum", dir);
	CHECK(strstr(slurp(cmd), "n 200000\n"));
	CHECK(strstr(slurp(cmd), "sorted yes\n"));

	/* binary round trip: generate, write, read back, sorted */
	snprintf(cmd, sizeof(cmd),
		 "%s --generate 1000 -p reverse -B -o %s/bin && "
		 "%s -B %s/bin -q "
		 "> %s/sum",
		 KSORT_CLI_PATH, dir, KSORT_CLI_PATH, dir, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/sum", dir);
	CHECK(strstr(slurp(cmd), "n 1000\n"));
	CHECK(strstr(slurp(cmd), "sorted yes\n"));

	/* --bench prints the table */
	snprintf(cmd, sizeof(cmd),
		 "%s --generate 20000 --bench -j 2 > %s/bench",
		 KSORT_CLI_PATH, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/bench", dir);
	CHECK(strstr(slurp(cmd), "| ksort pdqsort | 2 |"));

	/* --bench on text lines sorts their records */
	snprintf(cmd, sizeof(cmd), "printf '3\\n-1\\n2.5\\n' | %s -g --bench "
		 "-j 2 > %s/bench", KSORT_CLI_PATH, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/bench", dir);
	CHECK(strstr(slurp(cmd), "| qsort | 1 |"));

	/* a line that is no number is 0 for -n, as sort -n: no error */
	snprintf(cmd, sizeof(cmd), "printf '1\\nx2\\n-1\\n' | %s > %s/out",
		 KSORT_CLI_PATH, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/out", dir);
	CHECK(!strcmp(slurp(cmd), "-1\nx2\n1\n"));

	/* -o FILE may be the input: all of it is read first */
	snprintf(cmd, sizeof(cmd), "printf '2\\n1\\n' > %s/inplace && "
		 "%s -o %s/inplace %s/inplace", dir, KSORT_CLI_PATH, dir, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/inplace", dir);
	CHECK(!strcmp(slurp(cmd), "1\n2\n"));

	/* --help and --version: standard output, status 0 */
	expect(dir, "--help", 0, "Usage: ksort [OPTION]... [FILE]...", "");
	expect(dir, "-h", 0, "Usage: ksort", "");
	expect(dir, "--version", 0, "ksort (cmwq) " CMWQ_VERSION_STRING "\n",
	       "");

	/* numeric options: strict, the option named, status 2 */
	expect(dir, "--threads abc", 2, "",
	       "ksort: --threads: 'abc' is not a number\n");
	expect(dir, "-j 12abc", 2, "",
	       "ksort: --threads: '12abc' is not a number\n");
	expect(dir, "-j -5", 2, "", "ksort: --threads: '-5' is negative");
	expect(dir, "-j ''", 2, "", "ksort: --threads: '' is not a number\n");
	expect(dir, "-j ' 3'", 2, "",
	       "ksort: --threads: ' 3' is not a number\n");
	expect(dir, "-j 0x10", 2, "",
	       "ksort: --threads: '0x10' is not a number\n");
	expect(dir, "-j 1025", 2, "",
	       "ksort: --threads: '1025' is out of range (0 to 1024)\n");
	expect(dir, "-c 99999999999999999999", 2, "",
	       "ksort: --cutoff: '99999999999999999999' is out of range");
	expect(dir, "--seed 18446744073709551616", 2, "",
	       "ksort: --seed: '18446744073709551616' is out of range");
	expect(dir, "--seed 1e3", 2, "",
	       "ksort: --seed: '1e3' is not a number");
	expect(dir, "--generate -1", 2, "",
	       "ksort: --generate: '-1' is negative");
	expect(dir, "--generate 5x", 2, "",
	       "ksort: --generate: '5x' is not a number");
	expect(dir, "--generate 5 -p nope", 2, "",
	       "ksort: --pattern: 'nope' is not one of: random, sorted");
	expect(dir, "-a bubble", 2, "",
	       "ksort: --algo: 'bubble' is not one of: ");

	/* usage errors: status 2 */
	expect(dir, "--bogus", 2, "", "ksort: unknown option '--bogus'\n"
	       "Try 'ksort --help' for more information.\n");
	expect(dir, "-z", 2, "", "ksort: unknown option '-z'\n");
	expect(dir, "-j", 2, "", "ksort: option '-j' needs a value\n");
	expect(dir, "--threads", 2, "",
	       "ksort: option '--threads' needs a value\n");
	expect(dir, "-g -B", 2, "", "not with --binary");
	expect(dir, "--generate 5 FILE", 2, "",
	       "ksort: --generate reads no input: 'FILE'\n");

	/* input and output errors name the file and say why: status 2 */
	snprintf(arg, sizeof(arg), "%s/missing", dir);
	snprintf(msg, sizeof(msg),
		 "ksort: %s/missing: cannot open: No such file or directory\n",
		 dir);
	expect(dir, arg, 2, "", msg);
	snprintf(msg, sizeof(msg), "ksort: %s: cannot read: Is a directory\n",
		 dir);
	expect(dir, dir, 2, "", msg);
	expect(dir, "-o /nonexistent-dir/x", 2, "",
	       "ksort: /nonexistent-dir/x: cannot open for writing: "
	       "No such file or directory\n");
	snprintf(arg, sizeof(arg), "-o %s", dir);
	snprintf(msg, sizeof(msg), "ksort: %s: cannot open for writing: "
		 "Is a directory\n", dir);
	expect(dir, arg, 2, "", msg);
	snprintf(cmd, sizeof(cmd), "printf '1\\n2\\n3' > %s/odd", dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(arg, sizeof(arg), "-B %s/odd", dir);
	snprintf(msg, sizeof(msg), "ksort: %s/odd: size 5 is not a multiple "
		 "of 8", dir);
	expect(dir, arg, 2, "", msg);
	if (!access("/dev/full", W_OK)) {
		snprintf(cmd, sizeof(cmd), "echo 1 | %s > /dev/full 2> %s/err",
			 KSORT_CLI_PATH, dir);
		CHECK_EQ(sh(cmd), 2);
		snprintf(cmd, sizeof(cmd), "%s/err", dir);
		CHECK(!strcmp(slurp(cmd), "ksort: standard output: cannot "
			      "write: No space left on device\n"));
	}

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(sh(cmd), 0);
	return 0;
}
