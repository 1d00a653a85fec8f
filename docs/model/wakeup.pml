/* SPDX-License-Identifier: MIT */
/*
 * wakeup.pml - the queue / idle / wake-up protocol of one worker pool,
 * checked with spin (tests/torture/run_spin.sh runs it).
 *
 * What is modelled (the source lines cited are those of commit 829bd90):
 *
 *  - queuers: push an item on the lock-free ingress, load nr_running, and
 *    kick the pool when it is short of running workers
 *    (src/queue.c:76-87, cmwq_queue_claimed; the kick is src/pool.c:258-268,
 *    pool_kick: exchange kicked, then wake_seq++ and futex_wake(1) if a
 *    worker is idle, else ask the manager for a worker, src/manager.c:45-52);
 *  - workers: worker_loop (src/worker.c:382-432): clear kicked, check
 *    need_more_worker and has_runnable, count as running, pick and process
 *    items, keep_working; going idle: nr_idle++, read wake_seq, check once
 *    more, futex_wait(wake_seq, seq), which returns at once when wake_seq
 *    moved; reaping after the wait (src/worker.c:427-430);
 *  - the sleeping hook an item calls when it blocks (src/concurrency.c:81-99,
 *    worker_cm_sleep: nr_running--, need_more_worker, kick; and
 *    worker_cm_wake, src/concurrency.c:103-109: nr_running++);
 *  - the manager: creates a worker when asked (src/manager.c:138-150) and
 *    reaps idle workers (src/manager.c:54-92, pool_reap: nr_to_reap +=
 *    expired, wake_seq++, futex_wake(all), under pool->lock);
 *  - another thread that takes pool->lock and drains the ingress, as
 *    flush_work, cancel and flush_workqueue do (src/pool.c:215-251,
 *    pool_drain_incoming, and worklist_changed, src/pool.c:200-208).
 *
 * The predicates are those of src/policy.c: need_more_worker (lines 26-30:
 * work queued, nr_worklist or incoming, and nr_running < target),
 * keep_working (lines 38-42, <= target), may_start_working (lines 45-48).
 *
 * Memory model: the engine makes every access of the protocol seq_cst, so
 * the model is sequentially consistent: each load, store and
 * read-modify-write of a shared variable is one Promela step, and the
 * predicates read their variables one at a time, as the C code does.
 * pool->lock is a lock; the list operations under it are folded into the
 * steps that hold it.  Not modelled: the busy hash (one item never runs
 * twice; the items here are distinct), max_active, the block-detection
 * monitor and pool_watch (help that the protocol must not rely on),
 * spurious futex wake-ups (they only add wake-ups), the manager's own
 * futex (it is modelled as reacting to create_pending).
 *
 * The reaping policy (too_many_workers: more than two idle) is abstracted
 * to "some worker is idle", so that a small model reaches it.
 *
 * Properties:
 *  - safety, checked in every end state (all processes blocked or done):
 *    every queued item ran; nothing is left on the ingress or the
 *    worklist while all workers sleep (no lost wake-up, no item stranded
 *    with an idle pool).  An end state where a process is stuck anywhere
 *    but in futex_wait or the manager's wait is reported by spin as an
 *    invalid end state (deadlock);
 *  - liveness (LTL, checked with weak fairness): once every queuer is
 *    done, every item eventually runs.
 *
 * Parameters (spin -D...): NQ queuers of one item each (default 2), TARGET
 * running workers the pool aims at (default 1: a per-CPU pool), REAPS
 * reaping rounds (default 1; 0 leaves reaping out), NDRAIN draining
 * threads (default 1), MAXW workers alive at once (default 2, at most 3;
 * a request past it waits, as a failed creation is retried), BLOCKS item
 * executions that may block (default NQ: all).
 *
 * Steps that only touch what pool->lock protects and nobody reads without
 * it (the lists, nr_to_reap) or the counters only the properties read
 * (done, queuers_done) are folded into the neighbouring step: that hides
 * no interleaving another thread could observe.
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
#define MAXW 2	/* workers alive at once: 1..3 */
#endif
#ifndef BLOCKS
#define BLOCKS NQ	/* item executions that may block */
#endif
#define NITEMS NQ

