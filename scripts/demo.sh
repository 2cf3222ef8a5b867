#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The demo: install what is missing, build, start local endpoints on
# 127.0.0.1 (healthy, 401, 403 behind a WAF, slow, down) and show what
# check_probewise says about each, as Nagios would see it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
check=${BUILD_DIR:-build}/check_plugin/check_probewise

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
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
plugin=${BUILD_DIR:-build}/collectd_plugin/probewise.so
if [ -x /usr/sbin/collectd ] && [ -f "$plugin" ]; then
  echo "=== collectd with probewise.so (12 seconds, Interval 2)"
  cd_dir="$work/collectd"
  mkdir -p "$cd_dir/plugins"
  for p in logfile csv; do cp "/usr/lib/collectd/$p.so" "$cd_dir/plugins/"; done
  cp "$plugin" "$cd_dir/plugins/"
  printf '%s\n' "$DEMO_TOKEN" > "$cd_dir/token"
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
LoadPlugin probewise
<Plugin probewise>
  MaxConcurrency 16
  StateDir "$cd_dir/state"
  <Endpoint "healthy">
    URL "http://127.0.0.1:$port/demo/healthy"
    Health true
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
    Timeout 1
  </Endpoint>
  <Endpoint "down">
    URL "http://127.0.0.1:$down_port/"
  </Endpoint>
</Plugin>
CONF
  /usr/sbin/collectd -f -C "$cd_dir/collectd.conf" >/dev/null 2>&1 &
  collectd_pid=$!
  sleep 12
  kill "$collectd_pid" 2>/dev/null && wait "$collectd_pid" 2>/dev/null || true
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
else
  echo "(collectd or probewise.so not available: skipping the collectd part)"
fi
