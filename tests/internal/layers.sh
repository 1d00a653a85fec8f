#!/bin/sh
# SPDX-License-Identifier: MIT
# No call runs up the layers of src/ (src/LAYERS): for each of the
# library's objects, every symbol it uses that another object defines
# must be defined in the same layer or a lower one; every object must be
# in a layer.  Prints each call upward (user -> definer: symbol).
#
#   layers.sh SRC/LAYERS OBJECT...
#   layers.sh --self-test SRC/LAYERS OBJECT...   the check fails, naming
#	the calls, when platform.c (which every file calls) is put on top
set -eu
if [ "$1" = --self-test ]; then
	shift
	bad=$(mktemp)
	sed -e 's/^base: platform /base: /' \
	    -e 's/^services: /services: platform /' "$1" >"$bad"
	shift
	out=$(sh "$0" "$bad" "$@") && rc=0 || rc=$?
	rm -f "$bad"
	echo "$out" | tail -n 3
	if [ "$rc" -ne 1 ] || ! echo "$out" | grep -q '^layers: up: .* -> platform: '; then
		echo "layers: self-test: an upward call was not reported"
		exit 1
	fi
	echo "layers: self-test: upward calls reported"
	exit 0
fi
layers=$1
shift
command -v nm >/dev/null 2>&1 || { echo "layers: no nm; skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for o in "$@"; do
	f=$(basename "$o")
	f=${f%.o}
	f=${f%.c}
	nm "$o" >"$tmp/nm" || { echo "layers: nm cannot read $o"; exit 1; }
	awk -v f="$f" '
		NF == 3 && $2 ~ /^[TDBRCVW]$/ { print "D", f, $3 }
		NF == 2 && $1 == "U" { print "U", f, $2 }' "$tmp/nm"
done >"$tmp/syms"
awk -v layers="$layers" '
	BEGIN {
		n = 0
		while ((getline line < layers) > 0) {
			if (line ~ /^#/ || line !~ /:/)
				continue
			n++
			sub(/^[^:]*:/, "", line)
			k = split(line, fs, " ")
			for (i = 1; i <= k; i++)
				layer[fs[i]] = n
		}
	}
	$1 == "D" { def[$3] = $2; files[$2] = 1; next }
	$1 == "U" { use[++nu] = $2 " " $3; files[$2] = 1 }
	END {
		bad = 0
		for (f in files)
			if (!(f in layer)) {
				printf "layers: src/%s.c is in no layer of %s\n", \
					f, layers
				bad++
			}
		for (i = 1; i <= nu; i++) {
			split(use[i], p, " ")
			if (!(p[2] in def))
				continue
			d = def[p[2]]
			if ((p[1] in layer) && (d in layer) && \
			    layer[d] > layer[p[1]]) {
				printf "layers: up: %s -> %s: %s\n", p[1], d, p[2]
				bad++
			}
		}
		nf = 0
		for (f in files)
			nf++
		if (!nf) {
			print "layers: no objects"
			exit 1
		}
		if (bad) {
			printf "layers: %d calls run up (or files without a " \
			       "layer)\n", bad
			exit 1
		}
		printf "layers: %d files in %d layers, no call runs up\n", nf, n
	}' "$tmp/syms"
