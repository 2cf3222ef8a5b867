#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The demo: install what is missing, build, start local endpoints on
# 127.0.0.1 (healthy, 401, 403 behind a WAF, slow, down) and show what
# check_probewise says about each, as Nagios would see it; then the same
# endpoints in collectd with probewise.so for DEMO_SECONDS (default 50),
# with an API that turns from 200 to 401 half-way, and graphs of the
# response times and states drawn with rrdtool into ${BUILD_DIR:-build}/demo.
# It installs only what the demo needs and builds only the check (first, so
# that its diagnoses come soonest) and the plugin; scripts/test.sh installs
# and builds everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --demo
PROBEWISE_BUILD_TARGETS=check_probewise scripts/build.sh -DPROBEWISE_BUILD_TESTS=OFF
check=${BUILD_DIR:-build}/check_plugin/check_probewise

work=$(mktemp -d)
server_pid=
auth_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$auth_pid" ] && kill "$auth_pid" 2>/dev/null && wait "$auth_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

python3 tests/servers/testserver.py --port-file "$work/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
# A port nobody listens on: bind one, note it, let it go.
down_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

run() {
  local title=$1; shift
  echo "=== $title"
  echo "\$ check_probewise $*"
  set +e
  "$check" --state-dir "$work/state" "$@"
  local rc=$?
  set -e
  echo "(exit code $rc)"
  echo
}

# The monitor's own bearer token, a JWT that expired two days ago (made up
# here: its signature is not checked by anyone in this demo).
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
DEMO_TOKEN="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url).$(printf '{"sub":"monitor","iat":%d,"exp":%d}' $((now - 30*86400)) $((now - 2*86400 - 300)) | b64url).c2ln"
export DEMO_TOKEN

run "healthy endpoint, judged by its health document" -H 127.0.0.1 -p "$port" -u /demo/healthy --health
run "401: no credentials sent" -H 127.0.0.1 -p "$port" -u /demo/unauthorized
run "401: the monitor's token expired" -H 127.0.0.1 -p "$port" -u /demo/unauthorized --bearer-token-env DEMO_TOKEN
run "403 from a WAF" -H 127.0.0.1 -p "$port" -u /demo/forbidden
run "slow endpoint (-w 1 -c 2)" -H 127.0.0.1 -p "$port" -u /demo/slow -w 1 -c 2
run "service down" -H 127.0.0.1 -p "$down_port" -u /
run "the expired token's 401 as JSON" -H 127.0.0.1 -p "$port" -u /demo/unauthorized --bearer-token-env DEMO_TOKEN --output-format=json
# The same endpoints in a real collectd with probewise.so: every endpoint is
# probed concurrently each interval; values go to CSV files, changes become
# notifications (written to the log by the logfile plugin).
echo "=== building probewise.so"
PROBEWISE_BUILD_TARGETS=probewise scripts/build.sh -DPROBEWISE_BUILD_TESTS=OFF
plugin=${BUILD_DIR:-build}/collectd_plugin/probewise.so
if [ -x /usr/sbin/collectd ] && [ -f "$plugin" ]; then
  seconds=${DEMO_SECONDS:-50}
  echo "=== collectd with probewise.so ($seconds seconds, Interval 2; the API turns from 200 to 401 half-way)"
  # An API whose answer the demo changes (authserver.py's /flip).
  python3 tests/servers/authserver.py --port-file "$work/auth.port" &
  auth_pid=$!
  for _ in $(seq 50); do [ -s "$work/auth.port" ] && break; sleep 0.1; done
  auth_port=$(cat "$work/auth.port")
  cd_dir="$work/collectd"
  mkdir -p "$cd_dir/plugins"
  rrd=rrdtool # collectd's rrdtool plugin needs librrd8, which collectd-core only suggests
  if [ ! -x /usr/bin/rrdtool ] || ! ldd /usr/lib/collectd/rrdtool.so >"$work/ldd" 2>&1 || grep -q 'not found' "$work/ldd"; then
    rrd=
  fi
  for p in logfile csv $rrd; do cp "/usr/lib/collectd/$p.so" "$cd_dir/plugins/"; done
  cp "$plugin" "$cd_dir/plugins/"
  printf '%s\n' "$DEMO_TOKEN" > "$cd_dir/token"
  rrd_conf=
  if [ -n "$rrd" ]; then
    rrd_conf=$(printf 'LoadPlugin rrdtool\n<Plugin rrdtool>\n  DataDir "%s"\n</Plugin>' "$cd_dir/rrd")
  fi
  cat > "$cd_dir/collectd.conf" <<CONF
