/* SPDX-License-Identifier: MIT */
/*
 * main.c - the simrupt program
 *
 *   simrupt [options]              run the device, with readers
 *   simrupt -C PATH [-d s]         read another simrupt's stream from a
 *                                  named pipe or UNIX socket and check it
 *
 * Options:
 *   -r HZ      interrupt rate, 1..100000 (10)
 *   -d S       run for S seconds (0: until SIGINT/SIGTERM) (10)
 *   -n N       blocking reader threads (1)
 *   -N N       non-blocking reader threads (0)
 *   -F BYTES   FIFO size, a power of two (4096)
 *   -w KIND    bottom-half workqueue: unbound (own, WQ_UNBOUND, as the
 *              original), bound, highpri, ordered, system (unbound)
 *   -c CPU     pin the irq thread to CPU
 *   -t         per-stage trace: latencies at exit
 *   -v         print each byte's path (top -> bottom -> reader); implies -t
 *   -o         readers copy the stream to stdout (as cat /dev/simrupt)
 *   -p PATH    export the stream through a named pipe at PATH
 *   -s PATH    export the stream through a UNIX stream socket at PATH
 *   -C PATH    client mode (see above)
 *   -h, --help     print the usage and exit
 *   -V, --version  print the version and exit
 *
 * Every number is checked whole and in range; a bad one, or an unknown
 * option, is a usage error: a message naming it, and exit status 2.
 *
 * The exit status is 0 when the counters balance (and, with -C, when the
 * stream has no gap).
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "simrupt.h"
#include "../../tools/parse_num.h"

#include <cmwq/version.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static struct simrupt *dev;
static atomic_int quit;		/* SIGINT/SIGTERM or end of run */
static bool to_stdout;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* Gap detection: every byte should follow the previous one in the cycle. */
struct checker {
	int prev;			/* -1: none yet */
	unsigned long long bytes, gaps, missing;
};

static void check_bytes(struct checker *c, const unsigned char *buf,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] < ' ' || buf[i] > '~') {
			c->gaps++;
			c->prev = -1;
			continue;
		}
		if (c->prev >= 0) {
			int want = c->prev == '~' ? ' ' : c->prev + 1;

			if (buf[i] != want) {
				c->gaps++;
				c->missing += (unsigned int)(buf[i] - want +
							     95) % 95;
			}
		}
		c->prev = buf[i];
	}
	c->bytes += n;
}

struct reader {
	pthread_t thread;
	bool nonblock;
	struct checker ck;
	unsigned long long jumps; /* reads not adjacent to our last one */
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	unsigned char buf[1024];
	unsigned int pos, next = 0;
	ssize_t n;

	r->ck.prev = -1;
	for (;;) {
		n = simrupt_read_pos(dev, buf, sizeof(buf),
				     r->nonblock ? SIMRUPT_NONBLOCK : 0, &pos);
		if (n == 0)
			break;
		if (n == -EAGAIN) {
			usleep(500);
			continue;
		}
		/* Another reader took the bytes between: not a gap. */
		if (r->ck.bytes && pos != next) {
			r->jumps++;
			r->ck.prev = -1;
		}
		next = pos + (unsigned int)n;
		check_bytes(&r->ck, buf, (size_t)n);
		if (to_stdout) {
			pthread_mutex_lock(&out_lock);
			fwrite(buf, 1, (size_t)n, stdout);
			fflush(stdout);
			pthread_mutex_unlock(&out_lock);
		}
	}
	return NULL;
}

/* Write all of @buf; false when the peer went away. */
static bool write_all(int fd, const unsigned char *buf, size_t n, bool sock)
{
	while (n) {
		ssize_t w = sock ? send(fd, buf, n, MSG_NOSIGNAL) :
				   write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		n -= (size_t)w;
	}
	return true;
}

/* Copy the stream to @fd until end of stream or the peer leaves. */
static void pump(int fd, bool sock)
{
	unsigned char buf[1024];
	ssize_t n;

	while ((n = simrupt_read(dev, buf, sizeof(buf), 0)) > 0) {
		if (!write_all(fd, buf, (size_t)n, sock))
			break;
	}
}

/* Named pipe: a writer per opener, as the device had one per open(). */
static void *pipe_main(void *arg)
{
	const char *path = arg;

	if (mkfifo(path, 0600) != 0 && errno != EEXIST) {
		perror("simrupt: mkfifo");
		return NULL;
	}
	while (!atomic_load(&quit)) {
		/* O_NONBLOCK: ENXIO until a reader opens the other end. */
		int fd = open(path, O_WRONLY | O_NONBLOCK);

		if (fd < 0) {
			usleep(20000);
			continue;
		}
		fcntl(fd, F_SETFL, 0);
		pump(fd, false);
		close(fd);
	}
	return NULL;
}