byte incoming;		/* pool->incoming: items pushed, not yet drained */
byte worklist;		/* pool->worklist, under the lock */
bool nr_worklist;	/* pool->nr_worklist: worklist is not empty */
byte nr_running;	/* pool->nr_running */
byte nr_idle;		/* pool->nr_idle */
byte wake_seq;		/* pool->wake_seq, the futex word (wraps like it) */
bool kicked;		/* pool->kicked */
bool create_pending;	/* pool->create_pending */
byte nr_to_reap;	/* pool->nr_to_reap, under the lock */
bool L;			/* pool->lock */
bool fwait[3];		/* worker i sleeps in futex_wait(&wake_seq) */
bool slot_used[3];
byte alive;		/* workers started and not exited */
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

/* futex_wake(&wake_seq, 1): wake one sleeper, if any. */
inline futex_wake_one()
{
	atomic {
		if
		:: fwait[0] -> fwait[0] = 0
		:: fwait[1] -> fwait[1] = 0
		:: fwait[2] -> fwait[2] = 0
		:: else -> skip
		fi
	}
}

/* futex_wake(&wake_seq, INT_MAX): wake every sleeper. */
inline futex_wake_all()
{
	atomic {
		fwait[0] = 0;
		fwait[1] = 0;
		fwait[2] = 0
	}
}

/* cmwq_request_worker, src/manager.c:47: one request at a time. */
inline request_worker()
{
	atomic { c = create_pending; create_pending = 1 }
}

/* pool_kick, src/pool.c:258-268. */
inline pool_kick()
{
	atomic { k = kicked; kicked = 1 };	/* pool.c:260 exchange */
	if
	:: k -> skip
	:: else ->
		t = nr_idle;			/* pool.c:262 */
		if
		:: t > 0 ->
			wake_seq++;		/* pool.c:263 */
			futex_wake_one()	/* pool.c:264 */
		:: else ->
			request_worker()	/* pool.c:266 */
		fi
	fi
}

/* need_more_worker, src/policy.c:21-22 and 28-29: three seq_cst loads. */
inline need_more_worker(res)
{
	if
	:: nr_worklist -> res = 1
	:: else -> res = (incoming > 0)
	fi;
	if
	:: res -> res = (nr_running < TARGET)
	:: else -> skip
	fi
}

/* keep_working, src/policy.c:40-41. */
inline keep_working(res)
{
	if
	:: nr_worklist -> res = 1
	:: else -> res = (incoming > 0)
	fi;
	if
	:: res -> res = (nr_running <= TARGET)
	:: else -> skip
	fi
}

/*
 * pool_drain_incoming, src/pool.c:215-251 (lock held): exchange the
 * ingress with NULL (line 222), move the items to the worklist, publish
 * nr_worklist (worklist_changed, line 250).
 */
inline drain_incoming()
{
	if
	:: incoming > 0 ->
		atomic { n = incoming; incoming = 0; worklist = worklist + n };
		nr_worklist = (worklist > 0)
	:: else -> skip
	fi
}

