/* SPDX-License-Identifier: MIT */
/*
 * cmwq/compiler.h - basic types and helpers shared by the public headers
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_COMPILER_H
#define CMWQ_COMPILER_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
#define CMWQ_BEGIN_DECLS extern "C" {
#define CMWQ_END_DECLS }
#else
#define CMWQ_BEGIN_DECLS
#define CMWQ_END_DECLS
#endif

/* Symbols of the public API are exported; everything else is hidden. */
#define CMWQ_API __attribute__((visibility("default")))

#define CMWQ_PRINTF(fmt_idx, arg_idx) \
	__attribute__((format(printf, fmt_idx, arg_idx)))

#ifndef container_of
/**
 * container_of - cast a member of a structure out to the containing structure
 * @ptr: the pointer to the member
 * @type: the type of the container struct this is embedded in
 * @member: the name of the member within the struct
 */
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))
#endif

#ifndef CMWQ_NO_LIST_HEAD
/*
 * The kernel's doubly linked list node.  struct work_struct embeds one, so
 * kernel-style code finds the type it expects.  A program that already has
 * its own struct list_head (with next and prev, in that order) defines
 * CMWQ_NO_LIST_HEAD before including cmwq.
 */
struct list_head {
	struct list_head *next, *prev;
};
#endif

#endif /* CMWQ_COMPILER_H */
