/* SPDX-License-Identifier: MIT */
/*
 * wakeup.pml - the queue / idle / wake-up protocol of one worker pool,
 * with the start rule of src/policy.c (in-flight room, starved path,
 * the manager's ramp), checked with spin (tests/torture/run_spin.sh).
 *
 * What is modelled, with where it is in the source (cited by file and
 * function: the lines move):
 *
 *  - queuers: push an item on the lock-free ingress, then
 *    pool_short_of_workers() and pool_kick() if it says so, else
 *    pool_watch() (src/queue.c, cmwq_queue_claimed).  pool_kick
 *    (src/pool.c, pool_kick): exchange kicked; if it was clear, wake_seq++
 *    and futex_wake(1) when a worker is idle, else cmwq_request_worker
 *    (src/wake.c: exchange create_pending, wake the manager when it was
 *    clear);
 *  - workers (src/worker.c, worker_thread and worker_loop): a new worker
 *    takes pool->lock and leaves nr_starting, then loops: clear kicked,
 *    need_more_worker && has_runnable, else sleep; ask the manager for a
 *    worker when none is idle (may_start_working); count as running
 *    (worker_set_running) and in flight (nr_inflight++); pick and process
 *    items while keep_working; nr_inflight--, worker_clr_running.  Going
 *    idle: nr_idle++ (worker_enter_idle), read wake_seq, clear kicked, check
 *    once more, futex_wait(wake_seq, seq), which returns at once when
 *    wake_seq moved; after the wait, exit if reaping is asked and the pool
 *    needs no worker;
 *  - the item's function may block (at most BLOCKS executions in all), in
 *    one of two ways: through the sleeping hook (src/concurrency.c,
 *    worker_cm_sleep: uncount, need_more_worker, pool_kick; worker_cm_wake:
 *    count again), or unseen by the library, found by the monitor
 *    (src/detect.c, monitor_pool, under pool->lock: drain the ingress; a
 *    counted worker with work queued behind it goes to CM_DETECTED,
 *    nr_running--; then workers_to_wake, src/policy.c, and
 *    pool_kick_many, src/pool.c: one kick, or, when it answers more than
 *    one, the kick of several idle workers at once).  A detected worker is counted
 *    again by the monitor (which sees it run again) or by the worker itself
 *    when the item returns (src/worker.c, process_one_work:
 *    worker_recount).  The state of each worker is its cm_state
 *    (src/concurrency.c, worker_cm_transition and worker_clr_running), so
 *    nr_running moves once per transition;
 *  - the manager (src/manager.c, manager_thread): when create_pending is
 *    set: under pool->lock, drain the ingress and count the worklist
 *    (pool_worklist_count); want = workers_to_start() (src/policy.c); clear
 *    create_pending; create `want` workers (src/worker.c,
 *    cmwq_create_worker: nr_workers++, nr_starting++); a creation that
 *    fails first sets create_pending again and is retried, one that fails
 *    later drops the rest.  And reaping (src/manager.c, pool_reap:
 *    nr_to_reap += expired, wake_seq++, futex_wake(all), under the lock);
 *  - another thread that takes pool->lock and drains the ingress, as
 *    flush_work, cancel and flush_workqueue do (src/pool.c,
 *    pool_drain_incoming: exchange the ingress, move the items to the
 *    worklist, then worklist_changed publishes nr_worklist).
 *
 * The predicates are those of src/policy.c, each load one step, in the
 * order the C code makes them:
 *  - pool_has_work: nr_worklist || incoming;
 *  - pool_short_of_workers: false if nr_running >= TARGET; true if
 *    nr_inflight < inflight_target + TARGET; true if starved; false if
 *    nr_running > 0; else inflight_target == TARGET (the rule of an
 *    unbound pool; a bound one answers true there, which only adds
 *    starts; stalled and brief_sleeps: below);
 *  - need_more_worker: pool_has_work && pool_short_of_workers;
 *  - keep_working: pool_has_work && (nr_running <= TARGET ||
 *    nr_inflight <= inflight_target); with BOUND, a bound pool's
 *    pool_has_work && nr_running <= TARGET (property 4), and
 *    pool_short_of_workers answers true where none runs;
 *  - may_start_working: nr_idle > 0;
 *  - workers_to_start (the manager's ramp): the waiting items less the
 *    workers in nr_starting (0 if those cover them); 1 if at most one
 *    waits, a worker is idle or TARGET run; else, within the ramp window
 *    of the last request, twice as many as last time, else 1, at most
 *    as many as wait.
 *
 * What is abstracted, and why:
 *  - time.  Whether a request comes within CREATE_RAMP_WINDOW_NS of the
 *    last one is a nondeterministic choice (never for the first request).
 *    The monitor's findings are nondeterministic: it may find any counted
 *    worker blocked while its item runs (an item blocked without the hook,
 *    or hogging: CM_HOG is CM_DETECTED that only the worker undoes), and
 *    see it run again at any later time.  pool->starved (src/detect.c,
 *    pool_check_starved: set after STARVED_NS with work queued and none
 *    running) is read as a nondeterministic value (a relaxed load of a
 *    flag that may become true at any time as time passes); define
 *    NO_STARVED to read it as 0.  inflight_target (src/detect.c,
 *    estimate_cpu: target_running up to INFLIGHT_MAX_FACTOR times it, for
 *    unbound pools) is read, at each read, as any value from TARGET to
 *    ITMAX (a relaxed load of an estimate the monitor may change at any
 *    time); ITMAX = TARGET is a bound pool.  Values past MAXW behave as
 *    MAXW (no more than MAXW workers are in flight), so ITMAX is at most
 *    MAXW;
 *  - the monitor helps only where it detects a blocked worker; its other
 *    kicks (monitor_pool kicks any watched pool with work queued that is
 *    short of workers) and pool_watch are help that the protocol must not
 *    rely on, and are left out;
 *  - the reaping policy (src/policy.c, too_many_workers: more than two
 *    idle) is abstracted to "some worker is idle, REAPS times in all", so
 *    that a small model reaches it; define EXACT_REAP for the real
 *    predicate (needs MAXW >= 3 to reap at all);
 *  - a thread creation that fails (the resource limit is MAXW workers
 *    alive) is retried when a worker has exited, not every
 *    CREATE_COOLDOWN_NS: the retries in between fail the same way;
 *  - create_ramp is kept up to RAMPCAP = 4 (CREATE_RAMP_MAX is 64):
 *    want is at most the items waiting, at most NQ <= 4, so the larger
 *    values give the same answers; the worklist count's cap,
 *    CREATE_RAMP_MAX, is above NQ;
 *  - not modelled: the two flags of src/detect.c's pool_check_starved()
 *    that pool_short_of_workers() reads first.  stalled (no item finished
 *    for STALLED_NS: true whatever runs) only adds requests for a
 *    worker, where the C code then takes the same steps as for any
 *    request; what the model checks (no item stranded, no lost wake-up)
 *    does not rest on a request not being made.  brief_sleeps (every blocked
 *    item in a first brief timed sleep: false) withholds a start until a
 *    sleeper returns by itself; the model's monitor may keep a worker
 *    found blocked for ever, so reading it as 1 would strand items in
 *    states the C code cannot reach (a brief sleep ends within 50 ms,
 *    and only one per item counts), and it is left out.  Nor is the
 *    hog allowance of src/policy.c (hogs_hold_cpus(): an unbound pool
 *    whose CPUs are all held by items found CPU intensive takes up to
 *    target_running more): like stalled, it only adds requests.  Also the busy
 *    hash (one item never runs twice; the items
 *    here are distinct), max_active, CPU-intensive items, BH pools, the
 *    rescuer, spurious futex wake-ups (they only add wake-ups), the
 *    manager's own futex (the manager is modelled as reacting to
 *    create_pending: a request that finds it clear always wakes it, and a
 *    request that finds it set while the manager is in its pass is lost
 *    as in the C code, between the load and the store of create_pending).
 *
 * Memory model: the engine makes every access of the protocol seq_cst,
 * except the relaxed loads of inflight_target and starved (abstracted as
 * above), so the model is sequentially consistent: each load, store and
 * read-modify-write of a shared variable is one Promela step, and the
 * predicates read their variables one at a time, as the C code does.
 * pool->lock is a lock; the list operations under it are folded into the
 * steps that hold it.  A cm_state transition (a compare-and-swap, then
 * the add to nr_running) is one step: the CAS is seen by the worker and
 * the monitor only, and the monitor holds the lock.
 *
 * Properties:
 *  - safety, checked in every end state (all processes blocked or done):
 *    every queued item ran; nothing is left on the ingress or the
 *    worklist while all workers sleep (no lost wake-up, no item stranded
 *    with an idle pool).  An end state where a process is stuck anywhere
 *    but in futex_wait or the manager's wait is reported by spin as an
 *    invalid end state (deadlock);
 *  - liveness (LTL, checked with weak fairness): once every queuer is
 *    done, every item eventually runs;
 *  - the number of workers: with WBOUND defined, an assertion that no
 *    more than WBOUND workers are alive at once.  Not asserted by
 *    default, because the shipped rule keeps no such bound: with BLOCKS=0
 *    (no item blocks), TARGET=1 and two items, spin finds three workers
 *    alive (-DMAXW=3 -DBLOCKS=0 -DWBOUND=2 -DNDRAIN=0 -DREAPS=0), and four
 *    with MAXW=4 and WBOUND=3: a queuer that found no idle worker asks for
 *    one after the first worker took the work, and workers_to_start
 *    answers 1 for a request with at most one item waiting and none
 *    starting (docs/reliability.md gives the interleaving).
 *
 * Parameters (spin -D...): NQ queuers of one item each (default 2, at most
 * 4), TARGET running workers the pool aims at (default 1: a per-CPU pool),
 * ITMAX the largest inflight_target (default MAXW; TARGET for a bound
 * pool's rule only), REAPS reaping rounds (default 1; 0 leaves reaping
 * out), NDRAIN draining threads (default 1), MAXW workers alive at once
 * (default 3, at most 4; a request past it waits, as a failed creation is
 * retried), BLOCKS item executions that may block, by the hook or seen by
 * the monitor (default NQ: all), WBOUND (not defined by default) the
 * workers-alive bound to assert, NO_STARVED (starved read as 0), BOUND (a
 * bound pool's keep_working and start rule),
 * EXACT_REAP (too_many_workers as src/policy.c has it).
 *
 * Steps that only touch what pool->lock protects and nobody reads without
 * it (the lists, nr_to_reap, nr_workers) or what only the manager reads
 * (nr_starting, create_ramp) or the counters only the properties read
 * (done, queuers_done, blocks) are folded into the neighbouring step: that
 * hides no interleaving another thread could observe.
 */

