#!/bin/sh
# edges.sh - the `rmx` command at its edges, as an administrator meets it:
# --help and -h on every subcommand, exit codes 0/1/2 with one "rmx: " line,
# and inputs that once went wrong (a relative --origin crashed `zone
# compile`; `-o` naming the zone file itself emptied it; a backslash at the
# end of a zone-file line became an escaped blank).
# Usage: edges.sh PATH/TO/rmx
RMX=${1:?usage: edges.sh PATH/TO/rmx}
pass=0 fail=0
work=$(mktemp -d /tmp/rmx-cli-edges.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=$work/out err=$work/err

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# run NAME WANT_EXIT STDOUT_PART STDERR_PART -- ARGS...: the exit status,
# and each non-empty PART found in its stream; with exit 1, stderr's first
# line starts "rmx: ".
run() {
	name=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 5
	"$RMX" "$@" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		bad "$name: exit $rc, want $want_rc ($(head -c 300 "$err"))"
	elif [ -n "$want_out" ] && ! grep -qF -- "$want_out" "$out"; then
		bad "$name: stdout '$(head -c 300 "$out")' lacks '$want_out'"
	elif [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$err"; then
		bad "$name: stderr '$(cat "$err")' lacks '$want_err'"
	elif [ "$want_rc" = 1 ] && { [ "$(wc -l <"$err")" != 1 ] ||
	    [ "$(head -c 5 "$err")" != "rmx: " ]; }; then
		bad "$name: stderr is not one 'rmx: ' line: $(cat "$err")"
	else
		ok
	fi
}

# --help and -h: usage on stdout, exit 0, for every subcommand
for cmd in "record" "record encode" "record decode" "record lint" \
    "zone" "zone compile" "zone lint" "check" "suite"; do
	for h in --help -h; do
		# shellcheck disable=SC2086
		run "help-$cmd-$h" 0 "Usage: rmx" "" -- $cmd $h
	done
done
run help-top 0 "Usage: rmx COMMAND" "" -- --help
run usage-none 2 "" "rmx: no command given" --
run usage-unknown 2 "" "rmx: unknown command 'frob'" -- frob

zone=$work/z.zone
printf '@ IN RMX mx:mail\n' >"$zone"
# a relative --origin is relative to the root
run origin-relative 0 'example.net.	3600	IN	TYPE65280	\# 20 0712046d61696c076578616d706c65036e657400' "" -- \
	zone compile --origin example.net "$zone"
run origin-absolute 0 'example.net.	3600	IN	TYPE65280' "" -- \
	zone compile --origin example.net. "$zone"

# -o naming the zone file itself is refused, and the file is kept
cp "$zone" "$work/keep.zone"
run out-is-input 2 "" "is the zone file itself" -- \
	zone compile -o "$zone" "$zone"
if cmp -s "$zone" "$work/keep.zone"; then ok; else
	bad "out-is-input: the zone file changed: $(cat "$zone")"; fi
ln -s "$zone" "$work/link.zone"
run out-is-input-link 2 "" "is the zone file itself" -- \
	zone compile -o "$work/link.zone" "$zone"
run out-new 0 "" "" -- zone compile -o "$work/new.zone" "$zone"
if grep -q TYPE65280 "$work/new.zone"; then ok; else
	bad "out-new: no TYPE65280 in $(cat "$work/new.zone")"; fi
# a failed run leaves no output file
printf 'x. IN RMX bogus\n' >"$work/bad.zone"
run out-failed 1 "" "bad.zone:1: RMX record: 'bogus'" -- \
	zone compile -o "$work/bad.out" "$work/bad.zone"
if [ ! -e "$work/bad.out" ]; then ok; else bad "out-failed: bad.out left"; fi

# a backslash at the end of a line is an error, not an escaped blank
printf 'x.example. IN RMX host:abc\\\n' >"$work/bs.zone"
run backslash-eol 1 "" "bs.zone:1: backslash at the end of line 1" -- \
	zone compile "$work/bs.zone"
run backslash-eol-check 1 "" "backslash at the end of line 1" -- \
	check --zone "$work/bs.zone" --ip 192.0.2.1 --sender a@x.example

# bad input: exit 1 and one line
run zone-missing 1 "" "rmx: $work/none.zone: cannot open" -- \
	zone compile "$work/none.zone"
run check-bad-ip 1 "" "rmx: '192.0.2.256' is not an IP address" -- \
	check --zone "$zone" --ip 192.0.2.256 --sender a@example.net
run suite-missing 1 "" "rmx: $work/none.yml" -- suite "$work/none.yml"
printf 'tests: [1]\n' >"$work/bad.yml"
run suite-bad 1 "" "bad.yml:1: tests must be a mapping" -- suite "$work/bad.yml"
run decode-bad 1 "" "rmx: bad hex at character 0" -- record decode zz

# an invalid sender domain is "none", shown quoted when it has a blank
run check-invalid-domain 0 'none method=none domain="exa mple.com"' "" -- \
	check --zone "$zone" --ip 192.0.2.1 --sender 'a@exa mple.com'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
