// SPDX-License-Identifier: MIT
/*
 * cmwq-dump - the pools, workers and workqueues of a running process
 * linked with cmwq, as the kernel's wq_dump.py shows them
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "shm_client.h"

#include <cmwq/version.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: cmwq-dump [-w WORKQUEUE] [PID]\n"
		   "  -w, --workqueue NAME  only this workqueue and its pools\n"
		   "  -h, --help            print this and exit\n"
		   "  -V, --version         print the version and exit\n"
		   "Without PID: the only process that publishes cmwq "
		   "counters.\n"
		   "A process that has not published yet is waited for up to "
		   "2 s.\n"
		   "Exit status: 0 done, 1 the process cannot be watched or "
		   "has no such\n"
		   "workqueue, 2 usage error.\n");
}

static int usage_error(void)
{
	fprintf(stderr, "Try 'cmwq-dump --help'.\n");
	return 2;
}

static bool has_wq(struct cmwq_shm_snap *s, const char *name)
{
	struct cmwq_shm_wq *wqs = cmwq_shm_wqs(s);
	uint32_t i;

	for (i = 0; i < s->nr_wqs; i++)
		if (!strcmp(wqs[i].name, name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "workqueue", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *only = NULL;
	struct shm_client c;
	char err[256];
	pid_t pid;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "w:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (!optarg[0]) {
				fprintf(stderr, "cmwq-dump: -w: empty "
						"workqueue name\n");
				return usage_error();
			}
			only = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cmwq-dump (cmwq) %s\n", CMWQ_VERSION_STRING);
			return 0;
		default:
			return usage_error();
		}
	}
	/* As cmwq-top does: files this user's killed processes left. */
	cmwq_shm_remove_stale(0);
	pid = shm_client_pick_pid("cmwq-dump", argc, argv, optind, NULL);
	if (pid < 0)
		return pid == -2 ? usage_error() : 1;
	ret = shm_client_attach_wait(&c, pid, 2000, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "cmwq-dump: %s\n", err);
		return 1;
	}
	ret = shm_client_refresh(&c, 1000, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "cmwq-dump: pid %d: %s\n", (int)pid, err);
		shm_client_detach(&c);
		return 1;
	}
	if (only && !has_wq(c.copy, only)) {
		fprintf(stderr, "cmwq-dump: pid %d has no workqueue named "
				"'%s'\n",
			(int)pid, only);
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
