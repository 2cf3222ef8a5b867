#!/usr/bin/env bash
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
