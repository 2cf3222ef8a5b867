#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tls_backends.sh: the CPU a new TLS connection costs the client, per TLS
# library libcurl is built with (bench/tls_backends.c), beside a new plain
# HTTP connection, against local servers (openssl s_server, python's
# http.server). What it answers: how much of probewise.so's CPU per HTTPS
# probe on new connections is libcurl's TLS library, not the plugin.
#
#   bench/tls_backends.sh [REQUESTS]     # default 2000; about a minute
#
# Needs libcurl4-openssl-dev (for the header), libcurl4, libcurl3-gnutls,
# openssl, gcc; Debian's libcurl3-nss is used when installed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n=${1:-2000}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out cert.pem \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tls_port=$(port)
openssl s_server -quiet -accept "127.0.0.1:$tls_port" -cert cert.pem -key key.pem -www >/dev/null 2>&1 &
pids+=($!)
http_port=$(port)
python3 -m http.server --bind 127.0.0.1 "$http_port" >/dev/null 2>&1 &
pids+=($!)
sleep 1
lib=/usr/lib/$(gcc -print-multiarch)
for flavour in libcurl.so.4 libcurl-gnutls.so.4 libcurl-nss.so.4; do
  [[ -e $lib/$flavour ]] || continue
  gcc -O2 -o "tls-$flavour" "$here/tls_backends.c" "$lib/$flavour"
  printf '%-22s https: ' "$flavour"
  "./tls-$flavour" "https://127.0.0.1:$tls_port/" cert.pem "$n"
done
printf '%-22s http:  ' libcurl.so.4
./tls-libcurl.so.4 "http://127.0.0.1:$http_port/" cert.pem "$n"