#ifndef NQ
#define NQ 2
#endif
#ifndef TARGET
#define TARGET 1
#endif
#ifndef REAPS
#define REAPS 1
#endif
#ifndef NDRAIN
#define NDRAIN 1
#endif
#ifndef MAXW
#define MAXW 3	/* workers alive at once: 1..4 */
#endif
#ifndef ITMAX
#define ITMAX MAXW	/* the largest inflight_target: TARGET..MAXW */
#endif
#ifndef BLOCKS
#define BLOCKS NQ	/* item executions that may block */
#endif
#define NITEMS NQ
#define RAMPCAP 4	/* create_ramp values kept: 1, 2, 4 (see above) */

/* cm_state, src/internal.h */
#define CM_UNCOUNTED 0
#define CM_COUNTED 1
#define CM_DETECTED 2

byte incoming;		/* pool->incoming: items pushed, not yet drained */
byte worklist;		/* pool->worklist, under the lock */
bool nr_worklist;	/* pool->nr_worklist: worklist is not empty */
byte nr_running;	/* pool->nr_running */
byte nr_inflight;	/* pool->nr_inflight */
byte nr_idle;		/* pool->nr_idle */
/*
 * pool->wake_seq, the futex word, is kept as what the protocol reads of
 * it: moved[i], whether it moved since worker i read it (a wrap-around of
 * the 32-bit word in between is not modelled).
 */
