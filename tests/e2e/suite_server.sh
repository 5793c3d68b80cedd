#!/bin/bash
# suite_server.sh - the conformance-suite scenarios served by a real DNS
# server: for each scenario of tests/conformance/rmx-tests.yml and of the
# OpenSPF rfc7208-tests.yml (shared test data), export its zone data as a
# root zone (`rmx suite --export-zone`), check it with nsd-checkzone, serve
# it with NSD on 127.0.0.1 (a free unprivileged port, one NSD per scenario,
# started and stopped by PID through lib.sh), and run
# `rmx suite --scenario N --server 127.0.0.1@PORT --compare`: every test
# both on the in-memory zone (TIMEOUT/SERVFAIL marks ignored: a server
# cannot serve them) and through libunbound against NSD, passing when the
# two verdicts agree.  Known differences of real DNS are listed, with a
# reason each, in suite-server-exclusions.txt and printed as EXCLUDED.
#
#   suite_server.sh BUILD_DIR SRCDIR
#
# The shared suite is looked up as tests/conformance/spf_suite.sh does
# ($RMX_TESTDATA, SRCDIR/../shared/testdata, /work/shared/testdata); when
# it is absent that part prints "skipped: suite not found" and the rest
# runs.  Missing tools (nsd, dig) fail the test.  A sanity case first
# checks that --compare notices a server serving the wrong zone.  Ends with
# "N passed, M failed" over all compared tests (and the sanity case); exit
# 0 only when M is 0.
set -u
build=${1:?usage: suite_server.sh BUILD_DIR SRCDIR}
srcdir=${2:?usage: suite_server.sh BUILD_DIR SRCDIR}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

RMX=$build/rmx
EXCLUSIONS=$here/suite-server-exclusions.txt
work=$(mktemp -d /tmp/rmx-e2e-suite.XXXXXX)
trap 'nsd_stop_all; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

e2e_need nsd nsd-checkzone nsd-checkconf dig || exit 1
[ -x "$RMX" ] || { echo "FAIL: $RMX not built" >&2; exit 1; }
[ -f "$EXCLUSIONS" ] || { echo "FAIL: $EXCLUSIONS missing" >&2; exit 1; }

passed=0 failed=0 excluded=0

# Count a whole scenario as failed (its zone could not be served).
fail_scenario() {
	local tests=$1
	shift
	echo "FAIL: $*"
	failed=$((failed + tests))
}

# run_suite LABEL FILE
run_suite() {
	local label=$1 file=$2 list n tests desc zone dir port out last p f x
	if ! list=$("$RMX" suite --list "$file"); then
		echo "FAIL: rmx suite --list $file"
		failed=$((failed + 1))
		return
	fi
	while read -r n tests desc; do
		zone=$work/$label-$n.zone
		dir=$work/nsd-$label-$n
		echo "== $label scenario $n ($tests tests): $desc"
		if ! "$RMX" suite --export-zone "$n" -o "$zone" "$file"; then
			fail_scenario "$tests" "$label $n: export failed"
			continue
		fi
		if ! nsd-checkzone . "$zone" >"$work/checkzone.out" 2>&1; then
			cat "$work/checkzone.out"
			fail_scenario "$tests" "$label $n: nsd-checkzone" \
				"rejects the exported zone"
			continue
		fi
		if ! port=$(nsd_serve "$dir" . "$zone"); then
			fail_scenario "$tests" "$label $n: NSD did not start"
			continue
		fi
		out=$(timeout 120 "$RMX" suite --scenario "$n" \
			--server "127.0.0.1@$port" --compare \
			--exclusions "$EXCLUSIONS" "$file" 2>&1)
		# NSD takes ~2 s to exit: stop it (by PID) in the background
		# while the next scenario runs on another port
		nsd_stop "$dir" &
		printf '%s\n' "$out" | grep -E '^(FAIL|EXCLUDED|rmx:)' || true
		last=$(printf '%s\n' "$out" | tail -n 1)
		x=$(printf '%s\n' "$out" |
			sed -n 's/^\([0-9]*\) excluded$/\1/p')
		if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
			p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
			passed=$((passed + p))
			failed=$((failed + f))
			excluded=$((excluded + ${x:-0}))
			echo "   $p passed, $f failed, ${x:-0} excluded"
		else
			printf '%s\n' "$out" | tail -n 5
			fail_scenario "$tests" "$label $n: rmx suite did not" \
				"finish"
		fi
	done <<<"$list"
}

# The comparison must be able to fail: scenario 4 of the RMX suite
# against a server that serves scenario 3's zone has to differ.
sanity_check() {
	local file=$1 dir=$work/nsd-sanity port out rc
	echo "== sanity: rmx scenario 4 against scenario 3's zone must differ"
	if ! "$RMX" suite --export-zone 3 -o "$work/sanity.zone" "$file" ||
	    ! port=$(nsd_serve "$dir" . "$work/sanity.zone"); then
		echo "FAIL: sanity: could not serve scenario 3"
		failed=$((failed + 1))
		return
	fi
	out=$(timeout 120 "$RMX" suite --scenario 4 \
		--server "127.0.0.1@$port" --compare "$file" 2>&1)
	rc=$?
	nsd_stop "$dir" &
	if [ "$rc" -eq 1 ] &&
	    printf '%s\n' "$out" | grep -q '^FAIL .*| server: '; then
		echo "   ok: $(printf '%s\n' "$out" | tail -n 1)"
		passed=$((passed + 1))
	else
		echo "FAIL: sanity: --compare did not notice the wrong zone" \
			"(exit $rc)"
		printf '%s\n' "$out" | tail -n 3
		failed=$((failed + 1))
	fi
}

sanity_check "$srcdir/tests/conformance/rmx-tests.yml"
run_suite rmx "$srcdir/tests/conformance/rmx-tests.yml"

spf=
for dir in "${RMX_TESTDATA:-}" "$srcdir/../shared/testdata" \
	/work/shared/testdata; do
	if [ -n "$dir" ] && [ -f "$dir/spf/rfc7208-tests.yml" ]; then
		spf=$dir/spf/rfc7208-tests.yml
		break
	fi
done
if [ -n "$spf" ]; then
	run_suite rfc7208 "$spf"
else
	echo "skipped: suite not found: spf/rfc7208-tests.yml (set" \
		"RMX_TESTDATA to the directory holding spf/)"
fi

wait # for the background nsd_stop calls
echo "$excluded excluded (tests/e2e/suite-server-exclusions.txt)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
