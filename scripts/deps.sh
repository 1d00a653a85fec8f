#!/bin/sh
# SPDX-License-Identifier: MIT
# Install what building and testing cmwq needs, from Debian's packages.
# Installs only what is missing; uses sudo when not root.
#   scripts/deps.sh        what the build and the test suite need
#   scripts/deps.sh --ci   and what CI's other checks need: clang, the
#                          Debian packaging tools, a fresh root, man
set -e
pkgs="build-essential cmake pkg-config libasan8 libubsan1 libtsan2"
# The benchmark's peers and the tracepoint header.
pkgs="$pkgs libuv1-dev libglib2.0-dev libtbb-dev systemtap-sdt-dev"
# rcu_work (optional part of the library: liburcu-memb).
pkgs="$pkgs liburcu-dev"
# The model checker for docs/model/wakeup.pml.
pkgs="$pkgs spin"
# The man pages are checked with groff and mandoc (tests/docs).
pkgs="$pkgs groff-base mandoc"
if [ "${1:-}" = "--ci" ]; then
	pkgs="$pkgs clang debhelper dpkg-dev lintian debootstrap man-db git"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
