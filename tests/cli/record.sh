#!/bin/sh
# record.sh - black-box test of `rmx record`: golden outputs and exit codes.
# Usage: record.sh PATH/TO/rmx
RMX=${1:?usage: record.sh PATH/TO/rmx}
pass=0 fail=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# check NAME WANT_EXIT WANT_STDOUT WANT_STDERR_PART -- ARGS...
check() {
	name=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 5
	"$RMX" "$@" >"$out" 2>"$err"
	rc=$?
	got_out=$(cat "$out")
	if [ "$rc" != "$want_rc" ]; then
		echo "FAIL $name: exit $rc, want $want_rc ($(cat "$err"))"
		fail=$((fail + 1))
	elif [ "$want_out" != "*" ] && [ "$got_out" != "$want_out" ]; then
		echo "FAIL $name: got '$got_out', want '$want_out'"
		fail=$((fail + 1))
	elif [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$err"; then
		echo "FAIL $name: stderr '$(cat "$err")' lacks '$want_err'"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

golden='\# 27 010418c0000283130572656c6179076578616d706c65036e657400'
check encode-golden 0 "$golden" "" -- \
	record encode 'ip4:192.0.2.0/24' '!host:relay.example.net.'
check encode-one-arg 0 "$golden" "" -- \
	record encode 'ip4:192.0.2.0/24 !host:relay.example.net'
check encode-hex 0 '010418c0000283130572656c6179076578616d706c65036e657400' "" -- \
	record encode --hex 'ip4:192.0.2.0/24' '!host:relay.example.net.'
check encode-rmx-md 0 '\# 6 010418c00002' "" -- record encode ip4:192.0.2.0/24
check encode-empty 0 '\# 0' "" -- record encode ''
check encode-empty-hex 0 '' "" -- record encode --hex ''
check decode-golden 0 'ip4:192.0.2.0/24 !host:relay.example.net.' "" -- \
	record decode "$golden"
check decode-split 0 'ip4:192.0.2.0/24 !host:relay.example.net.' "" -- \
	record decode 010418c00002 8313 0572656c6179076578616d706c65036e657400
check decode-canonical 0 'ip6:2001:db8::/32 mx:mail.example. tlsldap:"a\"b"' "" -- \
	record decode "$("$RMX" record encode --hex 'IP6:2001:DB8:0::/32' 'MX:Mail.Example' 'tlsldap:a\"b')"
check decode-unknown 0 'type100:abcd !type101' "" -- record decode 6402abcd e500
check decode-empty 0 '' "" -- record decode '\# 0'

# malformed input: exit 1, message says what and where
check decode-prefix 1 '' 'rmx: malformed RMX record: entry 2 (ip4) at octet 6: prefix 33 out of range 0-32' -- \
	record decode 010418c00002 010521c0000200
check decode-length 1 '' 'entry 1 (ip4) at octet 0: LENGTH 5 runs past the end' -- \
	record decode 0105 18c00002
check decode-pointer 1 '' 'entry 1 (host) at octet 0: compression pointer' -- \
	record decode 0302c00c
check decode-badhex 1 '' 'rmx: bad hex at character 2' -- record decode 01zz
check decode-hexlen 1 '' 'says 3 octets' -- record decode '\# 3 0000'
check encode-bad 1 '' "rmx: bad RMX entry at character 3: 'ip4:192.0.2.1/24': address bits set past prefix /24" -- \
	record encode 'mx ip4:192.0.2.1/24'
check encode-unknown 1 '' "unknown entry type 'ipv4'" -- record encode ipv4:192.0.2.1
check encode-256 1 '' 'longer than 255' -- \
	record encode "pgp:$(printf '%0512d' 0)"

# usage: exit 2
check usage-none 2 '' "(try 'rmx record --help')" -- record
check usage-cmd 2 '' "unknown record command" -- record frobnicate
check usage-option 2 '' "unknown option '--bogus'" -- record encode --bogus mx
check usage-noargs 2 '' "no entries" -- record encode
check usage-decode 2 '' "no hex" -- record decode
check help 0 '*' "" -- record --help
if ! "$RMX" record --help | grep -q 'rmx record encode' ||
   ! "$RMX" record --help | grep -q 'rmx record decode'; then
	echo "FAIL help: does not list encode and decode"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