static atomic_int nr_conns;	/* socket clients still pumping */

static void *client_conn_main(void *arg)
{
	int fd = (int)(long)arg;

	pump(fd, true);
	close(fd);
	atomic_fetch_sub(&nr_conns, 1);
	return NULL;
}

/* UNIX socket: each client gets a reader; clients share the stream. */
static void *socket_main(void *arg)
{
	const char *path = arg;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
	unlink(path);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 8) != 0) {
		perror("simrupt: socket");
		return NULL;
	}
	while (!atomic_load(&quit)) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		pthread_t t;
		int fd;

		if (poll(&p, 1, 100) <= 0)
			continue;
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		atomic_fetch_add(&nr_conns, 1);
		if (pthread_create(&t, NULL, client_conn_main,
				   (void *)(long)fd) != 0) {
			atomic_fetch_sub(&nr_conns, 1);
			close(fd);
			continue;
		}
		pthread_detach(t);
	}
	close(lfd);
	unlink(path);
	return NULL;
}

/* -C: read another process's stream and check it. */
static int client(const char *path, unsigned int seconds)
{
	struct checker ck = { .prev = -1 };
	unsigned char buf[4096];
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(path, &st) != 0) {
		perror(path);
		return 2;
	}
	if (S_ISFIFO(st.st_mode)) {
		fd = open(path, O_RDONLY);
	} else {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd >= 0 &&
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		perror(path);
		return 2;
	}
	if (seconds)
		alarm(seconds);
	while (!atomic_load(&quit) && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		check_bytes(&ck, buf, (size_t)n);
		if (to_stdout)
			fwrite(buf, 1, (size_t)n, stdout);
	}
	close(fd);
	printf("simrupt client: %llu bytes, %llu gaps (%llu bytes missing "
	       "mod 95)\n",
	       ck.bytes, ck.gaps, ck.missing);
	return ck.gaps || !ck.bytes ? 1 : 0;
}

static void on_quit(int sig)
{
	(void)sig;
	atomic_store(&quit, 1);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: simrupt [-r hz] [-d s] [-n readers] [-N nonblock] "
		"[-F fifo] [-w unbound|bound|highpri|ordered|system]\n"
		"               [-c cpu] [-t] [-v] [-o] [-p fifo] [-s sock]\n"
		"       simrupt -C path [-d s] [-o]\n"
		"  -r HZ     interrupt rate, 1 to %u (10)\n"
		"  -d S      run for S seconds, 0: until SIGINT/SIGTERM (10)\n"
		"  -n N      blocking reader threads (1)\n"
		"  -N N      non-blocking reader threads (0)\n"
		"  -F BYTES  FIFO size, a power of two from 2 to 2^30 (4096)\n"
		"  -w KIND   bottom-half workqueue (unbound)\n"
		"  -c CPU    pin the irq thread to CPU\n"
		"  -t        per-stage latencies at exit\n"
		"  -v        each byte's path on stderr (implies -t)\n"
		"  -o        readers copy the stream to stdout\n"
		"  -p PATH   export the stream through a named pipe\n"
		"  -s PATH   export the stream through a UNIX stream socket\n"
		"  -C PATH   read another simrupt's stream and check it\n"
		"  -h, --help     print this and exit\n"
		"  -V, --version  print the version and exit\n"
		"Exit status: 0 when the counters balance (and, with -C, the "
		"stream has no\n"
		"gap), 1 when they do not, 2 on a usage error or when the "
		"device cannot start.\n",
		SIMRUPT_MAX_RATE);
}

static void usage_error(void)
{
	fprintf(stderr, "Try 'simrupt --help'.\n");
	exit(2);
}

/* A number option of simrupt: a usage error unless whole and in range. */
static unsigned int opt_uint(char opt, const char *arg, unsigned int min,
			     unsigned int max)
{
	char name[3] = { '-', opt, '\0' };
	unsigned int val;

	if (parse_uint("simrupt", name, arg, min, max, &val))
		usage_error();
	return val;
}

