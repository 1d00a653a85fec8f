#!/bin/sh
# SPDX-License-Identifier: MIT
# How cost grows (issue 14, item 4): W1's ns per item against the items
# queued at once, and W5's time against the number of ordered workqueues,
# for cmwq and a peer in the same run; medians of --reps.  Prints, per
# curve, a table and a plot (bars on a log scale, one row per point).
#
#   bench/curves.sh [REPS] [POOLS]   defaults: 3, cmwq-percpu,cmwq-unbound,uv4
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

if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release \
		-DCMWQ_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$build" --target cmwq-bench -j"$(nproc)" >/dev/null
bench=$build/bench/cmwq-bench
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# point WORKLOAD OPTION VALUE: "pool value median" lines into $tmp.
point() {
	"$bench" --only "$pools" --workloads "$1" --reps "$reps" --no-idle \
		"$2" "$3" 2>&1 >/dev/null |
		awk -v x="$3" -v wl="$1" '$2 == wl && NF >= 3 { print $1, x, $3 }' \
		>>"$tmp"
}

# plot TITLE UNIT: a table and log-scale bars from $tmp.
plot() {
	echo "### $1"
	echo
	awk -v unit="$2" '
	{ v[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; p[++np] = $1 }
	  if (!($2 in sx)) { sx[$2] = 1; x[++nx] = $2 }
	  if ($3 > max) max = $3; if (min == "" || $3 < min) min = $3 }
	END {
		printf "| %s |", "n"
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
				w = int(1 + 50 * (log(y) / log(10) - lo) / (hi - lo))
				bar = ""
				for (k = 0; k < w; k++) bar = bar "#"
				printf "%9s %-13s %-52s %s\n", (i == 1 ? x[j] : ""), \
					p[i], bar, y
			}
		printf "(bars: log scale, %s to %s %s)\n```\n\n", min, max, unit
	}' "$tmp"
	: >"$tmp"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r), reps $reps"
echo
for n in 100 1000 10000 100000 1000000 10000000; do
	point W1 --items $n
done
plot "W1: ns per item against items queued at once (--items)" "ns/item"
for q in 10 100 1000 10000 100000; do
	point W5 --queues $q
done
plot "W5: ms for Q ordered workqueues of 10 items each (--queues)" "ms"
