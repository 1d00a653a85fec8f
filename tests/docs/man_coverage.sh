#!/bin/sh
# SPDX-License-Identifier: MIT
#
# man_coverage.sh LIBRARY SOURCE_DIR - every public name has a man page
#
# The rule: a public name NAME is documented when docs/man/NAME.3 exists,
# as a real page or as a link page (a first line ".so man3/PAGE.3" after
# comments).  One file per name is what makes "man NAME" work.
#
# The public names are
#   - every defined dynamic symbol of LIBRARY (nm -D --defined-only), less
#     the symbol-version nodes (type A, e.g. CMWQ_0);
#   - every macro of include/cmwq.h and include/cmwq/*.h ("#define NAME"):
#     the kernel names, the CMWQ_ initialisers and constants, the version
#     macros; less the include guards (names ending in _H) and the
#     compiler plumbing listed in PLUMBING below;
#   - every static inline function of those headers.
#
# Also checked:
#   - a link page points to a real page (not to another link) that exists
#     under docs/man and mentions the link's NAME as a word;
#   - every real page (man1 pages only if present: others write them) has
#     a .TH line, and formats without a warning under
#     "groff -man -Tutf8 -ww -z" (with -t when its first line is '\" t)
#     and, where mandoc is installed, "mandoc -Tlint -W warning"; skipped
#     when neither formatter is installed;
#   - every setting the sources read (a getenv("NAME") call, or a string
#     literal that is exactly CMWQ_... or SIMRUPT_..., as fault.c passes
#     names to getenv()) in src/, tools/ and examples/ appears in the
#     settings table (.TS to .TE) of cmwq.7 and in README.md.
#
# Exit 0 when all holds, 1 with one line per problem, 77 (skipped) when nm
# is missing.

set -u

LIB=${1:?usage: man_coverage.sh LIBRARY SOURCE_DIR}
SRC=${2:?usage: man_coverage.sh LIBRARY SOURCE_DIR}
MAN=$SRC/docs/man
PLUMBING='CMWQ_API CMWQ_PRINTF CMWQ_BEGIN_DECLS CMWQ_END_DECLS'

if ! command -v nm >/dev/null 2>&1; then
	echo "man_coverage: nm not found; skipped"
	exit 77
fi
if [ ! -r "$LIB" ] || [ ! -d "$MAN" ]; then
	echo "man_coverage: no $LIB or no $MAN"
	exit 1
fi