Hostname "demo"
FQDNLookup false
Interval 2
BaseDir "$cd_dir"
PIDFile "$cd_dir/collectd.pid"
PluginDir "$cd_dir/plugins"
TypesDB "/usr/share/collectd/types.db"
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$cd_dir/collectd.log"
  PrintSeverity true
</Plugin>
LoadPlugin csv
<Plugin csv>
  DataDir "$cd_dir/csv"
</Plugin>
$rrd_conf
LoadPlugin probewise
<Plugin probewise>
  MaxConcurrency 16
  StateDir "$cd_dir/state"
  <Endpoint "healthy">
    URL "http://127.0.0.1:$port/demo/healthy"
    Health true
  </Endpoint>
  <Endpoint "api">
    URL "http://127.0.0.1:$auth_port/flip"
  </Endpoint>
  <Endpoint "expired-token">
    URL "http://127.0.0.1:$port/demo/unauthorized"
    BearerTokenFile "$cd_dir/token"
  </Endpoint>
  <Endpoint "waf">
    URL "http://127.0.0.1:$port/demo/forbidden"
  </Endpoint>
  <Endpoint "slow">
    URL "http://127.0.0.1:$port/demo/slow"
    Timeout 4
    Interval 4
  </Endpoint>
  <Endpoint "down">
    URL "http://127.0.0.1:$down_port/"
  </Endpoint>
</Plugin>
CONF
  /usr/sbin/collectd -t -C "$cd_dir/collectd.conf"
  start=$(date +%s)
  /usr/sbin/collectd -f -C "$cd_dir/collectd.conf" >/dev/null 2>&1 &
  collectd_pid=$!
  sleep $((seconds / 2))
  python3 -c 'import sys, urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/control?flip=401" % sys.argv[1]).read()' "$auth_port"
  flip=$(date +%s)
  sleep $((seconds - seconds / 2))
  kill "$collectd_pid" 2>/dev/null && wait "$collectd_pid" 2>/dev/null || true
  end=$(date +%s)
  echo "--- notifications (collectd.log)"
  grep -i "notification" "$cd_dir/collectd.log" | sed 's/^/  /' || true
  echo "--- last values: up (1 = OK) and state (0-3) per endpoint"
  for d in "$cd_dir"/csv/demo/probewise-*; do
    name=${d##*/probewise-}
    up=$(tail -n1 "$d"/bool-up-* 2>/dev/null | cut -d, -f2)
    state=$(tail -n1 "$d"/gauge-state-* 2>/dev/null | cut -d, -f2)
    rt=$(tail -n1 "$d"/response_time-* 2>/dev/null | cut -d, -f2)
    printf '  %-14s up=%s state=%s response_time=%ss\n' "$name" "${up:-?}" "${state:-?}" "${rt:-?}"
  done
  if [ -n "$rrd" ]; then
    out=${BUILD_DIR:-build}/demo
    scripts/demo_graphs.sh "$cd_dir/rrd/demo" "$out" "$start" "$end" 2 "$flip" \
      "the demo turns api from 200 to 401 (collectd: api: 200 -> 401 (auth.missing_credentials))"
    echo "--- graphs (rrdtool): $(cd "$out" && pwd)/state.png and response-time.png"
  else
    echo "(rrdtool or collectd's rrdtool plugin not available: no graphs)"
  fi
else
  echo "(collectd or probewise.so not available: skipping the collectd part)"
fi
