/* SPDX-License-Identifier: MIT */
/*
 * audit.h - what every API-audit program shares.  The programs in this
 * directory use the API the way kernel code does, one use each, and include
 * nothing of cmwq's but <cmwq.h>: they are built here against the source
 * tree and by scripts/check-install.sh against the installed headers, with
 * only pkg-config's flags.
 *
 * AUDIT_TYPE(fn, type)	 fn, taken as a function pointer, has the kernel's
 *			 prototype @type (checked at compile time).
 * AUDIT_CHECK(cond)	 at run time: names the file and line and exits 1.
 * audit_begin()	 call first: a hang ends the program (SIGALRM) after
 *			 AUDIT_SECONDS, so it fails instead of waiting.
 * A program returns 0 when the use behaves as in the kernel, 77 when it
 * cannot be tried here (and says why on stderr).
 */
#ifndef CMWQ_AUDIT_H
#define CMWQ_AUDIT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define AUDIT_SECONDS 30

#define AUDIT_TYPE(fn, type)                                                \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&(fn)), type), \
		       #fn " has the kernel's prototype")

#define AUDIT_CHECK(cond)                                                   \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: audit failed: %s\n",         \
				__FILE__, __LINE__, #cond);                 \
			exit(1);                                            \
		}                                                           \
	} while (0)

static inline void audit_begin(void)
{
	alarm(AUDIT_SECONDS);
}

#endif /* CMWQ_AUDIT_H */
