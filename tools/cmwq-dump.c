// SPDX-License-Identifier: MIT
/*
 * cmwq-dump - the pools, workers and workqueues of a running process
 * linked with cmwq, as the kernel's wq_dump.py shows them
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "shm_client.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: cmwq-dump [-w WORKQUEUE] [PID]\n"
		   "  -w, --workqueue NAME  only this workqueue and its pools\n"
		   "Without PID: the only process that publishes cmwq "
		   "counters.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "workqueue", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL;
	struct shm_client c;
	char err[256];
	pid_t pid;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			only = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	pid = shm_client_pick_pid("cmwq-dump", argc, argv, optind, NULL);
	if (pid < 0)
		return 1;
	ret = shm_client_attach(&c, pid, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "cmwq-dump: %s\n", err);
		return 1;
	}
	ret = shm_client_refresh(&c, 1000);
	if (ret < 0) {
		fprintf(stderr, "cmwq-dump: pid %d: no answer\n", (int)pid);
		shm_client_detach(&c);
		return 1;
	}
	shm_client_resolve(&c);
	printf("pid %d (%s), %u CPUs\n\n", (int)pid, c.copy->comm,
	       c.copy->nr_cpus);
	cmwq_shm_print_dump(stdout, c.copy, only);
	shm_client_detach(&c);
	return 0;
}
