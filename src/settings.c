// SPDX-License-Identifier: MIT
/*
 * settings.c - reading the CMWQ_* environment settings, strictly
 *
 * Every setting the library takes from the environment is read here: a
 * value that is not exactly what the setting expects (a sign, a blank, a
 * fraction, trailing text, a number out of range) gets a diagnostic that
 * names the variable and its value, and the caller keeps its default.  An
 * empty value is the same as an unset one.
 *
 * A low layer: uses only libc and the platform's diagnostics, so any file
 * may call it, during start-up too.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *cmwq_setting(const char *name)
{
	const char *s = getenv(name);

	return s && *s ? s : NULL;
}

void cmwq_setting_invalid(const char *name, const char *value,
			  const char *expected, const char *dflt)
{
	cmwq_warn("%s=%s is not valid: expected %s; using the default (%s)",
		  name, value, expected, dflt);
}

bool cmwq_parse_uint(const char *s, unsigned long long min,
		     unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		unsigned int digit = (unsigned int)(*s - '0');

		if (digit > 9)
			return false; /* a sign, a blank, a dot, a letter */
		if (v > (~0ull - digit) / 10)
			return false; /* overflows */
		v = v * 10 + digit;
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool cmwq_setting_uint(const char *name, unsigned long long min,
		       unsigned long long max, const char *expected,
		       const char *dflt, unsigned long long *out)
{
	const char *s = cmwq_setting(name);

	if (!s)
		return false;
	if (cmwq_parse_uint(s, min, max, out))
		return true;
	cmwq_setting_invalid(name, s, expected, dflt);
	return false;
}

bool cmwq_setting_bool(const char *name, const char *dflt, bool *out)
{
	const char *s = cmwq_setting(name);

	if (!s)
		return false;
	if (!strcmp(s, "0") || !strcmp(s, "1")) {
		*out = s[0] == '1';
		return true;
	}
	cmwq_setting_invalid(name, s, "0 or 1", dflt);
	return false;
}

int cmwq_setting_choice(const char *name, const char *const *choices,
			int nr_choices, const char *expected, const char *dflt)
{
	const char *s = cmwq_setting(name);
	int i;

	if (!s)
		return -1;
	for (i = 0; i < nr_choices; i++)
		if (!strcmp(s, choices[i]))
			return i;
	cmwq_setting_invalid(name, s, expected, dflt);
	return -1;
}
