#!/bin/bash
# unbound_parallel.sh BUILD_DIR - independent lookups run in parallel
# (RMX.md 2, "Limits"): a check over real DNS costs its longest chain of
# dependent lookups, not the sum of them.
#
# NSD serves example.com with an RMX record of 8 `host:` entries, behind a
# dnsfake relay that delays every query by DELAY ms.  `rmx check` must then
# take about 2 round trips (the RMX lookup, then the 8 A lookups at once):
# elapsed < 4 x DELAY, and the relay sees exactly 1 + 8 queries.  Run for a
# client matching the last host (pass) and one matching none (fail).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/unbound_lib.sh"
ub_init "${1:?usage: $0 BUILD_DIR}"
ub_need nsd nsd-checkconf dig

DELAY=200

cat >"$UB_WORK/example.com.rmx" <<'EOF'
$ORIGIN example.com.
$TTL 300
@	IN SOA ns1 hostmaster 1 3600 600 86400 300
@	IN NS ns1
ns1	IN A 127.0.0.1
@	IN RMX host:h1.example.com. host:h2.example.com. host:h3.example.com. host:h4.example.com. host:h5.example.com. host:h6.example.com. host:h7.example.com. host:h8.example.com.
h1	IN A 192.0.2.1
h2	IN A 192.0.2.2
h3	IN A 192.0.2.3
h4	IN A 192.0.2.4
h5	IN A 192.0.2.5
h6	IN A 192.0.2.6
h7	IN A 192.0.2.7
h8	IN A 192.0.2.8
EOF
if ! "$RMX" zone compile --origin example.com. -o "$UB_WORK/example.com.zone" \
	"$UB_WORK/example.com.rmx"; then
	echo "FAIL: rmx zone compile"
	exit 1
fi
port=$(ub_serve_zone example.com "$UB_WORK/example.com.zone" "$DELAY")
ub_adopt_pids
[ -n "$port" ] || { echo "FAIL: could not start NSD and relay"; exit 1; }

# client, expected result
for c in "192.0.2.8 pass" "198.51.100.1 fail"; do
	set -- $c
	before=$(ub_queries "$port")
	ub_run "$RMX" check --server "127.0.0.1:$port" --method rmx \
		--timeout 10000 --ip "$1" --sender "user@example.com" || continue
	seen=$(( $(ub_queries "$port") - before ))
	ub_expect "$2" || continue
	if [ "$UB_MS" -ge $((4 * DELAY)) ]; then
		ub_fail "client $1: took $UB_MS ms, want < $((4 * DELAY)) ms" \
			"(2 round trips of $DELAY ms): lookups not parallel?"
		continue
	fi
	if [ "$seen" -ne 9 ]; then
		ub_fail "client $1: relay saw $seen queries, want 9" \
			"(1 RMX + 8 A)"
		continue
	fi
	ub_ok "client $1: $2 in $UB_MS ms with $seen queries (delay $DELAY ms)"
done
ub_done
