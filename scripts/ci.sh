#!/bin/sh
# SPDX-License-Identifier: MIT
# Everything CI checks, in order (.ci/run runs this):
#  1. in a fresh Debian 12 root (build-essential, cmake, git only): the plain
#     build with nothing else installed, then the README's two commands,
#     scripts/demo.sh and scripts/test.sh all (-Werror, ASan+UBSan, TSan);
#  2. here: clang with -Werror, and its test suite;
#  3. here: the install tree, used through pkg-config and find_package,
#     shared and static (scripts/check-install.sh);
#  4. the Debian packages: built, lintian-clean, installed in a fresh root
#     and used by the consumer example (scripts/check-deb.sh).
# Needs root (the fresh roots).  Each step prints what it checked.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n=== ci: %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

step "host packages"
sh scripts/deps.sh --ci

step "fresh Debian 12 root: plain build, README commands"
sh scripts/fresh-root.sh -- sh -c '
	set -e
	echo "--- plain build: cmake -S . -B build && cmake --build build"
	cmake -S . -B build >/dev/null
	cmake --build build -j '"$jobs"' >/dev/null
	echo "--- plain build: ok"
	rm -rf build
	echo "--- scripts/demo.sh"
	scripts/demo.sh
	echo "--- scripts/test.sh all"
	scripts/test.sh all'

step "clang, -Werror"
CC=clang CXX=clang++ cmake -S . -B build-clang -DCMWQ_WERROR=ON >/dev/null
cmake --build build-clang -j "$jobs" >/dev/null
TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp" \
	ctest --test-dir build-clang --output-on-failure -j "$jobs" \
	-E spin_wakeup_model

step "install tree: pkg-config and find_package, shared and static"
sh scripts/check-install.sh build-install

step "Debian packages"
sh scripts/check-deb.sh

step "all checks passed"
