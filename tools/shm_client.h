/* SPDX-License-Identifier: MIT */
/*
 * shm_client.h - attaching to the counters a cmwq process publishes
 *
 * The file /dev/shm/cmwq.PID is untrusted input: a monitor may run as root
 * and the file belongs to whoever runs the watched program.  Attaching
 * checks its owner, type, mode, size and every field of page 0; a refresh
 * reads the snapshot with pread() into a private copy and checks every
 * count and terminates (and makes printable) every string of that copy, so
 * the printing code may trust c->copy.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_SHM_CLIENT_H
#define CMWQ_SHM_CLIENT_H

#include <sys/types.h>

#include "shm.h"

/* Largest file a monitor accepts (the library makes a few MiB). */
#define SHM_CLIENT_MAX_FILE (256ull << 20)

struct shm_client {
	pid_t pid;
	int fd; /* the file, for pread() of the snapshot */
	struct cmwq_shm_ctl *ctl; /* page 0, mapped read-write: futex words */
	size_t page;
	size_t size; /* of the file, checked at attach */
	uint32_t cap_pools; /* checked at attach; every copy must agree */
	size_t snap_size;
	struct cmwq_shm_snap *copy; /* the last consistent, checked copy */
};

/**
 * shm_client_attach() - open and check /dev/shm/cmwq.<pid>
 * @c: the client, filled on success
 * @pid: the process to watch
 * @err: a message on failure
 * @errlen: size of @err
 *
 * Return: 0; -ESRCH when there is no such process; -ENOENT when it
 * publishes no file, or -EAGAIN when its file is not complete yet (both
 * may change: see shm_client_attach_wait()); another -errno when the file
 * cannot be used (wrong owner, type, mode, size or contents).
 */
int shm_client_attach(struct shm_client *c, pid_t pid, char *err,
		      size_t errlen);

/**
 * shm_client_attach_wait() - shm_client_attach(), waiting for a process
 * that has not published its counters yet
 * @c: the client
 * @pid: the process
 * @wait_ms: how long to keep trying while the process lives but its file
 *	is missing or incomplete
 * @err: a message on failure
 * @errlen: size of @err
 *
 * Return: as shm_client_attach(); -ESRCH at once when the process is gone.
 */
int shm_client_attach_wait(struct shm_client *c, pid_t pid, int wait_ms,
			   char *err, size_t errlen);

/**
 * shm_client_refresh() - ask for a fresh snapshot and copy it to c->copy
 * @c: an attached client
 * @timeout_ms: how long to wait for the observer
 * @err: a message on failure
 * @errlen: size of @err
 *
 * Return: 0, or -errno: -ESRCH the process exited, -ETIMEDOUT no answer,
 * -EBADMSG the snapshot is not one the library writes, -EIO or -EFAULT the
 * file shrank or went away.
 */
int shm_client_refresh(struct shm_client *c, int timeout_ms, char *err,
		       size_t errlen);
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
 * is none or several (and @several_hint is then called, if not NULL), -2
 * on a usage error (not a pid, or more than one operand).
 */
pid_t shm_client_pick_pid(const char *prog, int argc, char **argv,
			  int optind, int (*several_hint)(void));

#endif /* CMWQ_SHM_CLIENT_H */
