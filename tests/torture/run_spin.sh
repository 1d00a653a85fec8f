#!/bin/sh
# SPDX-License-Identifier: MIT
# Check the model of the wake-up protocol (docs/model/wakeup.pml) with spin.
#
#   tests/torture/run_spin.sh [MODEL [WORKDIR]]
#
# Runs five verifications and prints the states each explored, and checks
# that the model still finds a bug it can replay (BUG_DYING_IDLE):
#   1. safety, two items, up to three workers (the manager's want, the
#      in-flight room, the starved path), both executions may block
#      (exhaustive): assertions and invalid end states;
#   2. safety, two items, up to two workers, with a draining thread and
#      reaping, one execution may block (exhaustive);
#   3. safety, three items, up to three workers, one of them blocking: the
#      manager's ramp doubles (bitstate search, which covers nearly all of
#      the state space in a fraction of the memory); and the same with a
#      bound pool's rules (BOUND: a worker over the target takes no new
#      item, property 4; two items never reach that choice);
#   4. liveness, two items, up to two workers: the LTL property
#      no_lost_wakeup (once every queuer is done, every item runs) as an
#      acceptance check with weak fairness.
# Exits non-zero when spin reports an error; the counterexample trail is
# left in WORKDIR (replay: cd WORKDIR/NAME && spin -t -p wakeup.pml).
# Needs spin and a C compiler.  SPIN_QUICK=1 (CTest) runs the first and
# the replay only (about 45 s, 1.3 GB); the whole run takes about seven
# minutes (2 CPUs) and 1.8 GB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
model=${1:-$here/../../docs/model/wakeup.pml}
work=${2:-${TMPDIR:-/tmp}/cmwq-spin.$$}
cc=${CC:-gcc}
command -v spin >/dev/null || { echo "run_spin: spin not found" >&2; exit 2; }
mkdir -p "$work"
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")
fail=0

# verify NAME "SPIN_DEFINES" "CC_FLAGS" "PAN_FLAGS": build the verifier for
# the model with those defines in $work/NAME and run it; pan.out holds the
# result.  Fails when the verifier cannot be built.
verify() {
	d=$work/$1
	rm -rf "$d"
	mkdir -p "$d"
	cp "$model" "$d/wakeup.pml"
	(
		cd "$d"
		# shellcheck disable=SC2086
		spin $2 -a wakeup.pml >spin.out 2>&1 || { cat spin.out; exit 1; }
		# shellcheck disable=SC2086
		$cc -O2 $3 -o pan pan.c
		# shellcheck disable=SC2086
		./pan $4 >pan.out 2>&1 || true
	) || { echo "run_spin: $1: cannot build the verifier" >&2; return 1; }
}

# check NAME "SPIN_DEFINES" "CC_FLAGS" "PAN_FLAGS": a search that must find
# no error.
check() {
	name=$1
	verify "$@" || { fail=1; return; }
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$d/pan.out" | tail -1)
	states=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' "$d/pan.out" | tail -1)
	trans=$(sed -n 's/^ *\([0-9.e+]*\) transitions.*/\1/p' "$d/pan.out" | tail -1)
	secs=$(sed -n 's/^pan: elapsed time \([0-9.e+]*\).*/\1/p' "$d/pan.out" | tail -1)
	echo "run_spin: $name: ${states:-?} states, ${trans:-?} transitions, ${secs:-?} s, errors: ${errors:-?}"
	if [ "${errors:-x}" != 0 ]; then
		grep -E "pan:|violated|error" "$d/pan.out" | head -5
		echo "run_spin: $name: counterexample: cd $d && spin $2 -t -p wakeup.pml"
		fail=1
	fi
}

# finds NAME "SPIN_DEFINES" "CC_FLAGS" "PAN_FLAGS": a known bug replayed by a
# define must give an error, or the model no longer checks what it claims.
finds() {
	verify "$@" || { fail=1; return; }
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$d/pan.out" | tail -1)
	echo "run_spin: $1 (a replayed bug): errors: ${errors:-?} (expected > 0)"
	if [ "${errors:-0}" = 0 ]; then
		echo "run_spin: $1: the model no longer finds the bug it replays"
		fail=1
	fi
}

check safety_2items "-DNQ=2 -DMAXW=3 -DNDRAIN=0 -DREAPS=0" \
	"-DSAFETY -DNOCLAIM -DCOLLAPSE" "-m1000000"
# The reaping before nr_dying with the start rule "none while a worker is
# idle" strands an item (a few seconds).
finds bug_dying_idle "-DNQ=2 -DMAXW=2 -DBLOCKS=1 -DBUG_DYING_IDLE" \
	"-DSAFETY -DNOCLAIM -DCOLLAPSE" "-m1000000"
# The other searches take a minute or more each: SPIN_QUICK=1 (CTest) runs
# the two above only.
if [ "${SPIN_QUICK:-0}" = 0 ]; then
	check safety_reap_drain "-DNQ=2 -DMAXW=2 -DBLOCKS=1" \
		"-DSAFETY -DNOCLAIM -DCOLLAPSE" "-m1000000"
	check safety_3items "-DNQ=3 -DMAXW=3 -DNDRAIN=0 -DREAPS=0 -DBLOCKS=1" \
		"-DSAFETY -DNOCLAIM -DBITSTATE" "-w28 -m1000000"
	check safety_3items_bound \
		"-DNQ=3 -DMAXW=3 -DNDRAIN=0 -DREAPS=0 -DBLOCKS=1 -DBOUND" \
		"-DSAFETY -DNOCLAIM -DBITSTATE" "-w28 -m1000000"
	check liveness_2items "-DNQ=2 -DMAXW=2 -DNDRAIN=0" \
		"-DCOLLAPSE -DNFAIR=10" "-a -f -m1000000"
fi

if [ $fail -ne 0 ]; then
	echo "run_spin: FAILED (work files in $work)"
	exit 1
fi
rm -rf "$work"
echo "run_spin: all checks passed"
