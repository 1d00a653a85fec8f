#!/bin/sh
# SPDX-License-Identifier: MIT
# Run a test program with the lock-order check on (CMWQ_DEBUG_LOCKS=1) and
# fail if the library reported a lock taken against its order, whatever
# the program's own verdict.
#   no_lock_reports.sh PROGRAM [ARGS...]
# Some programs fork and start threads in the child (fork_loop): TSan must
# be told that is expected; the rest of its options are kept.
export TSAN_OPTIONS="${TSAN_OPTIONS:-} die_after_fork=0"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
CMWQ_DEBUG_LOCKS=1 "$@" 2>"$out"
rc=$?
if grep -q "lock order:" "$out"; then
	grep "lock order:" "$out" >&2
	echo "no_lock_reports: $1 took a lock against the order" >&2
	exit 1
fi
[ $rc -eq 0 ] || tail -n 30 "$out" >&2
exit $rc
