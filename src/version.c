// SPDX-License-Identifier: MIT
/*
 * version.c - the library's version at run time
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include <cmwq/version.h>

unsigned int cmwq_version(void)
{
	return CMWQ_VERSION;
}

const char *cmwq_version_string(void)
{
	return CMWQ_VERSION_STRING;
}

bool cmwq_check_version(unsigned int major, unsigned int minor,
			unsigned int patch)
{
	if (major != CMWQ_VERSION_MAJOR)
		return false;
	return CMWQ_VERSION >= CMWQ_VERSION_NUMBER(major, minor, patch);
}
