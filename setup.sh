#!/bin/sh
# setup.sh - Quick start, step 1: install what rmx needs (Debian 12, as
# root), build it into build/, and run a real check on the bundled example
# zone.  Safe to run again.
set -eu
cd "$(dirname "$0")"

PACKAGES="meson ninja-build pkg-config gcc libc6-dev python3
libunbound-dev libevent-dev libldns-dev libcmocka-dev libyaml-dev
nsd ldnsutils dnsutils bind9-utils knot-dnsutils valgrind clang-14 libclang-rt-14-dev
libspf2-dev python3-spf"

if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
else
	echo "setup.sh: not root: skipping apt-get (needs: $PACKAGES)" >&2
fi

[ -f build/build.ninja ] || meson setup build
ninja -C build

echo
echo "== rmx check on examples/example.com.zone =="
set -x
build/rmx check --zone examples/example.com.zone \
	--ip 192.0.2.7 --sender alice@example.com --helo mail.example.com
build/rmx check --zone examples/example.com.zone \
	--ip 198.51.100.9 --sender alice@example.com --helo mail.example.com
