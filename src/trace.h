/* SPDX-License-Identifier: MIT */
/*
 * trace.h - tracepoints with the kernel's names, as USDT probes
 *
 * Each probe is a single nop in the code until a tracer (bpftrace, perf
 * probe, systemtap) attaches to it; the arguments are then read from
 * registers.  Async-signal-safe.  Without sys/sdt.h they compile to
 * nothing.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_TRACE_H
#define CMWQ_TRACE_H

#ifdef CMWQ_HAVE_SDT
#include <sys/sdt.h>
/* workqueue_queue_work: work, function, workqueue name, req_cpu, cpu */
#define trace_workqueue_queue_work(work, func, wqname, req_cpu, cpu)           \
	DTRACE_PROBE5(cmwq, workqueue_queue_work, work, func, wqname, req_cpu, \
		      cpu)
/* workqueue_activate_work: work, function */
#define trace_workqueue_activate_work(work, func) \
	DTRACE_PROBE2(cmwq, workqueue_activate_work, work, func)
/* workqueue_execute_start: work, function */
#define trace_workqueue_execute_start(work, func) \
	DTRACE_PROBE2(cmwq, workqueue_execute_start, work, func)
/* workqueue_execute_end: work, function */
#define trace_workqueue_execute_end(work, func) \
	DTRACE_PROBE2(cmwq, workqueue_execute_end, work, func)
#else
/*
 * No probes: the arguments are only named (sizeof evaluates nothing), so a
 * variable kept for a probe is not an unused one.
 */
#define trace_workqueue_queue_work(work, func, wqname, req_cpu, cpu)     \
	do {                                                             \
		(void)sizeof(work), (void)sizeof(func), (void)sizeof(wqname), \
			(void)sizeof(req_cpu), (void)sizeof(cpu);        \
	} while (0)
#define trace_workqueue_activate_work(work, func)        \
	do {                                             \
		(void)sizeof(work), (void)sizeof(func); \
	} while (0)
#define trace_workqueue_execute_start(work, func)        \
	do {                                             \
		(void)sizeof(work), (void)sizeof(func); \
	} while (0)
#define trace_workqueue_execute_end(work, func)          \
	do {                                             \
		(void)sizeof(work), (void)sizeof(func); \
	} while (0)
#endif

#endif /* CMWQ_TRACE_H */
