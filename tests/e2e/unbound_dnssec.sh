#!/bin/bash
# unbound_dnssec.sh BUILD_DIR - DNSSEC through libunbound, end to end.
#
# The zone is signed here with ldns-keygen/ldns-signzone and served by NSD.
# With the KSK as trust anchor, `rmx check` validates: dnssec=secure and the
# right verdict.  A copy of the signed zone with one RDATA octet of the RMX
# RR changed (still a well-formed RMX record, so only the signature tells)
# must end in temperror with dnssec=bogus.  Without a trust anchor the same
# good zone is dnssec=insecure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/unbound_lib.sh"
ub_init "${1:?usage: $0 BUILD_DIR}"
ub_need nsd nsd-checkconf dig ldns-keygen ldns-signzone

z=$UB_WORK/sign
mkdir -p "$z"
cat >"$z/example.com.rmx" <<'EOF'
$ORIGIN example.com.
$TTL 300
@	IN SOA ns1 hostmaster 1 3600 600 86400 300
@	IN NS ns1
ns1	IN A 127.0.0.1
@	IN RMX ip4:192.0.2.0/24 host:relay.example.com.
relay	IN A 198.51.100.7
EOF
"$RMX" zone compile --origin example.com. -o "$z/example.com.zone" \
	"$z/example.com.rmx" || { echo "FAIL: rmx zone compile"; exit 1; }
(
	cd "$z" || exit 1
	zsk=$(ldns-keygen -a ECDSAP256SHA256 example.com) || exit 1
	ksk=$(ldns-keygen -a ECDSAP256SHA256 -k example.com) || exit 1
	ldns-signzone -n -f example.com.signed example.com.zone "$ksk" "$zsk" ||
		exit 1
	cp "$ksk.key" ta.key
) || { echo "FAIL: signing the zone with ldns-signzone"; exit 1; }

# The bogus copy: change the last octet of the RMX RR's RDATA (the host
# name's root label stays; the ip4 entry 192.0.2.0/24 becomes
# 192.0.3.0/24: change "18c00002" to "18c00003").
sed -e '/IN[[:space:]]*TYPE65280[[:space:]]/s/18c00002/18c00003/' \
	"$z/example.com.signed" >"$z/example.com.bogus"
if cmp -s "$z/example.com.signed" "$z/example.com.bogus"; then
	echo "FAIL: could not find the RMX RDATA to change in the signed zone"
	grep TYPE65280 "$z/example.com.signed"
	exit 1
fi

good=$(ub_serve_zone example.com "$z/example.com.signed")
ub_adopt_pids
bad=$(ub_serve_zone example.com "$z/example.com.bogus")
ub_adopt_pids
[ -n "$good" ] && [ -n "$bad" ] || { echo "FAIL: could not start NSD"; exit 1; }

check() {
	ub_run "$RMX" check --method rmx --timeout 5000 --sender a@example.com \
		"$@"
}

# ip, expected result
for c in "192.0.2.9 pass" "198.51.100.7 pass" "203.0.113.1 fail"; do
	set -- $c
	check --server "127.0.0.1:$good" --trust-anchor "$z/ta.key" --ip "$1" ||
		continue
	ub_expect "$2" && ub_expect_has "dnssec=secure" &&
		ub_ok "signed zone, client $1: $2, dnssec=secure"
done

check --server "127.0.0.1:$good" --ip 192.0.2.9 &&
	ub_expect pass && ub_expect_has "dnssec=insecure" &&
	ub_ok "signed zone without trust anchor: pass, dnssec=insecure"

check --server "127.0.0.1:$bad" --trust-anchor "$z/ta.key" --ip 192.0.2.9 &&
	ub_expect temperror && ub_expect_has "dnssec=bogus" &&
	ub_ok "RMX RDATA changed after signing: temperror, dnssec=bogus"

# Without validation the changed record is simply believed.
check --server "127.0.0.1:$bad" --ip 192.0.3.9 &&
	ub_expect pass && ub_ok "changed zone without trust anchor: believed"

# A trust anchor file that does not exist is bad input (exit 1).
check --server "127.0.0.1:$good" --trust-anchor "$z/missing.key" \
	--ip 192.0.2.9
if [ "$UB_RC" -eq 1 ] && [[ "$UB_ERR" == rmx:*missing.key* ]]; then
	ub_ok "missing trust anchor file: exit 1 with a message"
else
	ub_fail "missing trust anchor: exit $UB_RC, stderr: $UB_ERR"
fi
ub_done
