/* SPDX-License-Identifier: MIT */
/*
 * cmwq/cpu.h - CPU numbers
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_CPU_H
#define CMWQ_CPU_H

#include <cmwq/compiler.h>

CMWQ_BEGIN_DECLS

/** cmwq_nr_cpus - number of CPU slots (highest usable CPU number + 1) */
CMWQ_API int cmwq_nr_cpus(void);

/** cmwq_cpu_possible - may this process run on @cpu? */
CMWQ_API bool cmwq_cpu_possible(int cpu);

/** cmwq_current_cpu - the CPU the caller runs on now; signal-safe */
CMWQ_API int cmwq_current_cpu(void);

#ifndef CMWQ_NO_KERNEL_NAMES
#define num_possible_cpus() cmwq_nr_cpus()
#define num_online_cpus() cmwq_nr_cpus()
#define smp_processor_id() cmwq_current_cpu()
#define raw_smp_processor_id() cmwq_current_cpu()
#endif

CMWQ_END_DECLS

#endif /* CMWQ_CPU_H */
