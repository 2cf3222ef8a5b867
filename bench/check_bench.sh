#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check_bench.sh: measure check_probewise beside check_http, check_curl and a
# bare libcurl GET, against a local nginx (HTTP and HTTPS) on 127.0.0.1.
#
#   bench/check_bench.sh [PATH_TO_check_probewise [PACKAGED]]
#
# Default binary: build/check_plugin/check_probewise (relative to the repo).
# PACKAGED (or $BENCH_PACKAGED) is the check users run: the .deb that
# packaging/build.sh makes (monitoring-plugins-probewise_*.deb, unpacked into
# a temp dir, nothing installed) or a binary; it is measured as
# check_probewise_deb beside the upstream build.
# A missing binary is skipped, so the script also runs with the incumbents only.
#
# Measures, per tool and scenario (http; https; https -D --ca-cert with the
# private CA; https -D with the system CA bundle, where the private-CA peer is
# untrusted so CRITICAL is the expected answer: it shows the bundle's cost):
#   1. callgrind instruction count (Ir) of one check run, run twice;
#   2. wall time with hyperfine (BENCH_RUNS runs, BENCH_WARMUP warmup);
#   3. peak RSS with /usr/bin/time -f %M (median of BENCH_RSS_RUNS runs).
# Writes bench/results/latest.md (the table) and bench/results/raw/ (callgrind
# files, annotations, hyperfine exports; gitignored).
#
# Environment knobs: BENCH_RUNS (200), BENCH_WARMUP (10), BENCH_RSS_RUNS (5),
# BENCH_CALLGRIND_REPEAT (2), BENCH_NO_INSTALL=1 (never apt-get).
# Needs root only to apt-get install what is missing (nginx-light, valgrind,
# hyperfine, time, libcurl4-openssl-dev); nginx itself runs from a temp dir
# with its own prefix, pid and logs, never /etc/nginx.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
plugins=/usr/lib/nagios/plugins

