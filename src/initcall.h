/* SPDX-License-Identifier: MIT */
/*
 * initcall.h - start-up steps, each registered by the file it belongs to
 *
 * As the kernel's initcalls: a file that must do something at start-up
 * says so beside its own code, cmwq_initcall(level, fn), and init.c runs
 * every registered step, level by level, without naming any of them (so
 * the start-up calls no file above it).  The order between two steps of
 * one level is not defined: a step depends only on lower levels.
 *
 * The steps live in the section "cmwq_initcalls" as pointers; the linker
 * provides __start_cmwq_initcalls and __stop_cmwq_initcalls around it.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_INITCALL_H
#define CMWQ_INITCALL_H

enum initcall_level {
	INIT_CPUS,	 /* the CPU slots, tables sized by nothing else */
	INIT_SETTINGS,	 /* the environment, the topology, debug modes */
	INIT_SERVICES,	 /* detection, fork handlers, watchdog, manager */
	INIT_POOLS,	 /* the per-CPU and BH pools */
	INIT_WORKQUEUES, /* the system workqueues */
	NR_INIT_LEVELS
};

struct cmwq_initcall {
	enum initcall_level level;
	/* 0, or -errno: start-up cannot go on (init.c aborts, naming it) */
	int (*fn)(void);
	const char *name;
};

/*
 * "retain" (SHF_GNU_RETAIN) keeps the section through a program's
 * --gc-sections link of libcmwq.a even where the linker does not keep a
 * section for its __start_ reference alone (lld's -z start-stop-gc).
 */
#if defined(__has_attribute)
#if __has_attribute(retain)
#define CMWQ_INITCALL_RETAIN __attribute__((retain))
#endif
#endif
#ifndef CMWQ_INITCALL_RETAIN
#define CMWQ_INITCALL_RETAIN
#endif

#define cmwq_initcall(lvl, func)                                          \
	static const struct cmwq_initcall cmwq_initcall_##func = {        \
		.level = (lvl), .fn = (func), .name = #func               \
	};                                                                \
	static const struct cmwq_initcall *const cmwq_initcall_p_##func   \
		__attribute__((used, section("cmwq_initcalls")))          \
		CMWQ_INITCALL_RETAIN = &cmwq_initcall_##func

#endif /* CMWQ_INITCALL_H */
