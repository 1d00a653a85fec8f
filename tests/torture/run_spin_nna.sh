#!/bin/sh
# SPDX-License-Identifier: MIT
# Check the model of the lock-free node count (docs/model/node_active.pml)
# with spin: the exhaustive safety search finds no error, and the search
# with the second try dropped (-DBUG_NO_RETRY) still finds the item it
# leaves behind.  Under a second; needs spin and a C compiler.
#
#   tests/torture/run_spin_nna.sh [MODEL [WORKDIR]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
model=${1:-$here/../../docs/model/node_active.pml}
work=${2:-${TMPDIR:-/tmp}/cmwq-spin-nna.$$}
cc=${CC:-gcc}
command -v spin >/dev/null ||
	{ echo "run_spin_nna: spin not found" >&2; exit 2; }
model=$(cd "$(dirname "$model")" && pwd)/$(basename "$model")

# errors DEFINES: build and run the verifier, print its error count.
errors() {
	rm -rf "$work"
	mkdir -p "$work"
	cp "$model" "$work/node_active.pml"
	(
		cd "$work"
		# shellcheck disable=SC2086
		spin $1 -a node_active.pml >spin.out 2>&1 ||
			{ cat spin.out >&2; exit 1; }
		$cc -O2 -DSAFETY -o pan pan.c
		./pan >pan.out 2>&1 || true
		sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.out | tail -1
	)
}

ok=$(errors "")
echo "run_spin_nna: safety: errors: ${ok:-?}"
bug=$(errors "-DBUG_NO_RETRY")
echo "run_spin_nna: bug_no_retry (a replayed bug):" \
	"errors: ${bug:-?} (expected > 0)"
rm -rf "$work"
if [ "${ok:-x}" != 0 ] || [ "${bug:-0}" = 0 ]; then
	echo "run_spin_nna: FAILED"
	exit 1
fi
echo "run_spin_nna: all checks passed"
