#!/bin/bash
# unbound_faults.sh BUILD_DIR - misbehaving DNS servers never crash or hang
# a check over real DNS, and end it the way RMX.md 1-2 says.
#
# dnsfake plays the server: silent, garbage, truncated (no TCP to retry
# on), cut-off, wrong-ID answers, SERVFAIL and REFUSED -> temperror, within
# the configured --timeout (1000 ms: the check must end in < 5 s).  Answers
# with RDATA that does not fit the asked type (an A of 5 octets, an MX whose
# name runs past its RDATA) -> temperror (an unusable answer); a malformed
# RMX RDATA from a healthy server -> permerror (RMX.md 1).  Every command
# runs under `timeout 30`: a hang (124) or a signal is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/unbound_lib.sh"
ub_init "${1:?usage: $0 BUILD_DIR}"

TIMEOUT_MS=1000
LIMIT_MS=5000

check() {
	ub_run "$RMX" check --method rmx --timeout "$TIMEOUT_MS" \
		--sender a@example.com --ip 192.0.2.1 --server "127.0.0.1:$1"
}

# check_fault DESCRIPTION EXPECTED... -- DNSFAKE-MODE-ARGS...
check_fault() {
	local what=$1 want=() port
	shift
	while [ "$1" != "--" ]; do
		want+=("$1")
		shift
	done
	shift
	port=$(ub_fake "$@")
	ub_adopt_pids
	if [ -z "$port" ]; then
		ub_fail "$what: dnsfake did not start"
		return
	fi
	check "$port" || return
	ub_expect "${want[@]}" || return
	if [ "$UB_RC" -ne 0 ]; then
		ub_fail "$what: exit $UB_RC (a completed check exits 0)"
		return
	fi
	if [ "$UB_MS" -ge "$LIMIT_MS" ]; then
		ub_fail "$what: took $UB_MS ms with --timeout $TIMEOUT_MS"
		return
	fi
	ub_ok "$what: $(ub_first_word) in $UB_MS ms" \
		"($(ub_queries "$port") queries)"
}

# RMX RDATA (type 65280) used below:
#   host:x.example.        03 0b 01 78 07 6578616d706c65 00
#   mx (the domain's MX)   07 00
#   ip4 with LENGTH past the end: 01 05 18 c00002
#   ip4 /23 with a bit set past the prefix: 01 04 17 c00003
RMX_HOST=030b0178076578616d706c6500
RMX_MX=0700

check_fault "server never answers" temperror -- drop
check_fault "answer of garbage after the ID" temperror -- garbage
check_fault "answer of random bytes" temperror -- noise
check_fault "truncated answer, no TCP" temperror -- truncated
check_fault "answer cut off mid-RR" temperror -- cut
check_fault "answer with a wrong ID" temperror -- wrongid
check_fault "SERVFAIL" temperror -- servfail
check_fault "REFUSED" temperror -- refused
check_fault "A record of 5 octets" temperror -- \
	rdata --rdata 65280=$RMX_HOST --rdata 1=c000020101
check_fault "A record of 3 octets" temperror -- \
	rdata --rdata 65280=$RMX_HOST --rdata 1=c00002
check_fault "MX whose name runs past its RDATA" temperror -- \
	rdata --rdata 65280=$RMX_MX --rdata 15=000a09616263
check_fault "MX of one octet" temperror -- \
	rdata --rdata 65280=$RMX_MX --rdata 15=00
check_fault "RMX entry LENGTH past the RDATA" permerror -- \
	rdata --rdata 65280=010518c00002
check_fault "RMX ip4 with a bit past the prefix" permerror -- \
	rdata --rdata 65280=010417c00003
check_fault "RMX RDATA of 1 octet" permerror -- rdata --rdata 65280=01
# Sanity: the same fake serving good data gives a verdict.
check_fault "well-formed RMX and A (control)" pass -- \
	rdata --rdata 65280=$RMX_HOST --rdata 1=c0000201
check_fault "no RMX record (control)" none -- rdata --rdata 1=c0000201
ub_done
