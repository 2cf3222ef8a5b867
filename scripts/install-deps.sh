#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what building, testing and the demo need on Debian 12, when it is
# missing. Needs root (or sudo) only when something has to be installed.
#
#   scripts/install-deps.sh          everything (scripts/test.sh)
#   scripts/install-deps.sh --demo   only what scripts/demo.sh needs: the
#                                    check, the plugin, collectd, rrdtool
set -euo pipefail

demo_packages=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev libssl-dev libboost-program-options-dev nlohmann-json3-dev
  python3 openssl ca-certificates collectd-core collectd-dev librrd8 rrdtool
)
packages=(
  build-essential cmake pkg-config clang-format clang-tidy
  clang libclang-rt-14-dev
  libcurl4-openssl-dev libssl-dev libboost-program-options-dev nlohmann-json3-dev
  googletest libgtest-dev
  # tests/peer: monitoring-plugins' own check_http.t and check_curl.t
  libhttp-daemon-perl libhttp-daemon-ssl-perl libio-socket-ssl-perl libwww-perl liburi-perl libjson-perl
  python3 openssl ca-certificates collectd-core collectd-dev libpython3.11 valgrind
  # tests/distributed: two icinga2 daemons, collectd fan-in (network,
  # write_prometheus), the demo's rrdtool graphs; check_curl for bench/
  icinga2-bin icinga2-common monitoring-plugins-basic
  librrd8 rrdtool libmicrohttpd12 libprotobuf-c1
  # bench/collectd_soak.py and its CI test: a network namespace with its own resolver
  dnsmasq-base iproute2
  # tests/real: real servers, proxies, frameworks and products, each started
  # by the tests in the foreground with a private configuration
  apache2 apache2-utils libapache2-mod-auth-openidc libapache2-mod-security2 modsecurity-crs
  nginx-light haproxy caddy lighttpd squid
  # tests/integration/test_vantages.py: a SOCKS5 vantage with its own outgoing address
  microsocks
  python3-django python3-djangorestframework python3-djangorestframework-simplejwt python3-django-health-check
  python3-fastapi python3-uvicorn python3-jwt python3-flask python3-flask-httpauth python3-flask-login
  python3-flask-limiter
  docker-registry prometheus prometheus-alertmanager etcd-server
  # tests/real, issue 19: brokers, time-series stores, daemons, caches,
  # filtering proxies, a servlet container and more Python frameworks
  rabbitmq-server influxdb victoria-metrics nats-server syncthing transmission-daemon radicale
  varnish varnish-modules tinyproxy privoxy tomcat10 tomcat10-admin
  python3-cherrypy3 python3-bottle python3-falcon python3-waitress
)
# tests/real's Node applications (npm ci from the npm registry at test time).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [ "${1:-}" = --demo ]; then
  packages=("${demo_packages[@]}")
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
# The tests start their own icinga2 and collectd daemons: installing the
# packages must not start the system's (policy-rc.d, removed afterwards).
policy_rc_d=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  policy_rc_d=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy_rc_d" >/dev/null
  "${sudo_cmd[@]}" chmod 0755 "$policy_rc_d"
  trap '"${sudo_cmd[@]}" rm -f "$policy_rc_d"' EXIT
fi
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
