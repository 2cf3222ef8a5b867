#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# scale_bench.sh: what one collectd node carries with probewise.so, in the
# conditions users have (bench/scale_bench.py does one set of runs; this is
# the standard set, as in bench/README.md "What one collectd node carries").
#
#   bench/scale_bench.sh [PATH_TO_probewise.so]     # about 50 minutes
#
# Default plugin: build/collectd_plugin/probewise.so. Knobs (environment):
# SCALE_N (100000), SCALE_INTERVAL (60), SCALE_REPEAT (2), SCALE_CURL_N
# ("10000 3000 1000": collectd's curl plugin at the N it manages, one per
# case), SCALE_SLOW_N (10000: answers of 300 ms every 10 s), SCALE_OUT
# (bench/results/scale.md, appended), SCALE_PERF (30: seconds of perf
# profile after each probewise run; 0 = none). As root it installs what is
# missing (nginx-light, libnginx-mod-http-echo, collectd-core, openssl).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
plugin=${1:-$repo/build/collectd_plugin/probewise.so}
[[ -e $plugin ]] || { echo "scale_bench: no plugin at $plugin (build it first)" >&2; exit 2; }

need=()
[[ -x /usr/sbin/collectd ]] || need+=(collectd-core)
command -v nginx >/dev/null || need+=(nginx-light)
[[ -e /usr/lib/nginx/modules/ngx_http_echo_module.so ]] || need+=(libnginx-mod-http-echo)
command -v openssl >/dev/null || need+=(openssl)
if ((${#need[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "scale_bench: missing ${need[*]} (install them, or run as root)" >&2; exit 2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# A proxy in the environment would put a third party into every measurement.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export LC_ALL=C
ulimit -n "$(ulimit -Hn)"

n=${SCALE_N:-100000}
interval=${SCALE_INTERVAL:-60}
repeat=${SCALE_REPEAT:-2}
read -r -a curl_n <<<"${SCALE_CURL_N:-10000 3000 1000}"
slow_n=${SCALE_SLOW_N:-10000}
out=${SCALE_OUT:-$here/results/scale.md}
perf=${SCALE_PERF:-30}
profiles=$here/results/scale-profiles
json=$here/results/scale.jsonl
run() { python3 "$here/scale_bench.py" --plugin "$plugin" --out "$out" --json "$json" "$@"; }
perf_args=()
if [[ $perf != 0 ]] && command -v perf >/dev/null; then perf_args=(--perf "$perf" --perf-dir "$profiles"); fi

{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M') UTC: $(basename "$plugin") ($(sha256sum "$plugin" | cut -c1-12)), $(nproc) CPUs"
} >>"$out"
# probewise.so at N: keep-alive and fast; a new connection each probe with
# answers of 100 ms; HTTPS on 100 hosts with a new connection each probe,
# beside the same over HTTP.
run --case http-keepalive-0 --case http-close-100 --endpoints "$n" --interval "$interval" --repeat "$repeat" \
  "${perf_args[@]}"
run --case https-close-0-h100 --case http-close-0 --endpoints "$n" --interval "$interval" "${perf_args[@]}"
# The slow endpoints of the collectd bench: answers of 300 ms, every 10 s.
run --case http-keepalive-300 --endpoints "$slow_n" --interval 10 --window 30 --warmup 20
# collectd's curl plugin (ReadThreads 5, collectd's default) at the N it
# manages, for each of the three cases.
cases=(http-keepalive-0 http-close-100 https-close-0-h100)
for i in "${!cases[@]}"; do
  [[ -n ${curl_n[$i]:-} ]] || continue
  run --case "${cases[$i]}" --endpoints "" --curl "${curl_n[$i]}" --interval "$interval"
done
echo "scale_bench: appended to $out (raw: $json)"
