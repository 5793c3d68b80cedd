# unbound_lib.sh - helpers for the real-DNS tests (tests/e2e/unbound_*.sh),
# sourced after tests/e2e/lib.sh (which starts and stops NSD); bash.
#
# Offers:
#   ub_init BUILD_DIR          set RMX, DNSFAKE, UB_WORK (a temp dir removed
#                              at exit, with every process started here)
#   ub_need TOOL...            fail (not skip) when a tool is missing
#   ub_start_nsd NAME FILE     serve zone NAME from FILE with NSD; prints
#                              the port
#   ub_serve_zone NAME FILE [DELAY_MS]
#                              serve zone NAME from FILE with NSD, behind a
#                              dnsfake relay delaying each query DELAY_MS
#                              (default 0); prints the relay's port and
#                              leaves the relay's count file path in
#                              $UB_WORK/relay-<port>.count
#   ub_fake MODE [ARG...]      start dnsfake in a fault mode; prints its port
#   ub_queries PORT            queries the relay/fake on PORT has seen
#   ub_run CMD...              run CMD under `timeout 30`; sets UB_OUT,
#                              UB_RC, UB_MS (elapsed); fails on a hang (124)
#                              or a crash (signal)
#   ub_expect WORD...          the first word of UB_OUT is one of WORD...
#   ub_expect_has TEXT         UB_OUT contains TEXT
#   ub_fail MSG / ub_ok MSG    count and report; ub_done prints the summary
# and exits 0 only when nothing failed.

UB_PASSED=0
UB_FAILED=0
UB_PIDS=()

ub_cleanup() {
	local pid
	if declare -F nsd_stop_all >/dev/null; then
		nsd_stop_all
	fi
	for pid in "${UB_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	if [ -n "${UB_WORK:-}" ] && [ -d "$UB_WORK" ]; then
		rm -rf "$UB_WORK"
	fi
}

ub_init() {
	local build=${1:?usage: ub_init BUILD_DIR}
	RMX=$build/rmx
	DNSFAKE=$build/tests/dnsfake
	[ -x "$RMX" ] || { echo "FAIL: $RMX not built" >&2; exit 1; }
	[ -x "$DNSFAKE" ] || { echo "FAIL: $DNSFAKE not built" >&2; exit 1; }
	UB_WORK=$(mktemp -d /tmp/rmx-e2e-unbound.XXXXXX)
	trap 'ub_cleanup' EXIT
	trap 'exit 1' INT TERM
}

ub_need() {
	e2e_need "$@" || exit 1
}

ub_fail() {
	echo "FAIL: $*"
	UB_FAILED=$((UB_FAILED + 1))
}

ub_ok() {
	echo "ok: $*"
	UB_PASSED=$((UB_PASSED + 1))
}

ub_done() {
	echo "$UB_PASSED passed, $UB_FAILED failed"
	[ "$UB_FAILED" -eq 0 ]
}

# Wait (up to 5 s) for FILE to exist and be non-empty.
ub_wait_file() {
	local i
	for i in $(seq 50); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# ub_start_dnsfake TAG ARG...: start dnsfake with ARGs; prints its port.
ub_start_dnsfake() {
	local tag=$1 pf
	shift
	pf=$UB_WORK/$tag.port
	"$DNSFAKE" --port-file "$pf" --count-file "$UB_WORK/$tag.count" \
		"$@" >/dev/null 2>"$UB_WORK/$tag.log" &
	echo $! >"$UB_WORK/$tag.pid"
	ub_wait_file "$pf" || {
		echo "FAIL: dnsfake $* did not start:" \
			"$(cat "$UB_WORK/$tag.log")" >&2
		return 1
	}
	ln -sf "$UB_WORK/$tag.count" "$UB_WORK/port-$(cat "$pf").count"
	cat "$pf"
}

# PIDs of processes started in command substitutions (subshells) are
# collected from $UB_WORK/*.pid by this, called once after starting.
ub_adopt_pids() {
	local f
	for f in "$UB_WORK"/*.pid; do
		[ -e "$f" ] || continue
		UB_PIDS+=("$(cat "$f")")
		rm -f "$f"
	done
}

ub_fake() {
	local mode=$1
	shift
	ub_start_dnsfake "fake-$mode-$RANDOM" --mode "$mode" "$@"
}

ub_serve_zone() {
	local name=$1 file=$2 delay=${3:-0} nsd_port
	nsd_port=$(ub_start_nsd "$name" "$file") || return 1
	ub_start_dnsfake "relay-$nsd_port" --relay "$nsd_port" \
		--delay-ms "$delay"
}

ub_queries() {
	cat "$UB_WORK/port-$1.count" 2>/dev/null || echo 0
}

ub_now_ms() {
	date +%s%3N
}

ub_run() {
	local start
	start=$(ub_now_ms)
	UB_OUT=$(timeout 30 "$@" 2>"$UB_WORK/stderr")
	UB_RC=$?
	UB_MS=$(( $(ub_now_ms) - start ))
	UB_ERR=$(cat "$UB_WORK/stderr")
	if [ "$UB_RC" -eq 124 ]; then
		ub_fail "hung (killed after 30 s): $*"
		return 1
	fi
	if [ "$UB_RC" -ge 128 ]; then
		ub_fail "crashed (exit $UB_RC): $* ($UB_ERR)"
		return 1
	fi
	return 0
}

ub_first_word() {
	set -- $UB_OUT
	echo "${1:-}"
}

ub_expect() {
	local got w
	got=$(ub_first_word)
	for w in "$@"; do
		[ "$got" = "$w" ] && return 0
	done
	ub_fail "want $*, got: $UB_OUT (exit $UB_RC, stderr: $UB_ERR)"
	return 1
}

ub_expect_has() {
	case "$UB_OUT" in
	*"$1"*) return 0 ;;
	esac
	ub_fail "want \"$1\" in: $UB_OUT"
	return 1
}

# ub_start_nsd NAME FILE: serve zone NAME from FILE with NSD on a free port
# (tests/e2e/lib.sh nsd_serve; stopped by nsd_stop_all at exit); prints
# the port.
ub_start_nsd() {
	local dir
	dir=$(mktemp -d "$UB_WORK/nsd.XXXXXX") || return 1
	nsd_serve "$dir" "$1" "$2"
}
