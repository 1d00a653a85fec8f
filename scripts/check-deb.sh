#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the Debian packages (libcmwq0, libcmwq-dev, cmwq-tools) from the
# committed HEAD with dpkg-buildpackage, check them with lintian (no error
# allowed), then install them in a fresh Debian 12 root and build and run
# examples/consumer against them, shared and static, with pkg-config and
# with find_package (scripts/check-install.sh).
#
#   scripts/check-deb.sh [OUT_DIR]     the .deb files are left in OUT_DIR
# Needs root, dpkg-dev, debhelper, lintian, debootstrap and the packages'
# build dependencies (scripts/deps.sh --ci installs them).
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/cmwq-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=${1:-$work/debs}
mkdir -p "$out"
git clone -q . "$work/cmwq"
(cd "$work/cmwq" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
	tail -n 60 "$work/build.log" >&2
	echo "check-deb: dpkg-buildpackage failed" >&2
	exit 1
}
changes=$(ls "$work"/cmwq_*.changes)
echo "check-deb: built $(ls "$work"/*.deb | xargs -n1 basename | tr '\n' ' ')"
lintian --fail-on error --tag-display-limit 0 "$changes" || {
	echo "check-deb: lintian reports errors" >&2
	exit 1
}
echo "check-deb: lintian: no errors"
cp "$work"/libcmwq0_*.deb "$work"/libcmwq-dev_*.deb "$work"/cmwq-tools_*.deb "$out"/
sh scripts/fresh-root.sh --copy "$out" -- sh -c '
	set -e
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq pkg-config man-db /in/*.deb >/dev/null
	dpkg -l libcmwq0 libcmwq-dev cmwq-tools | tail -n 3
	CMWQ_PREFIX=/usr sh scripts/check-install.sh'
echo "check-deb: ok"
