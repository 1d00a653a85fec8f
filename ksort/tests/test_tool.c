/* SPDX-License-Identifier: MIT */
/*
 * ksort/tests/test_tool.c - the ksort command: input, output, options
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <stdio.h>
#include <sys/wait.h>

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

int main(void)
{
	char cmd[1024], dir[] = "/tmp/ksort_tool_XXXXXX";

	harness_watchdog(100);
	CHECK(mkdtemp(dir));

	/* text in, text out, blank lines and spaces tolerated */
	snprintf(cmd, sizeof(cmd),
		 "printf '5\\n 3\\n\\n18446744073709551615\\n0\\n3 \\n' > %s/in"
		 " && %s %s/in > %s/out",
		 dir, KSORT_CLI_PATH, dir, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/out", dir);
	CHECK(!strcmp(slurp(cmd), "0\n3\n3\n5\n18446744073709551615\n"));

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
		 "%s -g 1000 -p reverse -B -o %s/bin && %s -B %s/bin -q "
		 "> %s/sum",
		 KSORT_CLI_PATH, dir, KSORT_CLI_PATH, dir, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/sum", dir);
	CHECK(strstr(slurp(cmd), "n 1000\n"));
	CHECK(strstr(slurp(cmd), "sorted yes\n"));

	/* --bench prints the table */
	snprintf(cmd, sizeof(cmd), "%s -g 20000 --bench -j 2 > %s/bench",
		 KSORT_CLI_PATH, dir);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/bench", dir);
	CHECK(strstr(slurp(cmd), "| ksort pdqsort | 2 |"));

	/* errors: bad number, bad pattern, missing file */
	snprintf(cmd, sizeof(cmd), "printf '1\\nx2\\n' | %s > /dev/null "
		 "2>&1", KSORT_CLI_PATH);
	CHECK_EQ(sh(cmd), 1);
	snprintf(cmd, sizeof(cmd), "%s -g 5 -p nope > /dev/null 2>&1",
		 KSORT_CLI_PATH);
	CHECK_EQ(sh(cmd), 2);
	snprintf(cmd, sizeof(cmd), "%s %s/missing > /dev/null 2>&1",
		 KSORT_CLI_PATH, dir);
	CHECK_EQ(sh(cmd), 1);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(sh(cmd), 0);
	return 0;
}
