#!/bin/sh
# SPDX-License-Identifier: MIT
# The library's ABI as docs/abi.md states it:
#  - libcmwq.so and libcmwq.a define no global symbol outside cmwq_;
#  - the headers' CMWQ_API declarations, the version script
#    (src/libcmwq.map) and the shared library's exports name the same
#    symbols, and every export carries a version node of the script.
#
#   abi_check.sh MAP SHARED_LIB STATIC_LIB INCLUDE_DIR
# Exits 77 (skipped) where nm or objdump is missing.
set -eu
map=$1 so=$2 ar=$3 inc=$4
for t in nm objdump awk sort comm; do
	command -v $t >/dev/null 2>&1 || { echo "no $t: skipped"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "abi_check: $*" >&2; fail=1; }

# Defined dynamic symbols (the version nodes show as absolute symbols).
nm -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
	sort -u >"$tmp/so"
grep -v '^cmwq_' "$tmp/so" >"$tmp/so.bad" || true
[ -s "$tmp/so.bad" ] && bad "libcmwq.so exports names outside cmwq_:" \
	$(cat "$tmp/so.bad")

# ASan adds an ODR indicator, __odr_asan.NAME, beside each exported
# variable: instrumentation of sanitizer builds, not a name of the library.
nm -g --defined-only "$ar" | awk 'NF == 3 && $3 !~ /^__odr_asan[.]/ { print $3 }' |
	sort -u >"$tmp/ar"
grep -v '^cmwq_' "$tmp/ar" >"$tmp/ar.bad" || true
[ -s "$tmp/ar.bad" ] && bad "libcmwq.a defines global names outside cmwq_:" \
	$(cat "$tmp/ar.bad")
[ -s "$tmp/ar" ] || bad "libcmwq.a defines no symbol at all"

# Names the version script gives a node: the lines "name;" inside global:.
awk '/global:/ { g = 1; next } /local:/ || /}/ { g = 0 }
     g && /^[ \t]*[A-Za-z_][A-Za-z0-9_]*;/ { gsub(/[ \t;]/, ""); print }' \
	"$map" | sort >"$tmp/map"
[ "$(sort -u "$tmp/map" | wc -l)" -eq "$(wc -l <"$tmp/map")" ] ||
	bad "a symbol is listed twice in $map"

# CMWQ_API declarations: from "CMWQ_API" to the ";" that ends them; the
# name is the last identifier before the parameter list (or the ";").
cat "$inc"/cmwq/*.h | awk '
	/^CMWQ_API / { d = ""; on = 1 }
	on { d = d " " $0; if (index($0, ";")) { on = 0; print d } }' |
	sed -e 's/CMWQ_API//' -e 's/(.*//' -e 's/;.*//' |
	awk '{ n = $NF; sub(/^\**/, "", n); print n }' | sort -u >"$tmp/hdr"

if ! cmp -s "$tmp/so" "$tmp/map"; then
	bad "exports and version script differ (< exported, > in the script):"
	diff "$tmp/so" "$tmp/map" | grep '^[<>]' >&2 || true
fi
if ! cmp -s "$tmp/so" "$tmp/hdr"; then
	bad "exports and CMWQ_API declarations differ (< exported, > declared):"
	diff "$tmp/so" "$tmp/hdr" | grep '^[<>]' >&2 || true
fi

# Every export has a node from the script, none is unversioned.
objdump -T "$so" | awk '$2 == "g" && $NF ~ /^cmwq_/ { print $(NF-1), $NF }' \
	>"$tmp/ver"
grep -v '^CMWQ_' "$tmp/ver" >"$tmp/ver.bad" || true
[ -s "$tmp/ver.bad" ] && bad "exports without a CMWQ_ version node:" \
	$(cat "$tmp/ver.bad")

n=$(wc -l <"$tmp/so")
[ $fail -eq 0 ] && echo "abi_check: $n symbols, all cmwq_, versioned, declared and listed"
exit $fail
