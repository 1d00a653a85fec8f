// SPDX-License-Identifier: MIT
/*
 * elf_sym.c - the name of a function from an ELF file's symbol tables
 *
 * Every offset, count and string of the file is checked against its size:
 * the tools read other processes' files with it.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#include "elf_sym.h"

#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Does [@off, @off + @len) lie within @size bytes?  No overflow. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

bool cmwq_elf_find_func(const char *map, uint64_t size, uint64_t off,
			uint64_t addr, char *out, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)map;
	const Elf64_Shdr *sh;
	uint64_t target;
	int i, pass;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(*sh) ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(*sh), size))
		return false;
	/* A position-independent object: symbol values are offsets. */
	target = eh->e_type == ET_DYN ? off : addr;
	sh = (const Elf64_Shdr *)(map + eh->e_shoff);
	/* .symtab first (static functions too), then .dynsym. */
	for (pass = 0; pass < 2; pass++) {
		uint32_t want = pass ? SHT_DYNSYM : SHT_SYMTAB;

		for (i = 0; i < eh->e_shnum; i++) {
			const Elf64_Shdr *strs;
			const Elf64_Sym *sym;
			const char *str;
			uint64_t n, k, room;

			if (sh[i].sh_type != want ||
			    sh[i].sh_link >= eh->e_shnum ||
			    !in_file(sh[i].sh_offset, sh[i].sh_size, size))
				continue;
			strs = &sh[sh[i].sh_link];
			if (!in_file(strs->sh_offset, strs->sh_size, size))
				continue;
			sym = (const Elf64_Sym *)(map + sh[i].sh_offset);
			str = map + strs->sh_offset;
			n = sh[i].sh_size / sizeof(*sym);
			for (k = 0; k < n; k++) {
				uint64_t end = sym[k].st_size ? sym[k].st_size :
								1;

				if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC ||
				    target < sym[k].st_value ||
				    target - sym[k].st_value >= end ||
				    sym[k].st_name >= strs->sh_size)
					continue;
				/* Names need not end inside the table. */
				room = strs->sh_size - sym[k].st_name;
				if (room > len - 1)
					room = len - 1;
				room = strnlen(str + sym[k].st_name, room);
				memcpy(out, str + sym[k].st_name, room);
				out[room] = '\0';
				return true;
			}
		}
	}
	return false;
}

const char *cmwq_elf_map_fd(int fd, unsigned long ino, uint64_t *size)
{
	struct stat st;
	void *map;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (ino && (unsigned long)st.st_ino != ino) || st.st_size < 64 ||
	    (unsigned long long)st.st_size > (1ull << 32)) {
		close(fd);
		return NULL;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return NULL;
	*size = (uint64_t)st.st_size;
	return map;
}

bool cmwq_elf_file_func(const char *path, uint64_t off, uint64_t addr,
			char *out, size_t len)
{
	const char *map;
	uint64_t size;
	bool found;

	if (!path || !len)
		return false;
	map = cmwq_elf_map_fd(open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
						 O_CLOEXEC),
			      0, &size);
	if (!map)
		return false;
	found = cmwq_elf_find_func(map, size, off, addr, out, len);
	munmap((void *)map, (size_t)size);
	return found;
}
