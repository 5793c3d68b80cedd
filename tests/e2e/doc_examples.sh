#!/bin/bash
# doc_examples.sh RMX SRCDIR - the examples of doc/rmx-record.5 are true:
#   - every zone file under ZONE FILES, after `rmx zone compile`, loads in
#     nsd-checkzone (and the BIND one in named-checkzone), and its RMX
#     records come out as the RFC 3597 RDATA the page prints next to them;
#   - every row of the EXAMPLES table encodes to its RDATA and decodes back.
# The text is read from the page itself, so the page cannot drift.
set -u
rmx=${1:?usage: $0 PATH_TO_RMX SRCDIR}
src=${2:?usage: $0 PATH_TO_RMX SRCDIR}
page=$src/doc/rmx-record.5
passed=0
failed=0
work=$(mktemp -d /tmp/rmx-doc-examples.XXXXXX)
trap 'rm -rf "$work"' EXIT

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

for tool in nsd-checkzone named-checkzone; do
	command -v "$tool" >/dev/null ||
		{ echo "FAIL: $tool not found (apt-get install nsd bind9-utils)"; exit 1; }
done
[ -f "$page" ] || { echo "FAIL: $page missing"; exit 1; }

# troff source -> text: \e is a backslash, \- a minus, \(aq a quote
untroff() { sed -e 's/\\e/\\/g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" \
	-e 's/\\f[BIRP]//g'; }

# The .EX blocks between ".SH ZONE FILES" and the next .SH, one file each.
awk -v dir="$work" '
	/^\.SH / { inzone = ($0 ~ /^\.SH ZONE FILES/) }
	inzone && /^\.EX/ { n++; file = sprintf("%s/zone%d.in", dir, n); next }
	inzone && /^\.EE/ { file = ""; next }
	file != "" { print > file }
' "$page"
n=0
for raw in "$work"/zone*.in; do
	[ -e "$raw" ] || { bad "no zone examples found in $page"; break; }
	n=$((n + 1))
	zone=${raw%.in}.zone
	untroff <"$raw" >"$zone"
	# the apex: $ORIGIN, or else the owner of the SOA
	apex=$(awk '$1 == "$ORIGIN" { print $2; exit }
		$3 == "SOA" || $4 == "SOA" { print $1; exit }' "$zone")
	if ! "$rmx" zone compile -o "$zone.out" "$zone" 2>"$work/err"; then
		bad "zone example $n: rmx zone compile: $(cat "$work/err")"
		continue
	fi
	if nsd-checkzone "$apex" "$zone.out" >"$work/err" 2>&1; then ok; else
		bad "zone example $n ($apex): nsd-checkzone: $(cat "$work/err")"
	fi
	if grep -q '^@.*TYPE65280 .*69 (' "$zone"; then
		if named-checkzone -q "$apex" "$zone.out"; then ok; else
			bad "zone example $n: named-checkzone refuses it"
		fi
	fi
done
[ "$n" -ge 4 ] || bad "found $n zone examples, want 4"

# The rmx zone and the BIND zone are one zone: same RMX RDATA.
if [ -f "$work/zone1.zone.out" ] && [ -f "$work/zone2.zone.out" ]; then
	rmx_rrs() { awk '!/^;/ && /TYPE65280/ { $2 = ""; print }' "$1"; }
	a=$(rmx_rrs "$work/zone1.zone.out")
	b=$(rmx_rrs "$work/zone2.zone.out")
	if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else
		bad "the rmx and BIND zone examples differ: '$a' vs '$b'"
	fi
fi

# The EXAMPLES table: "\fBTEXT\fP<TAB>\e# LEN HEX" rows (and "(no entries)").
rows=0
while IFS=$'\t' read -r text rdata; do
	rows=$((rows + 1))
	[ "$text" = "(no entries)" ] && text=""
	got=$("$rmx" record encode "$text" 2>&1)
	if [ "$got" = "$rdata" ]; then ok; else
		bad "encode '$text': got '$got', want '$rdata'"
	fi
	got=$("$rmx" record decode "$rdata" 2>&1)
	if [ "$got" = "$text" ]; then ok; else
		bad "decode '$rdata': got '$got', want '$text'"
	fi
done < <(sed -n '/^\.SH EXAMPLES/,/^\.TE/p' "$page" | grep -P '\t' |
	grep -v '^Presentation' | untroff)
[ "$rows" -ge 9 ] || bad "found $rows rows in the EXAMPLES table, want 9"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
