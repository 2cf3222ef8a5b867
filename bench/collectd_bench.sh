#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# collectd_bench.sh: probewise.so beside collectd's own curl plugin, each in a
# real collectd of its own, against bench_server.py (asyncio, 127.0.0.1 only).
#
#   bench/collectd_bench.sh [PATH_TO_probewise.so]
#
# Default plugin: build/collectd_plugin/probewise.so (relative to the repo).
# Measures (details in bench/README.md, "collectd plugin"):
#   1. CPU per probe at 100 and 1000 endpoints, Interval 1, keep-alive and
#      Connection: close (collectd's CPU time over the requests served);
#   2. how many of N endpoints that each take 0.3 s are probed in one 10 s
#      round (N = 1000, 10000; the curl plugin with ReadThreads 5 and 64);
#   3. resident memory per endpoint (RSS at 1000 and 10000 endpoints).
# With BENCH_VALGRIND_SECONDS=N it also runs the memcheck test of
# tests/integration/test_collectd.py for N seconds (a few minutes: 300).
# Writes bench/results/collectd.md. Knobs: see bench/collectd_bench.py.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
plugin=${1:-build/collectd_plugin/probewise.so}
if [[ $plugin != /* && ! -e $plugin && -e $repo/$plugin ]]; then
  plugin=$repo/$plugin
fi
[[ -e $plugin ]] || { echo "collectd_bench: no plugin at $plugin (build it first)" >&2; exit 2; }
plugin=$(cd "$(dirname "$plugin")" && pwd)/$(basename "$plugin")

need=()
command -v collectd >/dev/null || [[ -x /usr/sbin/collectd ]] || need+=(collectd-core)
[[ -e /usr/lib/collectd/curl.so ]] || need+=(collectd-core)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  if [[ ${BENCH_NO_INSTALL:-0} == 1 || $(id -u) != 0 ]]; then
    echo "collectd_bench: missing ${need[*]} (install them, or run as root)" >&2; exit 2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The curl plugin's libcurl must load (collectd-core only recommends it).
if ldd /usr/lib/collectd/curl.so | grep -q 'not found'; then
  echo "collectd_bench: /usr/lib/collectd/curl.so misses a library:" >&2
  ldd /usr/lib/collectd/curl.so | grep 'not found' >&2
  exit 2
fi

# A proxy in the environment would put a third party into every measurement.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export LC_ALL=C
ulimit -n "$(ulimit -Hn)"  # 10,000 endpoints: as many sockets and curl handles

mkdir -p "$here/results"
python3 "$here/collectd_bench.py" "$plugin" "$here/results/collectd.md"

if [[ ${BENCH_VALGRIND_SECONDS:-0} -gt 0 ]]; then
  echo "[collectd_bench] memcheck for ${BENCH_VALGRIND_SECONDS} s" >&2
  PROBEWISE_VALGRIND_SECONDS=$BENCH_VALGRIND_SECONDS PROBEWISE_COLLECTD_PLUGIN=$plugin \
    python3 "$repo/tests/integration/test_collectd.py" -v Valgrind
fi