bool moved[4];
bool kicked;		/* pool->kicked */
bool create_pending;	/* pool->create_pending */
byte nr_dying;		/* pool->nr_dying, under the lock */
bool idle[4];		/* worker i has WORKER_IDLE, under the lock */
bool die[4];		/* worker i has WORKER_DIE, under the lock */
byte nr_starting;	/* pool->nr_starting */
byte create_ramp = 1;	/* pool->create_ramp (manager only) */
bool ramp_seen;		/* pool->create_ramp_at_ns != 0 (manager only) */
bool L;			/* pool->lock */
bool fwait[4];		/* worker i sleeps in futex_wait(&wake_seq) */
bool slot_used[4];
byte alive;		/* pool->nr_workers: workers created, not exited */
byte done;		/* items whose function ran */
byte queuers_done;
byte reaps;
byte blocks;		/* item executions that blocked so far */

inline lock()
{
	atomic { !L -> L = 1 }
}

inline unlock()
{
	L = 0
}

/* wake_seq++ */
inline bump_wake_seq()
{
	atomic {
		moved[0] = 1;
		moved[1] = 1;
		moved[2] = 1;
		moved[3] = 1
	}
}

/* futex_wake(&wake_seq, 1): wake one sleeper, if any. */
inline futex_wake_one()
{
	atomic {
		if
		:: fwait[0] -> fwait[0] = 0
		:: fwait[1] -> fwait[1] = 0
		:: fwait[2] -> fwait[2] = 0
		:: fwait[3] -> fwait[3] = 0
		:: else -> skip
		fi
	}
}

