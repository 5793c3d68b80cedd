#!/bin/sh
# spf_suite.sh - run an OpenSPF suite from the shared test data through
# `rmx suite`.  The suites are not copied into this repository (licence
# and provenance: ../shared/testdata/spf/README.md); they are looked up in
# $RMX_TESTDATA, then ../shared/testdata beside the source tree, then
# /work/shared/testdata.  When none has the file, say so clearly.
#   spf_suite.sh RMX SRCDIR SUITE.yml [rmx suite options...]
set -u
rmx=$1 srcdir=$2 suite=$3
shift 3
for dir in "${RMX_TESTDATA:-}" "$srcdir/../shared/testdata" /work/shared/testdata; do
	if [ -n "$dir" ] && [ -f "$dir/spf/$suite" ]; then
		exec "$rmx" suite "$@" "$dir/spf/$suite"
	fi
done
echo "skipped: suite not found: spf/$suite (set RMX_TESTDATA to the directory holding spf/)"
exit 77
