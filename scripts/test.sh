#!/bin/sh
# SPDX-License-Identifier: MIT
# Build cmwq and run the whole test suite under CTest.
#   scripts/test.sh              default build, -Werror
#   scripts/test.sh address      ASan + UBSan build
#   scripts/test.sh thread       TSan build
#   scripts/test.sh all          the three, one after the other
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
run_one() {
	san=$1
	dir=build${san:+-$san}
	cmake -S . -B "$dir" -DCMWQ_SANITIZE="$san" -DCMWQ_WERROR=ON >/dev/null
	cmake --build "$dir" -j "$jobs" >/dev/null
	# Allocator size checks and leak reports on, and fail on any report.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
		ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}
case "${1:-}" in
"") run_one "" ;;
address | thread) run_one "$1" ;;
all)
	run_one ""
	run_one address
	run_one thread
	;;
*)
	echo "usage: $0 [address|thread|all]" >&2
	exit 2
	;;
esac