/*
 * futex_wake(&wake_seq, n) for n >= 2, as pool_kick_many wakes: two
 * sleepers, if any (more only adds wake-ups).
 */
inline futex_wake_two()
{
	futex_wake_one();
	futex_wake_one()
}

/* futex_wake(&wake_seq, INT_MAX): wake every sleeper. */
inline futex_wake_all()
{
	atomic {
		fwait[0] = 0;
		fwait[1] = 0;
		fwait[2] = 0;
		fwait[3] = 0
	}
}

/*
 * cmwq_request_worker, src/wake.c: one request at a time; the manager is
 * woken when the flag was clear (the model's manager waits on the flag).
 */
inline request_worker()
{
	create_pending = 1			/* the exchange */
}

/* pool_kick, src/pool.c. */
inline pool_kick()
{
	atomic { k = kicked; kicked = 1 };	/* exchange kicked */
	if
	:: k -> k = 0
	:: else ->
		if
		:: nr_idle > 0 ->		/* the load of nr_idle */
			bump_wake_seq();
			futex_wake_one()
		:: else ->
			request_worker()
		fi
	fi
}

/*
 * pool_kick_many, src/pool.c, for n >= 2 (workers_to_wake, src/policy.c,
 * answered more than one): the load of nr_idle; with more than one idle,
 * kicked stored set whether or not a kick was in flight, wake_seq++, and
 * futex_wake(n); else pool_kick.
 */
inline pool_kick_many()
{
	if
	:: nr_idle > 1 ->
		kicked = 1;
		bump_wake_seq();
		futex_wake_two()
	:: else -> pool_kick()
	fi
}

/*
 * A relaxed load of pool->inflight_target (src/policy.c,
 * pool_short_of_workers and keep_working): any value from TARGET to ITMAX,
 * as the monitor may change it at any time (src/detect.c, estimate_cpu).
 */
inline read_inflight_target(v)
{
	if
	:: v = TARGET
	:: ITMAX >= TARGET + 1 -> v = TARGET + 1
	:: ITMAX >= TARGET + 2 -> v = TARGET + 2
	:: ITMAX >= TARGET + 3 -> v = TARGET + 3
	fi
}

/* pool_has_work, src/policy.c: two seq_cst loads. */
inline pool_has_work(res)
{
	if
	:: nr_worklist -> res = 1
	:: else -> res = (incoming > 0)
	fi
}

/*
 * pool_short_of_workers, src/policy.c: nr_running (kept as r: is it > 0),
 * inflight_target (relaxed), nr_inflight, starved (relaxed), in this
 * order.  The two relaxed loads are nondeterministic choices, folded into
 * the load of nr_inflight.
 */
inline short_of_workers(res)
{
	atomic {
		r = nr_running;
		res = (r < TARGET);		/* else: false */
		r = (res && r > 0)
	};
	if
	:: res ->
		atomic {
			read_inflight_target(it);
			if
			:: nr_inflight < it + TARGET -> res = 1
			:: else ->
				/* starved: src/detect.c, pool_check_starved */
				if
#ifndef NO_STARVED
				:: res = 1	/* read as 1 */
#endif
#ifdef BOUND
				:: res = !r	/* read as 0; a bound pool */
#else
				:: res = (!r && it == TARGET)	/* read as 0 */
#endif
				fi
			fi;
			r = 0;
			it = 0
		}
	:: else -> skip
	fi
}

