/* SPDX-License-Identifier: MIT */
/*
 * elf_sym.h - the name of a function from an ELF file's symbol tables
 *
 * Shared by the library (the watchdog and the misuse diagnostics name a
 * static function of a program linked without -rdynamic) and the tools
 * (cmwq-dump names a target's functions); it calls nothing of either.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_ELF_SYM_H
#define CMWQ_ELF_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * cmwq_elf_find_func - the function symbol that covers an address
 * @map: the whole ELF file, mapped (untrusted: every offset is checked)
 * @size: its size
 * @off: the address as an offset from the object's load base (used for a
 *	position-independent object, ET_DYN)
 * @addr: the address itself (used for ET_EXEC)
 * @out: receives the name, NUL-terminated, cut to @len - 1 bytes
 * @len: size of @out, at least 1
 *
 * .symtab first (static functions too), then .dynsym.
 *
 * Return: true when a symbol was found.
 */
bool cmwq_elf_find_func(const char *map, uint64_t size, uint64_t off,
			uint64_t addr, char *out, size_t len);

/**
 * cmwq_elf_map_fd - map the ELF file open on @fd, read-only, and close @fd
 * @fd: the open file (-1 fails at once)
 * @ino: the inode it must have, or 0 for any
 * @size: receives its size
 *
 * Only a regular file of 64 bytes to 4 GiB is mapped.
 *
 * Return: the mapping (munmap() it, @size bytes), or NULL.
 */
const char *cmwq_elf_map_fd(int fd, unsigned long ino, uint64_t *size);

/**
 * cmwq_elf_file_func - the same, from the file at @path
 * @path: the ELF file (opened read-only, a regular file only)
 * @off, @addr, @out, @len: as for cmwq_elf_find_func()
 *
 * For the library's own process, whose files do not change under it; a
 * tool reading another process's files must guard against SIGBUS itself.
 */
bool cmwq_elf_file_func(const char *path, uint64_t off, uint64_t addr,
			char *out, size_t len);

#endif /* CMWQ_ELF_SYM_H */
