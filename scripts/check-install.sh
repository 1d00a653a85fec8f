#!/bin/sh
# SPDX-License-Identifier: MIT
# Install cmwq into a scratch prefix and use it as a distribution's user
# would: build examples/consumer with pkg-config + make and with CMake's
# find_package, each against libcmwq.so and libcmwq.a, and run them; open
# man pages from the prefix; build and run the API audit (tests/audit)
# against the installed headers; check the tools answer --version.
#
#   scripts/check-install.sh [BUILD_DIR]      (default: build-install)
# With CMWQ_PREFIX set, checks an installed prefix (e.g. /usr from the
# Debian packages) instead of building and installing one.
set -eu
cd "$(dirname "$0")/.."
src=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "check-install: $*"; }
fail() { echo "check-install: FAILED: $*" >&2; exit 1; }

if [ -z "${CMWQ_PREFIX:-}" ]; then
	build=${1:-build-install}
	prefix=$work/prefix
	cmake -S . -B "$build" -DCMAKE_INSTALL_PREFIX="$prefix" \
		-DBUILD_TESTING=OFF -DCMWQ_BUILD_BENCH=OFF >/dev/null
	cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
	cmake --install "$build" >/dev/null
	libdir=$(find "$prefix" -name libcmwq.so -printf '%h\n' | head -n1)
	export PKG_CONFIG_PATH="$libdir/pkgconfig"
	export LD_LIBRARY_PATH="$libdir"
	cmake_prefix=$prefix
else
	prefix=$CMWQ_PREFIX
	cmake_prefix=$prefix
fi
say "prefix $prefix"

ver=$(pkg-config --modversion cmwq) || fail "pkg-config finds no cmwq"
say "pkg-config: cmwq $ver"

# A consumer built by @how (make, cmake) for @mode (shared, static) in @dir
# links libcmwq.so exactly when @mode is shared, and runs.
check_consumer() {
	how=$1 mode=$2 dir=$3
	if ldd "$dir/consumer" | grep -q libcmwq; then
		[ "$mode" = shared ] || fail "$how static: linked with libcmwq.so"
	else
		[ "$mode" = static ] || fail "$how shared: not linked with libcmwq.so"
	fi
	"$dir/consumer" || fail "$how ($mode): consumer failed"
}

# pkg-config and make, shared then static.
for mode in shared static; do
	d=$work/make-$mode
	cp -r "$src/examples/consumer" "$d"
	st=0
	[ $mode = static ] && st=1
	make -s -C "$d" STATIC=$st >/dev/null || fail "make ($mode)"
	check_consumer make $mode "$d"
done

# CMake's find_package, shared then static.
for mode in shared static; do
	d=$work/cmake-$mode
	st=OFF
	[ $mode = static ] && st=ON
	cmake -S "$src/examples/consumer" -B "$d" \
		-DCMAKE_PREFIX_PATH="$cmake_prefix" -DCMWQ_STATIC=$st \
		>/dev/null || fail "find_package ($mode)"
	cmake --build "$d" >/dev/null || fail "cmake build ($mode)"
	check_consumer cmake $mode "$d"
done

# No global name outside cmwq_ in either library.
libdir=$(pkg-config --variable=libdir cmwq)
lib=$libdir/libcmwq.so
ar=$libdir/libcmwq.a
[ -f "$lib" ] && [ -f "$ar" ] || fail "no libcmwq.so and libcmwq.a in $libdir"
bad=$(nm -D --defined-only "$lib" | awk '$2 != "A" && $3 !~ /^cmwq_/')
[ -z "$bad" ] || fail "libcmwq.so exports: $bad"
bad=$(nm -g --defined-only "$ar" | awk 'NF == 3 && $3 !~ /^cmwq_/')
[ -z "$bad" ] || fail "libcmwq.a defines: $bad"
say "nm: only cmwq_ symbols in libcmwq.so and libcmwq.a"

# The manual opens from the prefix (man-db's man, where installed).
if command -v man >/dev/null 2>&1; then
	for page in queue_work system_wq alloc_workqueue cmwq cmwq-top ksort; do
		MANPAGER=cat MANWIDTH=80 man -M "$prefix/share/man" "$page" \
			>/dev/null 2>&1 || fail "man $page"
	done
	say "man: pages open from $prefix/share/man"
else
	say "man not installed: manual not opened"
fi

# The API audit (tests/audit): each program, built against the installed
# headers and library with pkg-config's flags only, runs; 77 is a skip.
n=0 skipped=0
for f in "$src"/tests/audit/*.c; do
	stem=$(basename "$f" .c)
	cc -std=gnu11 -Wall -Wextra -Werror -I"$src/tests/audit" \
		$(pkg-config --cflags cmwq) -o "$work/audit-$stem" "$f" \
		$(pkg-config --libs cmwq) || fail "audit $stem: does not compile"
	rc=0
	"$work/audit-$stem" || rc=$?
	case $rc in
	0) ;;
	77) skipped=$((skipped + 1)) ;;
	*) fail "audit $stem: exit $rc" ;;
	esac
	n=$((n + 1))
done
say "audit: $n programs against the installed headers, $skipped skipped"

# The tools are installed and answer --version.
for t in cmwq-top cmwq-dump cmwq-demo ksort simrupt; do
	[ -x "$prefix/bin/$t" ] || fail "$t not installed"
	"$prefix/bin/$t" --version >/dev/null 2>&1 || fail "$t --version"
done
say "ok"