/* need_more_worker, src/policy.c. */
inline need_more_worker(res)
{
	pool_has_work(res);
	if
	:: res -> short_of_workers(res)
	:: else -> skip
	fi
}

/*
 * keep_working, src/policy.c: with BOUND, a bound pool's rule (the
 * kernel's: nr_running <= TARGET only, property 4).
 */
inline keep_working(res)
{
	pool_has_work(res);
	if
	:: res ->
		if
		:: nr_running <= TARGET -> skip
#ifdef BOUND
		:: else -> res = 0
#else
		:: else ->
			atomic {
				read_inflight_target(it);
				res = (nr_inflight <= it);
				it = 0
			}
#endif
		fi
	:: else -> skip
	fi
}

/*
 * pool_drain_incoming, src/pool.c (lock held): the relaxed load of the
 * ingress, and when it is not empty the exchange with NULL (one step: a
 * push between them is taken by the exchange), the items moved to the
 * worklist, then worklist_changed publishes nr_worklist if it changed.
 */
inline drain_incoming()
{
	if
	:: atomic { incoming > 0 && nr_worklist ->
		worklist = worklist + incoming; incoming = 0 }
	:: atomic { incoming > 0 && !nr_worklist ->
		worklist = worklist + incoming; incoming = 0 };
		nr_worklist = 1			/* worklist_changed */
	:: else -> skip
	fi
}

/*
 * has_runnable, src/worker.c (lock held): drain the ingress; is the
 * worklist empty?  Then the worker at the top of worker_loop goes to
 * sleep:, the one going idle to wait:.
 */
#define HAS_RUNNABLE(empty)						\
	if								\
	:: atomic { incoming > 0 && nr_worklist ->			\
		worklist = worklist + incoming; incoming = 0 }		\
	:: atomic { incoming > 0 && !nr_worklist ->			\
		worklist = worklist + incoming; incoming = 0 };		\
		nr_worklist = 1		/* worklist_changed */		\
	:: incoming == 0 && worklist > 0 -> skip			\
	:: incoming == 0 && worklist == 0 -> goto empty			\
	fi

/*
 * pick_next, src/worker.c (lock held): drain the ingress if the worklist
 * is empty, take the first item, worklist_changed.  Goes to uncount:
 * when there is nothing to take.
 */
inline pick_next()
{
	if
	:: atomic { worklist > 1 -> worklist-- }
	:: atomic { worklist == 1 -> worklist = 0; nr_worklist = 0 }
	:: atomic { worklist == 0 && incoming > 1 ->
		worklist = incoming - 1; incoming = 0 };
		nr_worklist = 1			/* drain: worklist_changed */
	:: atomic { worklist == 0 && incoming == 1 -> incoming = 0 };
		nr_worklist = 1;		/* drain: worklist_changed */
		nr_worklist = 0			/* pick: worklist_changed */
	:: worklist == 0 && incoming == 0 -> goto uncount
	fi
}

/*
 * The item's function (src/worker.c, process_one_work, between the unlock
 * and the lock): it runs, or blocks through the hook, or blocks unseen
 * and the monitor finds it.
 */
inline run_item()
{
	if
	:: /* it runs */
		atomic { !L -> L = 1; done++ }	/* pool_lock */
	:: blocks < BLOCKS ->
		/*
		 * cmwq_worker_sleeping: worker_cm_sleep, src/concurrency.c;
		 * the worker is CM_COUNTED at the start of every item.
		 */
		atomic { blocks++; nr_running-- };
		need_more_worker(res);
		if
		:: res -> res = 0; pool_kick()
		:: else -> skip
		fi;
		/* ... blocked, then cmwq_worker_running: worker_cm_wake */
		nr_running++;
		atomic { !L -> L = 1; done++ }	/* pool_lock */
	:: blocks < BLOCKS ->
		/*
		 * Blocked unseen: the monitor's pass (src/detect.c,
		 * monitor_pool) finds it, CM_COUNTED -> CM_DETECTED.
		 */
		lock();
		drain_incoming();
		if
		:: worklist > 0 ->
			atomic { blocks++; nr_running-- };
			/*
			 * workers_to_wake, src/policy.c (need_more_worker,
			 * then how many: one, or more when more are short
			 * and wait), then pool_kick_many, src/pool.c.
			 */
			need_more_worker(res);
			if
			:: res -> res = 0; pool_kick()
			:: res -> res = 0; pool_kick_many()
			:: else -> skip
			fi;
			unlock();
			if
			:: /* a later pass sees it run (under the lock) */
				atomic { !L -> nr_running++ };
				atomic { !L -> L = 1; done++ }
			:: /* pool_lock, then worker_recount */
				atomic { !L -> L = 1; done++; nr_running++ }
			fi
		:: else ->
			unlock();
			atomic { !L -> L = 1; done++ }
		fi
	fi
}