proctype worker(byte me)
{
	byte seq, n, t;
	bool k, c, res;

	lock();					/* worker.c:466 */
loop:
	kicked = 0;				/* worker.c:393 */
	need_more_worker(res);			/* worker.c:394 */
	if
	:: !res -> goto sleep
	:: else -> skip
	fi;
	drain_incoming();			/* has_runnable, worker.c:221 */
	if
	:: worklist == 0 -> goto sleep
	:: else -> skip
	fi;
	t = nr_idle;				/* worker.c:401 */
	if
	:: t == 0 -> request_worker()		/* worker.c:402 */
	:: else -> skip
	fi;
	nr_running++;				/* worker.c:403 */
	do
	:: /* pick_next, worker.c:405 and 170-207 */
		if
		:: worklist == 0 -> drain_incoming()	/* worker.c:172 */
		:: else -> skip
		fi;
		if
		:: worklist == 0 -> break
		:: else -> worklist--
		fi;
		nr_worklist = (worklist > 0);	/* worker.c:207 */
		unlock();			/* worker.c:302 */
		/* the item's function, worker.c:304 */
		if
		:: skip
		:: blocks < BLOCKS ->
			/* it blocks: cmwq_worker_sleeping, concurrency.c:81 */
			atomic { blocks++; nr_running-- } /* concurrency.c:89, 29 */
			need_more_worker(res);	/* concurrency.c:94 */
			if
			:: res -> pool_kick()	/* concurrency.c:98 */
			:: else -> skip
			fi;
			/* ... blocked, then cmwq_worker_running ... */
			nr_running++		/* concurrency.c:108, 31 */
		fi;
		atomic { done++; !L -> L = 1 };	/* worker.c:307 */
		keep_working(res);		/* worker.c:408 */
		if
		:: !res -> break
		:: else -> skip
		fi
	od;
	nr_running--;				/* worker.c:409 */
sleep:
	nr_idle++;				/* worker.c:413, 361 */
	seq = wake_seq;				/* worker.c:418 */
#ifndef BUG_STALE_KICKED
	/*
	 * The fix spin found necessary (worker.c, after the read of
	 * wake_seq): a kick that reached this worker's wake_seq read is
	 * consumed here too, not only at the top of the loop.  Define
	 * BUG_STALE_KICKED to replay the lost wake-up without it.
	 */
	kicked = 0;
#endif
	need_more_worker(res);			/* worker.c:419 */
	if
	:: res ->
		drain_incoming();		/* has_runnable */
		if
		:: worklist > 0 ->
			nr_idle--;		/* worker.c:420 */
			goto loop		/* worker.c:421 */
		:: else -> skip
		fi
	:: else -> skip
	fi;
	unlock();				/* worker.c:423 */
	/* futex_wait(&wake_seq, seq), worker.c:424 */
	atomic {
		if
		:: wake_seq != seq -> skip
		:: else -> fwait[me] = 1
		fi
	};
end_sleep:
	!fwait[me];
	lock();					/* worker.c:425 */
	nr_idle--;				/* worker.c:426 */
	if
	:: nr_to_reap > 0 ->			/* worker.c:427 */
		need_more_worker(res);
		if
		:: !res ->
			nr_to_reap--;		/* worker.c:428 */
			unlock();		/* worker_thread, worker.c:471 */
			atomic { alive--; slot_used[me] = 0 };
			goto gone
		:: else -> skip
		fi
	:: else -> skip
	fi;
	goto loop;
gone:
	atomic { seq = 0; n = 0; t = 0; k = 0; c = 0; res = 0 }
}

/* The manager thread: creates workers on request, reaps idle ones. */
active proctype manager()
{
	byte i;

end_wait:
	do
	:: atomic { create_pending && alive < MAXW ->
		create_pending = 0;		/* manager.c:143 */
		i = 0;
		do
		:: slot_used[i] -> i++
		:: else -> break
		od;
		slot_used[i] = 1;
		alive++;
		run worker(i)			/* manager.c:144 */
	   }
	:: reaps < REAPS && nr_idle > 0 ->	/* manager.c:64-73 */
		lock();
		if
		:: nr_idle > nr_to_reap ->
			nr_to_reap++;		/* manager.c:85 */
			wake_seq++;		/* manager.c:86 */
			futex_wake_all()	/* manager.c:87 */
		:: else -> skip
		fi;
		reaps++;
		unlock()
	od
}

/* queue_work on an idle item, src/queue.c:76-87. */
active [NQ] proctype queuer()
{
	byte t;
	bool k, c;

	incoming++;				/* queue.c:76-80, the CAS push */
	t = nr_running;				/* queue.c:84 */
	if
	:: t < TARGET -> pool_kick()		/* queue.c:85 */
	:: else -> skip				/* queue.c:87, pool_watch */
	fi;
	atomic { queuers_done++; t = 0; k = 0; c = 0 }
}

/* A flusher or canceller draining the ingress under the lock. */
active [NDRAIN] proctype drainer()
{
	byte n;

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
