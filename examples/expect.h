/* SPDX-License-Identifier: MIT */
/*
 * examples/expect.h - what every example checks its observations with
 *
 * Unlike assert(), EXPECT is never compiled out: the examples are also
 * tests, and exit non-zero when the behaviour they show did not hold.
 */
#ifndef CMWQ_EXAMPLES_EXPECT_H
#define CMWQ_EXAMPLES_EXPECT_H

#include <stdio.h>
#include <stdlib.h>

#define EXPECT(cond)                                                       \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: expectation failed: %s\n", \
				__FILE__, __LINE__, #cond);                \
			exit(EXIT_FAILURE);                                \
		}                                                          \
	} while (0)

#endif /* CMWQ_EXAMPLES_EXPECT_H */