proctype worker(byte me)
{
	byte r, it;
	bool k, res;

	/* worker_thread, src/worker.c: under the lock, nr_starting-- */
	atomic { !L -> L = 1; nr_starting-- };
loop:
	kicked = 0;				/* worker_loop */
	need_more_worker(res);
	if
	:: !res -> goto sleep
	:: else -> res = 0
	fi;
	HAS_RUNNABLE(sleep);
	if
	:: nr_idle == 0 ->			/* may_start_working */
		request_worker()
	:: else -> skip
	fi;
	nr_running++;				/* worker_set_running */
	nr_inflight++;
	do
	:: /* pick_next, src/worker.c */
		pick_next();
		unlock();			/* process_one_work */
		run_item();			/* ends with the lock held */
		keep_working(res);
		if
		:: !res -> break
		:: else -> res = 0
		fi
	od;
uncount:
	nr_inflight--;
	nr_running--;				/* worker_clr_running */
sleep:
	atomic { nr_idle++; idle[me] = 1 }	/* worker_enter_idle */
	moved[me] = 0;				/* seq = wake_seq */
#ifndef BUG_STALE_KICKED
	/*
	 * The fix spin found necessary (worker_loop, after the read of
	 * wake_seq; the C comment calls it FIX_KICKED): a kick that reached
	 * this worker's wake_seq read is consumed here too, not only at the
	 * top of the loop.  Define BUG_STALE_KICKED to replay the lost
	 * wake-up without it.
	 */
	kicked = 0;
#endif
	need_more_worker(res);
	if
	:: res ->
		res = 0;
		HAS_RUNNABLE(wait);
		atomic { nr_idle--; idle[me] = 0 }	/* worker_leave_idle */
		goto loop
	:: else -> skip
	fi;
wait:
	unlock();
	/* futex_wait(&wake_seq, seq) */
	atomic {
		if
		:: moved[me] -> skip		/* wake_seq != seq */
		:: else -> fwait[me] = 1
		fi
	};
end_sleep:
	!fwait[me];
	lock();
	if
	:: !die[me] ->
		atomic { nr_idle--; idle[me] = 0 }	/* worker_leave_idle */
		goto loop
	:: else ->
		/* chosen by pool_reap, already out of nr_idle */
		atomic {
			die[me] = 0; idle[me] = 0; nr_dying--;
#ifdef BUG_DYING_IDLE
			nr_idle--	/* worker_leave_idle, as before */
#else
			skip
#endif
		};
		kicked = 0;
		need_more_worker(res);
		if
		:: !res ->
			/* worker_thread: nr_workers--, unlock, exit */
			atomic {
				alive--; moved[me] = 0; slot_used[me] = 0;
				L = 0; r = 0; it = 0; k = 0; res = 0
			};
			goto gone
		:: else -> res = 0; goto loop	/* stays, takes the work */
		fi
	fi;
gone:
	skip
}

/*
 * workers_to_start, src/policy.c (manager thread): the ramp.  @waiting,
 * the items counted on the worklist; sets @want.
 */
inline workers_to_start()
{
	if
	:: ramp_seen -> if :: again = 1 :: again = 0 fi	/* in the window? */
	:: else -> again = 0
	fi;
	ramp_seen = 1;
	if
	:: nr_idle > 0 -> create_ramp = 1; want = 0	/* a worker is idle */
	:: else ->
		st = nr_starting;
		if
		:: st > 0 && waiting <= st -> want = 0
		:: else ->
			if
			:: st > 0 -> waiting = waiting - st
			:: else -> skip
			fi;
			if
			:: waiting <= 1 -> create_ramp = 1; want = 1
			:: else ->
				if
				:: nr_running >= TARGET ->
					create_ramp = 1; want = 1
				:: else ->
					if
					:: !again -> create_ramp = 1
					:: else ->
						if
						:: create_ramp < RAMPCAP ->
							create_ramp =
								create_ramp * 2
						:: else -> skip
						fi
					fi;
					if
					:: create_ramp < waiting ->
						want = create_ramp
					:: else -> want = waiting
					fi
				fi
			fi
		fi
	fi
}