fail=0
problem() {
	echo "man_coverage: $*"
	fail=1
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# --- the public names ------------------------------------------------------
nm -D --defined-only "$LIB" >"$tmp/nm" || {
	problem "nm -D failed on $LIB"
	exit 1
}
awk 'NF >= 3 && $2 != "A" { sub(/@.*/, "", $3); print $3 }' "$tmp/nm" \
	>"$tmp/names"
if [ ! -s "$tmp/names" ]; then
	problem "no exported symbol found in $LIB"
fi

# "#define NAME" and "# define NAME(" alike; then drop guards and plumbing.
sed -n 's/^[[:space:]]*#[[:space:]]*define[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' \
	"$SRC"/include/cmwq.h "$SRC"/include/cmwq/*.h |
	grep -v '_H$' >"$tmp/macros"
for p in $PLUMBING; do
	grep -vx "$p" "$tmp/macros" >"$tmp/m2"
	mv "$tmp/m2" "$tmp/macros"
done
cat "$tmp/macros" >>"$tmp/names"

# static inline functions: the identifier just before the first "(",
# which may be on the line after "static inline TYPE" (kernel style for a
# long declaration).
cat "$SRC"/include/cmwq.h "$SRC"/include/cmwq/*.h | awk '
	/^static inline/ { d = $0; if (index(d, "(")) print d; else on = 1; next }
	on { print d " " $0; on = 0 }' |
	sed 's/(.*//; s/.*[[:space:]*]//' >>"$tmp/names"

sort -u "$tmp/names" >"$tmp/all"
nr=$(wc -l <"$tmp/all")
if [ "$nr" -lt 100 ]; then
	problem "only $nr public names found: the extraction is broken"
fi

# --- one page file per name ------------------------------------------------
while read -r name; do
	[ -e "$MAN/$name.3" ] || problem "$name has no page ($MAN/$name.3)"
done <"$tmp/all"

# --- link pages and real pages ---------------------------------------------
# The target of a link page, or nothing for a real page.
link_of() {
	sed -n '/^\.\\"/d; /^'"'"'\\"/d; /^\.so[[:space:]]/{s/^\.so[[:space:]]*//p;q;}; q' "$1"
}

: >"$tmp/real"
for page in "$MAN"/*.[1-9]; do
	[ -e "$page" ] || continue
	base=${page##*/}
	target=$(link_of "$page")
	if [ -n "$target" ]; then
		name=${base%.*}
		tpage=$MAN/${target##*/}
		if [ ! -f "$tpage" ]; then
			problem "$base: links to missing page $target"
		elif [ -n "$(link_of "$tpage")" ]; then
			problem "$base: links to $target, itself a link"
		elif ! grep -qw -- "$name" "$tpage"; then
			problem "$base: $target does not mention $name"
		fi
		continue
	fi
	echo "$page" >>"$tmp/real"
	grep -q '^\.TH ' "$page" || problem "$base: no .TH line"
done

# --- formatting ------------------------------------------------------------
have_groff=0
have_mandoc=0
command -v groff >/dev/null 2>&1 && have_groff=1
command -v mandoc >/dev/null 2>&1 && have_mandoc=1
if [ $have_groff = 0 ] && [ $have_mandoc = 0 ]; then
	echo "man_coverage: neither groff nor mandoc installed; formatting not checked"
fi
while read -r page; do
	base=${page##*/}
	pre=
	head -n 1 "$page" | grep -q "^'\\\\\" t" && pre=-t
	if [ $have_groff = 1 ]; then
		out=$(LC_ALL=C.UTF-8 groff $pre -man -Tutf8 -ww -z "$page" 2>&1)
		[ -z "$out" ] || problem "$base: groff: $out"
	fi
	if [ $have_mandoc = 1 ]; then
		out=$(mandoc -Tlint -W warning "$page" 2>&1)
		[ -z "$out" ] || problem "$base: mandoc: $out"
	fi
done <"$tmp/real"

# --- settings --------------------------------------------------------------
for d in src tools examples; do
	[ -d "$SRC/$d" ] || continue
	find "$SRC/$d" -name '*.[ch]' -exec cat {} + 2>/dev/null
done >"$tmp/sources"
{
	grep -o 'getenv("[A-Za-z_][A-Za-z0-9_]*")' "$tmp/sources" |
		sed 's/.*("//; s/")//'
	grep -o '"\(CMWQ\|SIMRUPT\)_[A-Z0-9_]*"' "$tmp/sources" | tr -d '"'
} | sort -u >"$tmp/settings"
if [ ! -s "$tmp/settings" ]; then
	problem "no setting found in the sources: the extraction is broken"
fi
if [ -f "$MAN/cmwq.7" ]; then
	sed -n '/^\.TS/,/^\.TE/p' "$MAN/cmwq.7" >"$tmp/table"
	while read -r var; do
		grep -qw -- "$var" "$tmp/table" ||
			problem "setting $var is not in the table of cmwq.7"
		grep -qw -- "$var" "$SRC/README.md" ||
			problem "setting $var is not in README.md"
	done <"$tmp/settings"
else
	problem "no cmwq.7"
fi

if [ $fail = 0 ]; then
	echo "man_coverage: $nr names, $(wc -l <"$tmp/real") real pages," \
		"$(wc -l <"$tmp/settings") settings: all documented"
fi
exit $fail
