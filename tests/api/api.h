/* SPDX-License-Identifier: MIT */
/*
 * api.h - what the API tests share: a check, at compile time, that a
 * kernel name has the kernel's prototype.
 */
#ifndef CMWQ_TEST_API_H
#define CMWQ_TEST_API_H

/* @fn, taken as a function pointer, has type @type. */
#define SAME_TYPE(fn, type)                                                \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&(fn)), type), \
		       #fn " has the kernel's prototype")

#endif /* CMWQ_TEST_API_H */
