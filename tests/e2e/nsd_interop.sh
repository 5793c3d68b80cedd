#!/bin/bash
# nsd_interop.sh BUILD_DIR - RMX records published through a stock DNS
# server come back byte for byte.
#
# A zone with RMX records of every entry type (names with escapes, a quoted
# tlsldap URL with ';' and a blank, relative names, an unknown type, zero
# entries) is compiled with `rmx zone compile` (RMX -> TYPE65280 \# ...),
# accepted by nsd-checkzone, and served by NSD on 127.0.0.1 (private
# config, free port, stopped by PID; tests/e2e/lib.sh).  For each owner,
# `dig +short` of TYPE65280 must equal `rmx record encode` of the same
# entries written with absolute names, and `rmx record decode` of what dig
# printed must give the canonical text.  The APL record is read back too,
# and `rmx check --server` runs over it once for each outcome.
#
# Fails (never skips) when nsd, nsd-checkzone or dig is missing.
set -u
build=${1:?usage: $0 BUILD_DIR}
rmx=$build/rmx
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
passed=0
failed=0
work=$(mktemp -d /tmp/rmx-nsd-interop.XXXXXX)
trap 'nsd_stop_all; rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

e2e_need nsd nsd-checkzone nsd-checkconf dig || exit 1
[ -x "$rmx" ] || { echo "FAIL: $rmx not built"; exit 1; }

sha256=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0
sha1=00112233445566778899aabbccddeeff00112233

cat >"$work/interop.zone" <<EOF
\$ORIGIN interop.example.
\$TTL 300
@	IN SOA ns1 hostmaster ( 1 3600 600 86400 300 )
@	IN NS ns1
ns1	IN A 127.0.0.1
; every entry type, relative names against the origin
@	IN RMX ( fulladdr !ip4:192.0.2.66 ip4:192.0.2.0/24
	 ip6:2001:db8::/32 ip6:2001:db8::1 host:relay apl:_senders
	 mx mx:other.example. member sasl ip4:0.0.0.0/1 )
tls	IN rmx tlsfp:sha256:$sha256 tlsfp:sha1:$sha1 pgp:0123abcd
ldap	IN RMX tlsldap:"ldap://ldap.example/o=ex;c=de x" ; comment after
; escapes in names, on the owner and inside the data
john\.doe	IN RMX ip4:203.0.113.7 host:we\.ird\032name.interop.example.
esc	IN RMX host:A\\\\b\.c.example. !mx:MiXeD.Example.
none	IN RMX none
unknown	IN RMX type100:abcd type7:
zero	IN TYPE65280 \# 0
_senders	IN APL 1:192.0.2.0/24 !1:192.0.2.66/32 2:2001:db8::/32
relay	IN A 198.51.100.1
EOF

# owner | the same entries with absolute names (for rmx record encode)
cat >"$work/expect" <<EOF
interop.example|fulladdr !ip4:192.0.2.66 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip6:2001:db8::1 host:relay.interop.example. apl:_senders.interop.example. mx mx:other.example. member sasl ip4:0.0.0.0/1
tls.interop.example|tlsfp:sha256:$sha256 tlsfp:sha1:$sha1 pgp:0123abcd
ldap.interop.example|tlsldap:"ldap://ldap.example/o=ex;c=de x"
john\.doe.interop.example|ip4:203.0.113.7 host:we\.ird\032name.interop.example.
esc.interop.example|host:A\\\\b\.c.example. !mx:MiXeD.Example.
none.interop.example|none
unknown.interop.example|type100:abcd type7:
EOF

if ! "$rmx" zone compile -o "$work/interop.nsd" "$work/interop.zone" \
	2>"$work/compile.err"; then
	echo "FAIL: rmx zone compile: $(cat "$work/compile.err")"
	exit 1
fi
ok
if ! nsd-checkzone interop.example "$work/interop.nsd" >"$work/cz" 2>&1; then
	echo "FAIL: nsd-checkzone: $(cat "$work/cz")"
	cat "$work/interop.nsd"
	exit 1
fi
ok

port=$(nsd_serve "$work/nsd" interop.example "$work/interop.nsd") || exit 1

# "\# 6 010418C00002" or "\# 6 0104 18C00002" -> "\# 6 010418c00002"
normalize() {
	tr 'A-F' 'a-f' | awk '{
		s = $1 " " $2
		if (NF > 2) s = s " "
		for (i = 3; i <= NF; i++) s = s $i
		print s
	}'
}

while IFS='|' read -r owner entries; do
	want=$("$rmx" record encode "$entries" 2>&1) || {
		bad "record encode '$entries': $want"
		continue
	}
	got=$(dig +short +time=2 +tries=1 -p "$port" @127.0.0.1 "$owner" \
		TYPE65280 2>&1 | normalize)
	if [ "$got" = "$want" ]; then
		ok
	else
		bad "$owner: dig gave '$got', want '$want'"
		continue
	fi
	canon=$("$rmx" record decode "$want" 2>&1)
	back=$("$rmx" record decode "$got" 2>&1)
	if [ -n "$canon" ] && [ "$back" = "$canon" ]; then
		ok
	else
		bad "$owner: decode of served data '$back', want '$canon'"
	fi
done <"$work/expect"

# zero entries: an empty RDATA
got=$(dig +short -p "$port" @127.0.0.1 zero.interop.example TYPE65280 |
	normalize)
if [ "$got" = '\# 0' ]; then ok; else bad "zero: got '$got'"; fi

# APL read back
got=$(dig +short -p "$port" @127.0.0.1 _senders.interop.example APL)
want='1:192.0.2.0/24 !1:192.0.2.66/32 2:2001:db8::/32'
if [ "$got" = "$want" ]; then ok; else bad "APL: got '$got', want '$want'"; fi

# Checks over real DNS (libunbound against NSD): one per outcome.
check() {
	local out
	out=$("$rmx" check --server "127.0.0.1:$port" --method rmx \
		--timeout 5000 --ip "$1" --sender "$2" 2>&1)
	case "$out" in
	"$3 "*) ok ;;
	*) bad "check $1 $2: want $3, got: $out" ;;
	esac
}
check 192.0.2.7 user@interop.example pass
check 192.0.2.66 user@interop.example fail
check 203.0.113.7 john.doe@interop.example pass
check 192.0.2.7 john.doe@interop.example fail
check 192.0.2.7 user@none.interop.example fail
check 192.0.2.7 user@nothing.interop.example none

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