int main(int argc, char **argv)
{
	struct simrupt_config cfg = { .irq_cpu = -1 };
	struct reader *readers;
	struct simrupt_stats st;
	struct sigaction sa = { .sa_handler = on_quit };
	unsigned int seconds = 10, nr = 1, nr_nb = 0, i;
	const char *pipe_path = NULL, *sock_path = NULL, *client_path = NULL;
	const char *kind = "unbound";
	pthread_t pipe_t, sock_t;
	struct workqueue_struct *wq = NULL;
	unsigned long long gaps = 0, delivered = 0;
	int opt, err;

	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "r:d:n:N:F:w:c:tvop:s:C:hV",
				  opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			cfg.rate_hz =
				opt_uint('r', optarg, 1, SIMRUPT_MAX_RATE);
			break;
		case 'd': seconds = opt_uint('d', optarg, 0, 1000000); break;
		case 'n': nr = opt_uint('n', optarg, 0, 1024); break;
		case 'N': nr_nb = opt_uint('N', optarg, 0, 1024); break;
		case 'F':
			cfg.fifo_size = opt_uint('F', optarg, 2, 1u << 30);
			if (cfg.fifo_size & (cfg.fifo_size - 1)) {
				fprintf(stderr, "simrupt: -F: '%s' is not a "
						"power of two\n",
					optarg);
				usage_error();
			}
			break;
		case 'w': kind = optarg; break;
		case 'c':
			cfg.irq_cpu = (int)opt_uint('c', optarg, 0,
						    CPU_SETSIZE - 1);
			break;
		case 't': cfg.trace = true; break;
		case 'v': cfg.trace = true; cfg.trace_out = stderr; break;
		case 'o': to_stdout = true; break;
		case 'p': pipe_path = optarg; break;
		case 's': sock_path = optarg; break;
		case 'C': client_path = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("simrupt (cmwq) %s\n", CMWQ_VERSION_STRING);
			return 0;
		default: usage_error();
		}
	}
	if (optind < argc) {
		fprintf(stderr, "simrupt: '%s': no operands are taken\n",
			argv[optind]);
		usage_error();
	}
	if (strcmp(kind, "unbound") && strcmp(kind, "bound") &&
	    strcmp(kind, "highpri") && strcmp(kind, "ordered") &&
	    strcmp(kind, "system")) {
		fprintf(stderr, "simrupt: -w: '%s' is not one of unbound, "
				"bound, highpri, ordered, system\n",
			kind);
		usage_error();
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (client_path)
		return client(client_path, seconds);

	if (!strcmp(kind, "bound"))
		wq = alloc_workqueue("simruptd", 0, 0);
	else if (!strcmp(kind, "highpri"))
		wq = alloc_workqueue("simruptd", WQ_HIGHPRI, 0);
	else if (!strcmp(kind, "ordered"))
		wq = alloc_ordered_workqueue("simruptd", 0);
	else if (!strcmp(kind, "system"))
		cfg.wq = system_unbound_wq;
	if (wq)
		cfg.wq = wq;
	dev = simrupt_create(&cfg);
	if (!dev) {
		perror("simrupt");
		return 2;
	}
	readers = calloc(nr + nr_nb + 1, sizeof(*readers));
	for (i = 0; i < nr + nr_nb; i++) {
		readers[i].nonblock = i >= nr;
		pthread_create(&readers[i].thread, NULL, reader_main,
			       &readers[i]);
	}
	if (pipe_path)
		pthread_create(&pipe_t, NULL, pipe_main, (void *)pipe_path);
	if (sock_path)
		pthread_create(&sock_t, NULL, socket_main, (void *)sock_path);
	err = simrupt_start(dev);
	if (err) {
		fprintf(stderr, "simrupt: start: %s\n", strerror(-err));
		return 2;
	}
	if (seconds)
		alarm(seconds);
	/* Signals may land on any thread: poll the flag. */
	while (!atomic_load(&quit))
		usleep(20000);
	simrupt_stop(dev);
	for (i = 0; i < nr + nr_nb; i++) {
		pthread_join(readers[i].thread, NULL);
		gaps += readers[i].ck.gaps;
		delivered += readers[i].ck.bytes;
	}
	if (pipe_path)
		pthread_join(pipe_t, NULL);
	if (sock_path)
		pthread_join(sock_t, NULL);
	/* The stream has ended: the clients' pumps return soon. */
	while (atomic_load(&nr_conns))
		usleep(1000);
	if (to_stdout)
		putchar('\n');
	simrupt_report(dev, stderr);
	simrupt_get_stats(dev, &st);
	fprintf(stderr,
		"simrupt: %u reader threads got %llu bytes, %llu gaps seen "
		"in their own runs\n",
		nr + nr_nb, delivered, gaps);
	simrupt_destroy(dev);
	if (wq)
		destroy_workqueue(wq);
	free(readers);
	return st.produced == st.dropped + st.overwritten + st.delivered +
				      st.in_ring + st.in_fifo ?
		       0 :
		       1;
}
