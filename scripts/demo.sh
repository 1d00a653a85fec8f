#!/bin/sh
# SPDX-License-Identifier: MIT
# Build cmwq and run the demo: real work on several workqueues, then what the
# pools did.
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
exec ./build/examples/cmwq-demo "$@"