/*
 * The idle workers pool_reap may choose: nr_idle, which a chosen worker
 * leaves at the choice.  BUG_DYING_IDLE replays the reaping before that
 * (a worker asked to exit counted as idle until it left), which strands
 * an item once workers_to_start starts none while a worker is idle.
 */
#ifdef BUG_DYING_IDLE
#define NR_FREE_IDLE (nr_idle - nr_dying)
#else
#define NR_FREE_IDLE nr_idle
#endif

#ifdef EXACT_REAP
/* too_many_workers, src/policy.c */
#define REAP_OK (NR_FREE_IDLE > 2 && \
		 (NR_FREE_IDLE - 2) * 4 >= alive - nr_dying - NR_FREE_IDLE)
#else
#define REAP_OK (NR_FREE_IDLE > 0)
#endif

/*
 * pool_reap's choice (src/manager.c, under the lock): a worker with
 * WORKER_IDLE and not WORKER_DIE gets WORKER_DIE and leaves nr_idle.
 */
inline choose_dying()
{
	atomic {
		if
		:: idle[0] && !die[0] -> die[0] = 1
		:: idle[1] && !die[1] -> die[1] = 1
		:: idle[2] && !die[2] -> die[2] = 1
		:: idle[3] && !die[3] -> die[3] = 1
		fi;
#ifndef BUG_DYING_IDLE
		nr_idle--;
#endif
		nr_dying++
	}
}

/* The manager thread: creates workers on request, reaps idle ones. */
active proctype manager()
{
	byte i, k, waiting, want, st;
	bool again, retry, failed;

end_wait:
	do
	:: create_pending && (!retry || alive < MAXW) ->
		/* manager_thread: what waits, the ingress's items too */
		lock();
		drain_incoming();
		atomic { waiting = worklist; L = 0 }	/* count, unlock */
		workers_to_start();
		create_pending = 0;
		k = 0;
		failed = 0;
		do
		:: k < want && !failed ->
			/* cmwq_create_worker, src/worker.c */
			atomic {
				if
				:: alive < MAXW ->
					i = 0;
					do
					:: slot_used[i] -> i++
					:: else -> break
					od;
					slot_used[i] = 1;
					alive++;
					nr_starting++;
#ifdef WBOUND
					assert(alive <= WBOUND);
#endif
					run worker(i)
				:: else -> failed = 1	/* thread start fails */
				fi;
				k++
			}
		:: else -> break
		od;
		if
		:: failed && k == 1 ->
			create_pending = 1;	/* retried after the cooldown */
			retry = 1
		:: else -> retry = 0
		fi;
		atomic { i = 0; k = 0; waiting = 0; want = 0; st = 0; again = 0;
			 failed = 0 }
	:: reaps < REAPS && REAP_OK ->		/* pool_reap */
		lock();
		if
		:: REAP_OK ->
			choose_dying();
			bump_wake_seq();
			futex_wake_all()
		:: else -> skip
		fi;
		reaps++;
		unlock()
	od
}

/* queue_work on an idle item, src/queue.c cmwq_queue_claimed. */
active [NQ] proctype queuer()
{
	byte r, it;
	bool k, res;

	incoming++;				/* the CAS push */
	short_of_workers(res);
	if
	:: res -> res = 0; pool_kick()
	:: else -> skip				/* pool_watch */
	fi;
	atomic { queuers_done++; r = 0; it = 0; k = 0; res = 0 }
}

/* A flusher or canceller draining the ingress under the lock. */
active [NDRAIN] proctype drainer()
{
	lock();
	drain_incoming();
	unlock()
}

/*
 * End states: when nothing can move any more (every worker asleep in
 * futex_wait, the manager waiting, the others finished), every item must
 * have run and nothing may be left queued.
 */
active proctype end_check()
{
	timeout ->
	assert(done == NITEMS && incoming == 0 && worklist == 0)
}

ltl no_lost_wakeup { [] ((queuers_done == NQ) -> <> (done == NITEMS)) }
