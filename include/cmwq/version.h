/* SPDX-License-Identifier: MIT */
/*
 * cmwq/version.h - the library's version, at compile time and at run time
 *
 * The numbers follow semantic versioning: a new MAJOR breaks the ABI (and
 * bumps the soname), a new MINOR adds to it, a new PATCH fixes without
 * changing it.  docs/abi.md states the policy.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_VERSION_H
#define CMWQ_VERSION_H

#include <cmwq/compiler.h>

/* The version of the headers a program is compiled against. */
#define CMWQ_VERSION_MAJOR 0
#define CMWQ_VERSION_MINOR 2
#define CMWQ_VERSION_PATCH 0
#define CMWQ_VERSION_STRING "0.2.0"

/* One number that compares in version order: 0x00MMmmpp. */
#define CMWQ_VERSION_NUMBER(major, minor, patch) \
	(((major) << 16) | ((minor) << 8) | (patch))
#define CMWQ_VERSION                                                \
	CMWQ_VERSION_NUMBER(CMWQ_VERSION_MAJOR, CMWQ_VERSION_MINOR, \
			    CMWQ_VERSION_PATCH)

CMWQ_BEGIN_DECLS

/**
 * cmwq_version() - the version of the library a program runs with
 *
 * Return: the library's CMWQ_VERSION, which may be newer than the headers
 * the program was compiled against (never older than what its symbols need:
 * the dynamic linker checks the symbol versions).
 */
CMWQ_API unsigned int cmwq_version(void);

/**
 * cmwq_version_string() - the library's version as text, e.g. "0.2.0"
 *
 * Return: a static, NUL-terminated string.
 */
CMWQ_API const char *cmwq_version_string(void);

/**
 * cmwq_check_version() - whether the library is at least a given version
 * @major: the major version the caller needs
 * @minor: the minor version the caller needs
 * @patch: the patch level the caller needs
 *
 * Return: true when the running library has the same major version and is
 * at least @major.@minor.@patch.
 */
CMWQ_API bool cmwq_check_version(unsigned int major, unsigned int minor,
				 unsigned int patch);

CMWQ_END_DECLS

#endif /* CMWQ_VERSION_H */
