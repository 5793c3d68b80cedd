# lib.sh - shared helpers for end-to-end tests that run a real NSD on
# 127.0.0.1 from a private configuration (sourced by tests/e2e/*.sh; bash).
#
# Nothing here touches the system's NSD: every instance lives in a
# directory the caller gives (normally under a mktemp -d), with its own
# config, zone files, pid file and log, on a free unprivileged port, and is
# stopped by its PID.  No function calls exit; each returns non-zero and
# prints "FAIL: ..." on stderr when something goes wrong.
#
#   e2e_need TOOL...        return 1 with "FAIL: needs TOOL (apt-get install
#                           PKG)" when a tool is missing (tests fail, never
#                           skip, when a tool is missing)
#   e2e_free_port           print a port on 127.0.0.1 that is free for both
#                           UDP and TCP right now (20000-60999)
#   nsd_write_conf DIR PORT NAME FILE [NAME FILE]...
#                           copy each zone FILE into DIR and write
#                           DIR/nsd.conf serving the zones NAME on
#                           127.0.0.1@PORT (rate limiting off, no database,
#                           no privilege drop)
#   nsd_start DIR           start NSD with DIR/nsd.conf (nsd-checkconf
#                           first), wait up to 10 s until it answers the SOA
#                           of its first zone; the PID is in DIR/nsd.pid and
#                           the port in DIR/port.  On failure prints the log.
#   nsd_stop DIR            stop that NSD by its PID and wait for it to exit
#   nsd_serve DIR NAME FILE [NAME FILE]...
#                           all of the above: free port, config, start;
#                           prints the port
#   nsd_stop_all            stop every NSD started through this file and
#                           remove the small registry file that lists them
#                           (put it in the caller's EXIT trap)
#   shim_nsd_start DIR NAME FILE
#                           nsd_serve for one zone (the name
#                           tests/e2e/unbound_lib.sh looks for)
#
# Typical use:
#   . "$here/lib.sh"
#   work=$(mktemp -d); trap 'nsd_stop_all; rm -rf "$work"' EXIT
#   e2e_need nsd dig || exit 1
#   port=$(nsd_serve "$work/nsd" example.com zone.txt) || exit 1
#   dig +short -p "$port" @127.0.0.1 example.com TYPE65280

# Directories of the NSDs started here, one per line.  A file, not a
# variable: nsd_serve usually runs in a $(...) subshell.
E2E_NSD_REGISTRY=$(mktemp /tmp/rmx-e2e-nsd.XXXXXX)

e2e_need() {
	local t pkg
	for t in "$@"; do
		if ! command -v "$t" >/dev/null 2>&1; then
			case $t in
			nsd|nsd-checkzone|nsd-checkconf) pkg=nsd ;;
			dig) pkg=dnsutils ;;
			kdig) pkg=knot-dnsutils ;;
			ldns-*) pkg=ldnsutils ;;
			*) pkg=$t ;;
			esac
			echo "FAIL: needs $t (apt-get install $pkg)" >&2
			return 1
		fi
	done
	return 0
}

# A port is free when both a UDP and a TCP socket can bind it.
e2e_port_is_free() {
	local port=$1
	if command -v ss >/dev/null 2>&1; then
		ss -Hlnu "sport = :$port" 2>/dev/null | grep -q . && return 1
		ss -Hlnt "sport = :$port" 2>/dev/null | grep -q . && return 1
		return 0
	fi
	# no ss: ask bash's /dev/tcp whether something listens
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 1
	return 0
}

e2e_free_port() {
	local i port
	for i in $(seq 1 50); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 41000))
		if e2e_port_is_free "$port"; then
			echo "$port"
			return 0
		fi
	done
	echo "FAIL: no free port found" >&2
	return 1
}

nsd_write_conf() {
	local dir=$1 port=$2 name file base
	shift 2
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	{
		echo "server:"
		echo "  ip-address: 127.0.0.1"
		echo "  port: $port"
		echo "  zonesdir: \"$dir\""
		echo "  pidfile: \"$dir/nsd.pid\""
		echo "  database: \"\""
		echo "  username: \"\""
		echo "  xfrdfile: \"$dir/xfrd.state\""
		echo "  zonelistfile: \"$dir/zone.list\""
		echo "  logfile: \"$dir/nsd.log\""
		echo "  server-count: 1"
		echo "  verbosity: 1"
		echo "  rrl-ratelimit: 0"
		echo "remote-control:"
		echo "  control-enable: no"
	} >"$dir/nsd.conf"
	while [ $# -ge 2 ]; do
		name=$1 file=$2
		shift 2
		base=zone-${name%.}.txt
		cp "$file" "$dir/$base" || return 1
		{
			echo "zone:"
			echo "  name: \"$name\""
			echo "  zonefile: \"$base\""
		} >>"$dir/nsd.conf"
		[ -f "$dir/first-zone" ] || echo "$name" >"$dir/first-zone"
	done
	echo "$port" >"$dir/port"
	# An NSD built without rate limiting rejects rrl-* options.
	if ! nsd-checkconf "$dir/nsd.conf" >/dev/null 2>&1; then
		sed -i '/rrl-ratelimit/d' "$dir/nsd.conf"
	fi
	return 0
}

nsd_start() {
	local dir=$1 port zone i pid
	port=$(cat "$dir/port") || return 1
	zone=$(cat "$dir/first-zone") || return 1
	if ! nsd-checkconf "$dir/nsd.conf" >"$dir/checkconf.out" 2>&1; then
		echo "FAIL: nsd-checkconf $dir/nsd.conf:" >&2
		cat "$dir/checkconf.out" >&2
		return 1
	fi
	rm -f "$dir/nsd.pid"
	if ! nsd -c "$dir/nsd.conf" >"$dir/nsd.out" 2>&1; then
		echo "FAIL: nsd did not start:" >&2
		cat "$dir/nsd.out" "$dir/nsd.log" >&2 2>/dev/null
		return 1
	fi
	echo "$dir" >>"$E2E_NSD_REGISTRY"
	for i in $(seq 1 100); do
		if [ -s "$dir/nsd.pid" ] &&
		    dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 \
			"$zone" SOA 2>/dev/null | grep -q .; then
			return 0
		fi
		pid=$(cat "$dir/nsd.pid" 2>/dev/null)
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	echo "FAIL: nsd on port $port does not answer for $zone; log:" >&2
	cat "$dir/nsd.log" >&2 2>/dev/null
	nsd_stop "$dir"
	return 1
}

nsd_stop() {
	local dir=$1 pid i
	pid=$(cat "$dir/nsd.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null
	fi
	rm -f "$dir/nsd.pid"
	return 0
}

nsd_serve() {
	local dir=$1 port
	shift
	port=$(e2e_free_port) || return 1
	nsd_write_conf "$dir" "$port" "$@" || return 1
	nsd_start "$dir" || return 1
	echo "$port"
}

nsd_stop_all() {
	local d
	if [ -f "$E2E_NSD_REGISTRY" ]; then
		while read -r d; do
			nsd_stop "$d"
		done <"$E2E_NSD_REGISTRY"
		rm -f "$E2E_NSD_REGISTRY"
	fi
}

shim_nsd_start() {
	nsd_serve "$1" "$2" "$3"
}
