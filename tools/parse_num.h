/* SPDX-License-Identifier: MIT */
/*
 * parse_num.h - strict parsing of the numbers given on a command line
 *
 * Shared by cmwq-top, cmwq-dump, cmwq-demo and simrupt.  A number is taken
 * only when the whole argument is one: "abc", "12abc", "", " 5", "-5" for
 * an unsigned option, values past the range and overflow are refused with
 * a message that names the program, the option and the argument:
 *
 *	cmwq-top: -i: 'abc' is not a number of seconds
 *	simrupt: -r: '0' is out of range (1 to 100000)
 *
 * The callers exit with status 2 (a usage error) when these return -1.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_PARSE_NUM_H
#define CMWQ_PARSE_NUM_H

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/**
 * parse_ulong() - a whole number from @min to @max, nothing else
 * @prog: program name for the message
 * @opt: option name for the message ("-n", "--seconds", "PID")
 * @arg: the text to parse
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, set only on success
 *
 * Decimal digits only: no sign, no leading blank, no trailing text.
 *
 * Return: 0, or -1 after a message on stderr.
 */
static inline int parse_ulong(const char *prog, const char *opt,
			      const char *arg, unsigned long min,
			      unsigned long max, unsigned long *out)
{
	unsigned long val;
	char *end;

	if (!arg || !isdigit((unsigned char)arg[0])) {
		fprintf(stderr, "%s: %s: '%s' is not a whole number\n", prog,
			opt, arg ? arg : "");
		return -1;
	}
	errno = 0;
	val = strtoul(arg, &end, 10);
	if (*end) {
		fprintf(stderr, "%s: %s: '%s' is not a whole number\n", prog,
			opt, arg);
		return -1;
	}
	if (errno == ERANGE || val < min || val > max) {
		fprintf(stderr, "%s: %s: '%s' is out of range (%lu to %lu)\n",
			prog, opt, arg, min, max);
		return -1;
	}
	*out = val;
	return 0;
}

/**
 * parse_uint() - parse_ulong() into an unsigned int
 * @prog: program name for the message
 * @opt: option name for the message
 * @arg: the text to parse
 * @min: smallest value accepted
 * @max: largest value accepted (at most UINT_MAX)
 * @out: the value, set only on success
 *
 * Return: 0, or -1 after a message on stderr.
 */
static inline int parse_uint(const char *prog, const char *opt,
			     const char *arg, unsigned int min,
			     unsigned int max, unsigned int *out)
{
	unsigned long val;

	if (parse_ulong(prog, opt, arg, min, max, &val))
		return -1;
	*out = (unsigned int)val;
	return 0;
}

/**
 * parse_seconds() - a duration in seconds, fractions allowed
 * @prog: program name for the message
 * @opt: option name for the message
 * @arg: the text to parse: digits, at most one '.', more digits
 * @min: smallest value accepted (exclusive when @min_exclusive)
 * @min_exclusive: refuse @min itself (an interval of 0 s)
 * @max: largest value accepted
 * @out: the value, set only on success
 *
 * Plain decimal notation only: no sign, exponent, hex, "inf" or "nan".
 *
 * Return: 0, or -1 after a message on stderr.
 */
static inline int parse_seconds(const char *prog, const char *opt,
				const char *arg, double min, int min_exclusive,
				double max, double *out)
{
	const char *p = arg;
	int digits = 0, dots = 0;
	double val;
	char *end;

	for (; p && *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '.' && !dots)
			dots++;
		else
			break;
	}
	if (!p || *p || !digits) {
		fprintf(stderr, "%s: %s: '%s' is not a number of seconds\n",
			prog, opt, arg ? arg : "");
		return -1;
	}
	errno = 0;
	val = strtod(arg, &end);
	if (*end || errno == ERANGE || !isfinite(val) || val < min ||
	    (min_exclusive && val == min) || val > max) {
		fprintf(stderr,
			"%s: %s: '%s' is out of range (%s%g to %g seconds)\n",
			prog, opt, arg, min_exclusive ? "more than " : "", min,
			max);
		return -1;
	}
	*out = val;
	return 0;
}

#endif /* CMWQ_PARSE_NUM_H */
