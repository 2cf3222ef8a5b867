#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The incumbents' own test suites against check_probewise: monitoring-plugins'
# check_http.t and check_curl.t, of the release Debian 12 ships (2.3.3) and
# of current upstream, each shown the binary under the incumbent's name
# (./check_http, ./check_curl). The suites are monitoring-plugins' files
# (GPL-3.0) kept outside this repository, in the workplace's shared/
# folder beside it, and run by its tools/peer-suite.sh; nothing of them is
# copied here. Fails unless every suite of both releases ran and passed.
#
#   tests/peer/run_peer_suites.sh BINARY
#
# PROBEWISE_SHARED names that folder when it is not ../shared of the
# checkout (or /work/shared).
set -uo pipefail
binary=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=
for dir in "${PROBEWISE_SHARED:-}" "$repo/../shared" /work/shared; do
  if [ -n "$dir" ] && [ -x "$dir/tools/peer-suite.sh" ] && [ -d "$dir/peer-suites" ]; then
    shared=$(cd "$dir" && pwd)
    break
  fi
done
if [ -z "$shared" ]; then
  echo "peer suites: no shared/ folder with tools/peer-suite.sh and peer-suites/ beside $repo or at /work/shared (set PROBEWISE_SHARED)"
  exit 1
fi
# Their scratch (a copy of the suites, the TAP logs) stays in the build tree.
export PEER_SCRATCH=${PEER_SCRATCH:-$PWD/peer-suite}
status=0
port_base=18100
for release in v2.3.3 upstream; do
  echo "== monitoring-plugins $release: check_http.t and check_curl.t against $binary"
  out=$("$shared/tools/peer-suite.sh" --src "$shared/peer-suites/$release" --port-base "$port_base" \
    "$binary" both 2>&1)
  echo "$out"
  port_base=$((port_base + 10))
  for suite in check_http check_curl; do
    summary=$(grep "^TAP-SUMMARY file=tests/$suite.t " <<<"$out")
    # A suite that skips itself (a missing Perl module) passes nothing.
    if [[ $summary =~ result=PASS\ planned=([0-9]+)\ ran=([0-9]+)\ pass=([0-9]+)\ fail=0 ]] &&
      [ "${BASH_REMATCH[2]}" -gt 0 ] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
      echo "peer suites: $release $suite.t passed (${BASH_REMATCH[3]} of ${BASH_REMATCH[2]}, the rest skipped by the suite itself)"
    else
      echo "peer suites: $release $suite.t FAILED: ${summary:-no summary}"
      status=1
    fi
  done
done
exit $status
