#!/bin/sh
# lint.sh - black-box test of `rmx record lint` and `rmx zone lint`:
# findings, their names, and exit codes (1 when a check would permerror).
# Usage: lint.sh PATH/TO/rmx
RMX=${1:?usage: lint.sh PATH/TO/rmx}
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# expect NAME WANT_EXIT WANT_STDOUT_PART -- ARGS...
expect() {
	name=$1 want_rc=$2 want=$3
	shift 4
	"$RMX" "$@" >"$dir/out" 2>&1
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $name: exit $rc, want $want_rc: $(cat "$dir/out")"
		fail=$((fail + 1))
	elif [ -n "$want" ] && ! grep -qF -- "$want" "$dir/out"; then
		echo "FAIL $name: output lacks '$want': $(cat "$dir/out")"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

expect clean 0 "" -- record lint 'ip4:192.0.2.0/24 mx'
[ -s "$dir/out" ] && { echo "FAIL clean: printed $(cat "$dir/out")"; fail=$((fail + 1)); }
expect limit 1 "[lookup-limit]" -- record lint 'host:a. host:b. host:c. host:d.
	host:e. host:f. host:g. host:h. host:i. host:j. host:k.'
expect pass-all 0 "authorizes every IPv4 client" -- record lint ip4:0.0.0.0/0
expect unknown 0 "[unknown-type]" -- record lint type100:00
expect mailbox 1 "[malformed]" -- record lint --mailbox fulladdr
expect bad-entry 1 "bad RMX entry" -- record lint ip4:192.0.2.1/33
expect usage 2 "no entries" -- record lint

cat >"$dir/z.zone" <<'ZONE'
$ORIGIN example.org.
$TTL 300
@ IN SOA ns hostmaster 1 2 3 4 5
@ IN NS ns
@ IN RMX fulladdr !ip4:192.0.2.66
@ IN RMX ip4:192.0.2.0/24
bob IN RMX fulladdr
ZONE
expect zone-order 1 "z.zone:5: example.org.: warning: 2 RRs and a negated entry" -- zone lint "$dir/z.zone"
expect zone-mailbox 1 "z.zone:7: bob.example.org.: error: RR 1 is malformed" -- zone lint "$dir/z.zone"
expect zone-summary 1 "2 RMX RRsets, 2 findings, 1 errors" -- zone lint "$dir/z.zone"
expect zone-missing 1 "rmx:" -- zone lint "$dir/nonexistent.zone"

# RRsets are grouped by owner on the wire form, case-insensitively and
# wherever the RRs stand in the file; a child whose parent has fulladdr is
# a per-mailbox record even when its label holds a dot.
cat >"$dir/g.zone" <<'ZONE'
$ORIGIN example.net.
@ IN SOA ns hostmaster 1 2 3 4 5
EXAMPLE.NET. IN RMX !ip4:192.0.2.66
john\.doe IN RMX ip4:192.0.2.1
www IN A 192.0.2.80
example.net. IN RMX fulladdr ip4:192.0.2.0/24
John\.Doe IN RMX fulladdr
ZONE
expect group-order 1 "g.zone:3: EXAMPLE.NET.: warning: 2 RRs and a negated entry" -- zone lint "$dir/g.zone"
expect group-mailbox 1 "g.zone:4: john\\.doe.example.net.: error: RR 2 is malformed" -- zone lint "$dir/g.zone"
expect group-summary 1 "2 RMX RRsets, 2 findings, 1 errors" -- zone lint "$dir/g.zone"

# A big zone is linted in about linear time: 100,000 owners (each a
# per-mailbox record under the apex) took 48 s with pairwise grouping.
awk 'BEGIN {
	print "$ORIGIN big.example."
	print "@ IN SOA ns hostmaster 1 2 3 4 5"
	print "@ IN RMX fulladdr ip4:192.0.2.0/24"
	for (i = 0; i < 100000; i++)
		printf "u%d IN RMX ip4:192.0.2.%d\n", i, i % 256
}' >"$dir/big.zone"
if command -v timeout >/dev/null; then
	expect big-zone 0 "100001 RMX RRsets, 0 findings, 0 errors" -- \
		zone lint "$dir/big.zone"
	# expect runs rmx directly; time it again under a bound
	if ! timeout 20 "$RMX" zone lint "$dir/big.zone" >/dev/null; then
		echo "FAIL big-zone-time: zone lint of 100,000 RRsets took over 20 s"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
else
	echo "FAIL big-zone-time: needs timeout(1) (coreutils)"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
