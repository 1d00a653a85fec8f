#!/bin/sh
# SPDX-License-Identifier: MIT
# Run a command in a clean clone of this repository inside a new Debian 12
# (bookworm) root that has only what a fresh machine has: a minbase system
# with build-essential, cmake, git and ca-certificates.  CI uses it to prove
# that the README's commands and the plain build need nothing more, and
# that the Debian packages install and work on a clean system.
#
#   scripts/fresh-root.sh [--copy DIR] -- COMMAND [ARG...]
#
# The clone is of the committed HEAD, at /src, where COMMAND runs as root.
# --copy DIR puts a copy of DIR at /in (e.g. built .deb files).  Needs root
# and debootstrap; the base root is made once per machine (a minute or two,
# from the mirror apt already uses) and kept as a tarball in
# $FRESH_ROOT_CACHE (default /var/cache/fresh-root); each call unpacks it
# anew, so nothing one call installs is seen by the next.  The exit status
# is COMMAND's.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
copy=""
while [ $# -gt 0 ]; do
	case $1 in
	--copy) copy=$(cd "$2" && pwd); shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--copy DIR] -- COMMAND..." >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "fresh-root: needs root" >&2; exit 2; }
command -v debootstrap >/dev/null ||
	{ echo "fresh-root: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

cache=${FRESH_ROOT_CACHE:-/var/cache/fresh-root}
base=$cache/bookworm-minbase.tar
mkdir -p "$cache"
if [ ! -s "$base" ]; then
	mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v security | head -n1 || true)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null || true)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	stage=$(mktemp -d /tmp/fresh-base.XXXXXX)
	echo "fresh-root: making the base root from $mirror (once)" >&2
	if ! debootstrap --variant=minbase \
		--include=build-essential,cmake,git,ca-certificates \
		bookworm "$stage" "$mirror" >"$cache/debootstrap.log" 2>&1; then
		echo "fresh-root: debootstrap failed, see $cache/debootstrap.log" >&2
		rm -rf "$stage"
		exit 2
	fi
	rm -f "$stage"/var/cache/apt/archives/*.deb
	tar -C "$stage" -cf "$base.tmp" . && mv "$base.tmp" "$base"
	rm -rf "$stage"
fi

root=$(mktemp -d /tmp/fresh-root.XXXXXX)
unmount_all() {
	for m in dev/shm dev/pts dev sys proc; do
		umount -l "$root/$m" 2>/dev/null || true
	done
	rm -rf --one-file-system "$root"
}
trap unmount_all EXIT INT TERM
tar -C "$root" -xf "$base"
# mktemp made the base's "." 0700, and tar restores that: a new system's
# / lets every user in (tests run parts of themselves as nobody).
chmod 0755 "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
git clone -q "$repo" "$root/src"
[ -z "$copy" ] || cp -r "$copy" "$root/in"
# A new machine's environment, not the caller's; CI=true as CI has it.
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/bin/sh -c 'cd /src && exec "$@"' fresh-root "$@"
