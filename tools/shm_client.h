/* SPDX-License-Identifier: MIT */
/*
 * shm_client.h - attaching to the counters a cmwq process publishes
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_SHM_CLIENT_H
#define CMWQ_SHM_CLIENT_H

#include <sys/types.h>

#include "shm.h"

struct shm_client {
	pid_t pid;
	struct cmwq_shm_ctl *ctl; /* page 0, read-write */
	struct cmwq_shm_snap *snap; /* the rest, read-only */
	size_t size;
	size_t snap_size;
	struct cmwq_shm_snap *copy; /* the last consistent copy */
};

/* Map /dev/shm/cmwq.<pid>.  0, or -errno with a message in @err. */
int shm_client_attach(struct shm_client *c, pid_t pid, char *err,
		      size_t errlen);
/*
 * Ask the process for a fresh snapshot and copy it into c->copy.
 * @timeout_ms: how long to wait for the observer.  0, or -errno.
 */
int shm_client_refresh(struct shm_client *c, int timeout_ms);
void shm_client_detach(struct shm_client *c);
/*
 * Name the functions dladdr() could not (static functions, programs not
 * linked with -rdynamic) from the ELF symbol tables of the files the
 * process maps.  Best effort: needs to read /proc/PID/maps.
 */
void shm_client_resolve(struct shm_client *c);
/* Pids that publish counters, in @pids (up to @max); the count. */
int shm_client_list(pid_t *pids, int max);

/*
 * The pid a tool watches: argv[@optind] if given, else the only process
 * that publishes counters.  Prints why on stderr and returns -1 when there
 * is none or several (and @several_hint is then called, if not NULL).
 */
pid_t shm_client_pick_pid(const char *prog, int argc, char **argv,
			  int optind, int (*several_hint)(void));

#endif /* CMWQ_SHM_CLIENT_H */
