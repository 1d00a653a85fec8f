/* SPDX-License-Identifier: MIT */
/*
 * node_active.pml - the lock-free node count of an unbound workqueue
 * (struct wq_node_active in src/internal.h), checked with spin
 * (tests/torture/run_spin_nna.sh).
 *
 * While the node has room, an item is counted in by a compare-and-swap of
 * nr below max (src/pool.c, nna_tryinc) and out by an atomic decrement
 * (src/queue.c, pwq_dec_nr_in_flight), no lock.  A pwq whose item finds
 * the node full goes on the node's pending list under the node's lock and
 * sets has_pending; the item that leaves next must let it in.  The race:
 * the leaving item decrements nr and reads has_pending before the full
 * pwq sets it.  The answer (src/pool.c, pwq_tryinc_active): after setting
 * has_pending, the full pwq tries the count once more.  All of it is
 * seq_cst in the source; spin's interleavings are sequentially
 * consistent, so each statement below is one such access.
 *
 * Processes: B, the pwq of the one item the node counts (max 1), which
 * finishes it; A, another pwq of the node, whose item wants in; M, the
 * manager, which activates what the pending list handed it (src/queue.c,
 * nna_kick_pending and cmwq_activate_pending_pass).  When nothing can
 * move any more, A's item must be active and counted, and nothing else.
 *
 * -DBUG_NO_RETRY drops the second try: spin then finds A's item left
 * behind (run_spin_nna.sh checks that it still does).
 */
#define MAX 1

byte nr = 1;		/* B's item is counted */
bit has_pending;
bit locked;		/* nna->lock */
bit a_on_list;		/* A on nna->pending */
bit handed;		/* A handed to the manager */
bit a_active;		/* A's item counted in */

inline lock()
{
	atomic { locked == 0 -> locked = 1 }
}

inline unlock()
{
	locked = 0
}

/* nna_tryinc(): the compare-and-swap loop, one atomic step. */
inline tryinc(ok)
{
	atomic {
		if
		:: nr < MAX -> nr++; ok = 1
		:: else -> ok = 0
		fi
	}
}

active proctype A()
{
	bit ok, added;

	tryinc(ok);
	if
	:: ok -> a_active = 1; goto done
	:: else
	fi;
	lock();
	if
	:: !a_on_list -> a_on_list = 1; added = 1
	:: else
	fi;
	has_pending = 1;
	unlock();
#ifdef BUG_NO_RETRY
	ok = 0;
#else
	tryinc(ok);
#endif
	if
	:: ok ->
		a_active = 1;
		if
		:: added ->
			/* nna_pending_del(): off the list, which is empty. */
			lock();
			a_on_list = 0;
			has_pending = 0;
			unlock()
		:: else
		fi
	:: else
	fi;
done:
	skip
}

active proctype B()
{
	nr--;
	if
	:: has_pending ->
		lock();
		/* nna_kick_pending() */
		if
		:: nr < MAX && a_on_list ->
			a_on_list = 0;
			has_pending = 0;
			handed = 1
		:: else
		fi;
		unlock()
	:: else
	fi
}

active proctype M()
{
	bit ok;

end:
	handed == 1;
	/* pwq_activate_inactive(): A's item, if it still waits. */
	if
	:: !a_active ->
		tryinc(ok);
		if
		:: ok -> a_active = 1
		:: else
		fi
	:: else
	fi
}

active proctype Check()
{
end:
	timeout;
	assert(a_active && nr == 1)
}
