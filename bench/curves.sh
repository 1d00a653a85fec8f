#!/bin/sh
# SPDX-License-Identifier: MIT
# How cost grows (issue 14, item 4): W1's ns per item against the items
# queued at once, W5's time against the number of ordered workqueues, W2's
# ns per item against the producer threads submitting at once, and W4's
# makespan and peak threads against the time each item blocks, for cmwq
# and a peer in the same run; medians of --reps.  Prints, per curve, a
# table and a plot (bars on a log scale, one row per point); W4 gets two,
# one for the makespan (ms) and one for the peak thread count.
#
#   bench/curves.sh [REPS] [POOLS]   defaults: 3, cmwq-percpu,cmwq-unbound,uv4
#
# CURVES picks the curves (default "all"), names separated by spaces:
#   W1   W1 ns/item against items queued at once (--items)
#   W5   W5 ms against ordered workqueues (--queues)
#   W2P  W2 ns/item against producer threads (--producers)
#   W4B  W4 ms and peak threads against each item's sleep (--block-us)
# e.g. CURVES="W2P W4B" bench/curves.sh 1 runs only the last two.
#
# Builds in build-bench/ (Release) unless BUILD_DIR is set.  Every point
# is a fresh process, so the small ones include starting the pools (the
# first items wait for the first workers): that is the curve's left end.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${BUILD_DIR:-$top/build-bench}
reps=${1:-3}
pools=${2:-cmwq-percpu,cmwq-unbound,uv4}
curves=${CURVES:-all}

for c in $curves; do
	case $c in
	all | W1 | W5 | W2P | W4B) ;;
	*)
		echo "curves.sh: unknown curve $c (all, W1, W5, W2P, W4B)" >&2
		exit 2
		;;
	esac
done

# want NAME: whether CURVES asks for curve NAME.
want() {
	case " $curves " in
	*" all "* | *" $1 "*) return 0 ;;
	esac
	return 1
}

if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release \
		-DCMWQ_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$build" --target cmwq-bench -j"$(nproc)" >/dev/null
bench=$build/bench/cmwq-bench
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# point WORKLOAD OPTION VALUE: "pool value median1 median2" lines into
# $tmp, from the child's summary line on stderr ("pool W med1 med2 med3
# (N reps)"): median1 is the workload's number (ns/item, ms), median2 W4's
# and W5's peak threads.
point() {
	"$bench" --only "$pools" --workloads "$1" --reps "$reps" --no-idle \
		"$2" "$3" 2>&1 >/dev/null |
		awk -v x="$3" -v wl="$1" \
			'$2 == wl && NF >= 4 { print $1, x, $3, $4 }' >>"$tmp"
}

# plot TITLE UNIT [XNAME [WHICH]]: a table and log-scale bars from $tmp,
# the x column headed XNAME (default n).  WHICH: empty for median1, then
# $tmp is emptied; "keep" for median1, keeping $tmp for a second plot of
# the same points; "threads" for median2 (W4's peak threads), then $tmp is
# emptied.
plot() {
	echo "### $1"
	echo
	col=3
	[ "${4:-}" = threads ] && col=4
	awk -v unit="$2" -v xname="${3:-n}" -v col="$col" '
	{ v[$1, $2] = $col; y = $col + 0
	  if (!($1 in seen)) { seen[$1] = 1; p[++np] = $1 }
	  if (!($2 in sx)) { sx[$2] = 1; x[++nx] = $2 }
	  if (y > max) max = y; if (min == "" || y < min) min = y }
	END {
		printf "| %s |", xname
		for (i = 1; i <= np; i++) printf " %s (%s) |", p[i], unit
		printf "\n| --- |"
		for (i = 1; i <= np; i++) printf " --- |"
		printf "\n"
		for (j = 1; j <= nx; j++) {
			printf "| %s |", x[j]
			for (i = 1; i <= np; i++) printf " %s |", v[p[i], x[j]]
			printf "\n"
		}
		printf "\n```\n"
		lo = log(min > 0 ? min : 1) / log(10); hi = log(max) / log(10)
		if (hi - lo < 1) hi = lo + 1
		for (j = 1; j <= nx; j++)
			for (i = 1; i <= np; i++) {
				y = v[p[i], x[j]]
				bar = ""
				if (y + 0 > 0) {
					w = int(1 + 50 * (log(y) / log(10) - \
						lo) / (hi - lo))
					for (k = 0; k < w; k++) bar = bar "#"
				}
				printf "%9s %-13s %-52s %s\n", (i == 1 ? x[j] : ""), \
					p[i], bar, y
			}
		printf "(bars: log scale, %s to %s %s)\n```\n\n", min, max, unit
	}' "$tmp"
	[ "${4:-}" = keep ] || : >"$tmp"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r), reps $reps"
echo
if want W1; then
	for n in 100 1000 10000 100000 1000000 10000000; do
		point W1 --items $n
	done
	plot "W1: ns per item against items queued at once (--items)" "ns/item"
fi
if want W5; then
	for q in 10 100 1000 10000 100000; do
		point W5 --queues $q
	done
	plot "W5: ms for Q ordered workqueues of 10 items each (--queues)" "ms"
fi
if want W2P; then
	for p in 1 2 4 8; do
		point W2 --producers $p
	done
	plot "W2: ns per item against producer threads submitting at once (--producers)" \
		"ns/item" producers
fi
if want W4B; then
	for b in 100 500 1000 5000 20000 50000; do
		point W4 --block-us $b
	done
	plot "W4: ms for the items that sleep B us, then spin 0.5 ms (--block-us)" \
		"ms" "block us" keep
	plot "W4: peak threads for the items that sleep B us (--block-us)" \
		"threads" "block us" threads
fi
