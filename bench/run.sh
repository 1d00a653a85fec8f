#!/bin/sh
# SPDX-License-Identifier: MIT
# Build (if needed) and run the benchmark table of BENCH.md.
#
#   bench/run.sh            full run: 5 repetitions, W1-W5, idle check
#   bench/run.sh --quick    a short run (smaller workloads, 1 repetition)
#   bench/run.sh [cmwq-bench options]   e.g. --only cmwq,uv --workloads W1,W3
#
# Builds in build-bench/ (Release) next to this directory unless BUILD_DIR
# is set.  Figures are for comparing pools within one run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${BUILD_DIR:-$top/build-bench}

if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release \
		-DCMWQ_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$build" --target cmwq-bench -j"$(nproc)" >/dev/null

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)," \
	"$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# cmwq-bench $*"
exec "$build/bench/cmwq-bench" "$@"
