#!/bin/sh
# SPDX-License-Identifier: MIT
# Issue 6: the four USDT probes are in the built library (readelf -n).
# Exits 77 (skipped) when readelf or sys/sdt.h was not there.
lib=$1
have_sdt=$2
command -v readelf >/dev/null 2>&1 || { echo "no readelf: skipped"; exit 77; }
[ "$have_sdt" = 1 ] || { echo "built without sys/sdt.h: skipped"; exit 77; }
notes=$(readelf -n "$lib") || exit 1
for p in workqueue_queue_work workqueue_activate_work \
	workqueue_execute_start workqueue_execute_end; do
	echo "$notes" | grep -B1 "Name: $p\$" | grep -q "Provider: cmwq" || {
		echo "probe cmwq:$p missing from $lib"
		exit 1
	}
	echo "found cmwq:$p"
done
