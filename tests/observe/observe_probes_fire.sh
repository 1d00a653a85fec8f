#!/bin/sh
# SPDX-License-Identifier: MIT
# Issue 6: the USDT probes fire: perf counts each of the four on a known
# workload (N items: N of each).  Exits 77 (skipped) where perf cannot add
# uprobes (not root, no tracefs, no perf).
lib=$1
prog=$2
n=100
command -v perf >/dev/null 2>&1 || { echo "no perf: skipped"; exit 77; }
probes="workqueue_queue_work workqueue_activate_work workqueue_execute_start
workqueue_execute_end"
add=""
del=""
for p in $probes; do
	add="$add -a sdt_cmwq:$p"
	del="$del -d sdt_cmwq:$p"
done
trap 'perf probe -q $del >/dev/null 2>&1' EXIT
if ! perf probe -q -x "$lib" $add >/dev/null 2>&1; then
	echo "perf probe cannot add the sdt_cmwq probes here: skipped"
	exit 77
fi
out=$(perf stat -x, -e 'sdt_cmwq:*' -- "$prog" $n 2>&1) || {
	echo "$out"
	exit 1
}
echo "$out"
for p in $probes; do
	c=$(echo "$out" | grep ",sdt_cmwq:$p," | cut -d, -f1)
	[ "$c" = "$n" ] || { echo "sdt_cmwq:$p fired ${c:-0} times, not $n"; exit 1; }
done
echo "all four probes fired $n times"
