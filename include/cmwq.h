/* SPDX-License-Identifier: MIT */
/*
 * cmwq.h - Concurrency Managed Workqueues for user space
 *
 * The umbrella header: includes every concept header.
 *
 * Copyright (c) 2026 The cmwq developers
 */
#ifndef CMWQ_H
#define CMWQ_H

#include <cmwq/compiler.h>
#include <cmwq/work.h>
#include <cmwq/workqueue.h>
#include <cmwq/time.h>
#include <cmwq/timer.h>
#include <cmwq/delayed.h>
#include <cmwq/rcu.h>
#include <cmwq/completion.h>
#include <cmwq/concurrency.h>
#include <cmwq/cpu.h>
#include <cmwq/stats.h>
#include <cmwq/fault.h>
#include <cmwq/version.h>

#endif /* CMWQ_H */
