#!/bin/bash
# example_zone.sh RMX - the bundled examples/example.com.zone does what its
# comments say: checks against it through the in-memory zone backend
# (`rmx check --zone`), and `rmx zone compile` turns it into a zone that
# nsd-checkzone accepts, with every RMX record as TYPE65280.
set -u
rmx=${1:?usage: $0 PATH_TO_RMX}
here=$(cd "$(dirname "$0")" && pwd)
zone=$here/../../examples/example.com.zone
. "$here/lib.sh"
passed=0
failed=0
work=$(mktemp -d /tmp/rmx-example-zone.XXXXXX)
trap 'nsd_stop_all; rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check IP SENDER RESULT METHOD ENTRY [OPTIONS...]: first word, method
# and entry
check() {
	local out want="$3 method=$4 " entry=$5 ip=$1 sender=$2
	shift 5
	out=$("$rmx" check --zone "$zone" --ip "$ip" --sender "$sender" "$@" 2>&1)
	case "$out" in
	"$want"*"entry=\"$entry\""*) ok ;;
	*) bad "check $1 $2: want '$want... entry=\"$entry\"', got: $out" ;;
	esac
}

e2e_need nsd-checkzone || exit 1
[ -f "$zone" ] || { echo "FAIL: $zone missing"; exit 1; }

# the office network, and the denied host inside it
check 192.0.2.10 alice@example.com pass rmx "ip4:192.0.2.0/24"
check 192.0.2.66 alice@example.com fail rmx "!ip4:192.0.2.66"
# the MX host over IPv6 (no ip6 entry: found through mx)
check 2001:db8::25 alice@example.com pass rmx "mx"
# the APL list: its negated item first, then the /24 and the IPv6 /48
check 198.51.100.5 bob@example.com pass rmx "apl:_senders.example.com."
check 198.51.100.99 bob@example.com fail rmx "apl:_senders.example.com."
check 2001:db8:100::1 bob@example.com pass rmx "apl:_senders.example.com."
# nobody listed
check 203.0.113.50 bob@example.com fail rmx ""
# john.doe has his own record: the office network is not in it
check 203.0.113.7 john.doe@example.com pass rmx "ip4:203.0.113.7"
check 192.0.2.10 john.doe@example.com fail rmx ""
# a domain that sends no mail
check 192.0.2.10 x@none.example.com fail rmx "none"
# SPF only: the check falls back to SPF
check 203.0.113.9 x@spf-only.example.com pass spf "ip4:203.0.113.0/24"
check 192.0.2.10 x@spf-only.example.com fail spf "-all"
# a domain the zone does not have
check 192.0.2.10 x@other.example.org none spf ""
# --method spf: example.com's SPF record alone, as RFC 7208 reads it
check 192.0.2.10 alice@example.com pass spf "ip4:192.0.2.0/24" --method spf
check 192.0.2.66 alice@example.com fail spf "-ip4:192.0.2.66" --method spf
check 2001:db8::25 alice@example.com pass spf "mx" --method spf
check 198.51.100.5 bob@example.com fail spf "-all" --method spf
check 192.0.2.10 x@none.example.com fail spf "-all" --method spf
# --method rmx: no fallback for the SPF-only domain
check 203.0.113.9 x@spf-only.example.com none rmx "" --method rmx

# compile for a stock server
if "$rmx" zone compile -o "$work/example.com.nsd" "$zone" 2>"$work/err"; then
	ok
else
	bad "zone compile: $(cat "$work/err")"
fi
if nsd-checkzone example.com "$work/example.com.nsd" >"$work/check" 2>&1; then
	ok
else
	bad "nsd-checkzone: $(cat "$work/check")"
fi
n=$(grep -c 'IN	TYPE65280	\\# ' "$work/example.com.nsd")
if [ "$n" = 3 ]; then ok; else bad "want 3 TYPE65280 records, got $n"; fi
if grep -q '	RMX	' "$work/example.com.nsd"; then
	bad "RMX mnemonic left in the compiled zone"
else
	ok
fi
# --type-code changes the code
"$rmx" zone compile --type-code 65300 "$zone" >"$work/t65300" 2>&1
n=$(grep -c 'IN	TYPE65300	\\# ' "$work/t65300")
if [ "$n" = 3 ]; then ok; else bad "--type-code 65300: got $n records"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