probewise=${1:-build/check_plugin/check_probewise}
if [[ $probewise != /* && ! -e $probewise && -e $repo/$probewise ]]; then
  probewise=$repo/$probewise
fi
[[ -e $probewise ]] && probewise=$(cd "$(dirname "$probewise")" && pwd)/$(basename "$probewise")
packaged=${2:-${BENCH_PACKAGED:-}}
[[ -z $packaged || ! -e $packaged ]] || packaged=$(cd "$(dirname "$packaged")" && pwd)/$(basename "$packaged")

runs=${BENCH_RUNS:-200}
warmup=${BENCH_WARMUP:-10}
rss_runs=${BENCH_RSS_RUNS:-5}
cg_repeat=${BENCH_CALLGRIND_REPEAT:-2}

results=$here/results
raw=$results/raw
mkdir -p "$raw"
rm -f "$raw"/callgrind.* "$raw"/annotate.* "$raw"/hyperfine-* "$raw"/metrics.tsv "$raw"/out.*

log() { printf '[bench] %s\n' "$*" >&2; }

# --- prerequisites -----------------------------------------------------------
need_pkgs=()
command -v nginx >/dev/null || need_pkgs+=(nginx-light)
command -v valgrind >/dev/null || need_pkgs+=(valgrind)
command -v callgrind_annotate >/dev/null || need_pkgs+=(valgrind)
command -v hyperfine >/dev/null || need_pkgs+=(hyperfine)
[[ -x /usr/bin/time ]] || need_pkgs+=(time)
[[ -e /usr/include/x86_64-linux-gnu/curl/curl.h || -e /usr/include/curl/curl.h ]] || need_pkgs+=(libcurl4-openssl-dev)
command -v openssl >/dev/null || need_pkgs+=(openssl)
command -v cc >/dev/null || need_pkgs+=(gcc)
command -v python3 >/dev/null || need_pkgs+=(python3)
# check_curl is in monitoring-plugins-standard, which only recommends the
# liburiparser1 that check_curl cannot start without.
[[ -x $plugins/check_curl ]] || need_pkgs+=(monitoring-plugins-standard)
[[ -e /usr/lib/x86_64-linux-gnu/liburiparser.so.1 || -e /lib/x86_64-linux-gnu/liburiparser.so.1 ]] || need_pkgs+=(liburiparser1)
if ((${#need_pkgs[@]})); then
  if [[ ${BENCH_NO_INSTALL:-0} == 1 || $(id -u) != 0 ]]; then
    log "missing: ${need_pkgs[*]} (install them, or run as root)"; exit 2
  fi
  log "installing ${need_pkgs[*]}"
  # policy-rc.d in this image keeps apt from starting the packaged nginx service.
  apt_install() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$@" >/dev/null; }
  apt_install "${need_pkgs[@]}" || { apt-get -o DPkg::Lock::Timeout=900 update -qq && apt_install "${need_pkgs[@]}"; }
fi

# A proxy in the environment would put a third party into every measurement.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export LC_ALL=C

# --- temp dir, server, cleanup -----------------------------------------------
tmp=$(mktemp -d /tmp/probewise-bench.XXXXXX)
nginx_pid=
cleanup() {
  if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
http_port=$(free_port)
https_port=$(free_port)
while ((http_port <= 20000 || https_port <= 20000 || http_port == https_port)); do
  http_port=$(free_port); https_port=$(free_port)
done

# The worker processes drop to nobody when nginx starts as root: let them read.
chmod 0755 "$tmp"
mkdir -p "$tmp/www" "$tmp/tls" "$tmp/temp"
# A small page of a typical health endpoint's size (about 600 bytes).
{
  echo '<!DOCTYPE html><html><head><title>probewise bench</title></head><body>'
  for i in $(seq 10); do echo "<p>line $i: the quick brown fox jumps over the lazy dog</p>"; done
  echo '</body></html>'
} >"$tmp/www/index.html"

# A private CA and a server certificate for 127.0.0.1/localhost signed by it,
# so that -D --ca-cert can verify the chain.
(
  cd "$tmp/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=probewise bench CA' \
    -keyout ca.key -out ca.pem -addext 'basicConstraints=critical,CA:TRUE' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ext.cnf -out server.pem 2>/dev/null
)
ca=$tmp/tls/ca.pem

cat >"$tmp/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $tmp/temp/body;
  proxy_temp_path $tmp/temp/proxy;
  fastcgi_temp_path $tmp/temp/fastcgi;
  uwsgi_temp_path $tmp/temp/uwsgi;
  scgi_temp_path $tmp/temp/scgi;
  default_type text/html;
  server {
    listen 127.0.0.1:$http_port;
    root $tmp/www;
  }
  server {
    listen 127.0.0.1:$https_port ssl;
    ssl_certificate $tmp/tls/server.pem;
    ssl_certificate_key $tmp/tls/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $tmp/www;
  }
}
EOF
nginx -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$https_port") 2>/dev/null &&
    (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null && break
  sleep 0.1
done
kill -0 "$nginx_pid" 2>/dev/null || { log "nginx did not start:"; cat "$tmp/error.log" >&2; exit 2; }
log "nginx pid $nginx_pid on 127.0.0.1:$http_port (http) and :$https_port (https)"

# --- the packaged check: unpack the .deb ---------------------------------------
packaged_bin=$packaged
packaged_version=
if [[ $packaged == *.deb ]]; then
  dpkg-deb -x "$packaged" "$tmp/deb"
  packaged_bin=$tmp/deb$plugins/check_probewise
  packaged_version="$(dpkg-deb -f "$packaged" Package) $(dpkg-deb -f "$packaged" Version)"
fi

# --- the bare libcurl GET ----------------------------------------------------
bare=$tmp/bare_get
cc -O2 -o "$bare" "$here/bare_get.c" -lcurl

# --- tools and commands ------------------------------------------------------
tools=(check_http check_curl libcurl_get check_probewise check_probewise_deb)
scenarios=(http https https_verify https_verify_system)
declare -A bin=(
  [check_http]=$plugins/check_http
  [check_curl]=$plugins/check_curl
  [libcurl_get]=$bare
  [check_probewise]=$probewise
  [check_probewise_deb]=${packaged_bin:-/nonexistent}
)

# cmd TOOL SCENARIO: the command line, or nothing when the tool cannot do it.
# Paths contain no spaces (asserted below), so splitting on spaces is safe.
cmd() {
  local tool=$1 scen=$2 b=${bin[$1]}
  local http="-I 127.0.0.1 -p $http_port -u / -t 30"
  local https="-I 127.0.0.1 -p $https_port -u / -t 30 -S"
  case $tool in
    libcurl_get)
      case $scen in
        http) echo "$b http://127.0.0.1:$http_port/" ;;
        https) echo "$b https://127.0.0.1:$https_port/" ;;
        https_verify) echo "$b https://127.0.0.1:$https_port/ $ca" ;;
        https_verify_system) echo "$b https://127.0.0.1:$https_port/ -" ;;
      esac ;;
    check_http)  # check_http has no --ca-cert / -D
      case $scen in
        http) echo "$b $http" ;;
        https) echo "$b $https" ;;
      esac ;;
    *)
      case $scen in
        http) echo "$b $http" ;;
        https) echo "$b $https" ;;
        https_verify) echo "$b $https -D --ca-cert $ca" ;;
        https_verify_system) echo "$b $https -D" ;;
      esac ;;
  esac
}
for p in "$tmp" "$probewise" "$bare" "$packaged_bin"; do
  [[ $p != *[[:space:]]* ]] || { log "path with whitespace not supported: $p"; exit 2; }
done

present=()
for t in "${tools[@]}"; do
  if [[ -x ${bin[$t]} ]]; then present+=("$t"); else log "skipping $t: ${bin[$t]} not found"; fi
done

metrics=$raw/metrics.tsv
: >"$metrics"
{
  printf 'env\tdate\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf 'env\tcpu\t%s x %s\n' "$(nproc)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  printf 'env\tkernel\t%s\n' "$(uname -r)"
  printf 'env\tloadavg\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'env\tlibcurl\t%s\n' "$("${bin[check_curl]}" -V 2>/dev/null | sed -n 2p || true)"
  printf 'env\tnginx\t%s\n' "$(nginx -v 2>&1)"
  printf 'env\tprobewise\t%s\n' "$probewise"
  if [[ -x $probewise ]]; then
    printf 'env\tprobewise_version\t%s\n' "$("$probewise" -V 2>&1 | head -1 || true)"
    commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [[ -n $(git -C "$repo" status --porcelain -- common check_plugin CMakeLists.txt 2>/dev/null) ]]; then
      commit="$commit + uncommitted changes in common/ or check_plugin/"
    fi
    printf 'env\tprobewise_commit\t%s\n' "$commit"
  fi
  if [[ -x $packaged_bin ]]; then
    printf 'env\tpackaged\t%s\n' "${packaged_version:-$packaged_bin}"
    printf 'env\tpackaged_needed\t%s\n' "$(readelf -d "$packaged_bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
  fi
  printf 'env\tbody_bytes\t%s\n' "$(wc -c <"$tmp/www/index.html")"
  printf 'env\truns\t%s\n' "$runs"
} >>"$metrics"

# --- 0. sanity: every command answers OK -------------------------------------
for scen in "${scenarios[@]}"; do
  for t in "${present[@]}"; do
    c=$(cmd "$t" "$scen"); [[ -n $c ]] || continue
    read -r -a argv <<<"$c"
    set +e; out=$("${argv[@]}" 2>&1); rc=$?; set -e
    printf 'sanity\t%s\t%s\t%s\t%s\n' "$scen" "$t" "$rc" "$(head -1 <<<"$out" | cut -c1-160)" >>"$metrics"
    expect=0; [[ $scen == https_verify_system ]] && expect=2
    ((rc == expect)) || log "warning: $t ($scen) exited $rc, expected $expect: $(head -1 <<<"$out")"
  done
done

# --- 1. callgrind ------------------------------------------------------------
for scen in "${scenarios[@]}"; do
  for t in "${present[@]}"; do
    c=$(cmd "$t" "$scen"); [[ -n $c ]] || continue
    read -r -a argv <<<"$c"
    irs=()
    for n in $(seq "$cg_repeat"); do
      f=$raw/callgrind.$scen.$t.$n.out
      valgrind --tool=callgrind --callgrind-out-file="$f" "${argv[@]}" >"$raw/out.$scen.$t.$n" 2>&1 || true
      irs+=("$(sed -n 's/^\(summary\|totals\): *//p' "$f" | head -1)")
    done
    log "callgrind $scen $t: ${irs[*]}"
    printf 'ir\t%s\t%s\t%s\n' "$scen" "$t" "${irs[*]}" >>"$metrics"
    # Every function (threshold 100%), self cost, for the per-object and
    # per-function breakdowns; inclusive for the call-tree view.
    callgrind_annotate --threshold=100 "$raw/callgrind.$scen.$t.1.out" >"$raw/annotate.$scen.$t.self.txt" 2>/dev/null || true
    callgrind_annotate --inclusive=yes --threshold=99.9 "$raw/callgrind.$scen.$t.1.out" >"$raw/annotate.$scen.$t.incl.txt" 2>/dev/null || true
  done
done

# --- 2. wall time ------------------------------------------------------------
for scen in "${scenarios[@]}"; do
  args=()
  for t in "${present[@]}"; do
    c=$(cmd "$t" "$scen"); [[ -n $c ]] || continue
    args+=(-n "$t" "$c")
  done
  ((${#args[@]})) || continue
  log "hyperfine $scen ($runs runs)"
  hyperfine -N -i -w "$warmup" -r "$runs" --style basic \
    --export-json "$raw/hyperfine-$scen.json" --export-markdown "$raw/hyperfine-$scen.md" \
    "${args[@]}" >"$raw/hyperfine-$scen.txt" 2>&1 || log "hyperfine $scen failed: see $raw/hyperfine-$scen.txt"
done

# --- 3. peak RSS -------------------------------------------------------------
for scen in "${scenarios[@]}"; do
  for t in "${present[@]}"; do
    c=$(cmd "$t" "$scen"); [[ -n $c ]] || continue
    read -r -a argv <<<"$c"
    vals=()
    for _ in $(seq "$rss_runs"); do
      /usr/bin/time -f %M -o "$tmp/rss" "${argv[@]}" >/dev/null 2>&1 || true
      vals+=("$(tail -1 "$tmp/rss")")
    done
    printf 'rss\t%s\t%s\t%s\n' "$scen" "$t" "${vals[*]}" >>"$metrics"
  done
done

# --- report ------------------------------------------------------------------
python3 "$here/report.py" "$raw" >"$results/latest.md"
cat "$results/latest.md"
log "wrote $results/latest.md (raw data in $raw)"
