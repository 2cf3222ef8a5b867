#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The packages end to end (SPEC 3): build the .debs from this checkout, lint
# them, install them, run the installed check (as root and as nagios, with
# the state directory the package made), validate and run the installed
# Icinga 2 CheckCommand with the real icinga2 (alone, and on the agent of a
# master that schedules it with command_endpoint), validate the Nagios command
# definitions with the real nagios4 and run their command lines, load the
# installed plugin into the real collectd and read a value it wrote, purge;
# then build the RPMs and check their file lists, requirements and rpmlint.
#
# Needs root on Debian (it installs packages): exits 77 (skipped) otherwise,
# when PROBEWISE_SKIP_PACKAGING=1, or when the probewise packages are already
# installed (it would purge them). The tools it needs (debhelper, lintian,
# rpm, rpmlint, icinga2, nagios4, collectd, the build dependencies) are
# installed with apt-get when missing and left installed; daemons are kept
# from starting while that happens. PROBEWISE_PACKAGING_CHECK=1 also runs
# the unit tests inside the package builds (off by default: ctest runs them
# anyway).
set -euo pipefail

# grep -q in a pipeline may stop reading early and kill the writer with
# SIGPIPE, which pipefail reports as a failure: read everything instead.
grep_q() { grep "$@" >/dev/null; }

skip() {
  echo "SKIP: $*"
  exit 77
}
[ "${PROBEWISE_SKIP_PACKAGING:-0}" != 1 ] || skip "PROBEWISE_SKIP_PACKAGING=1"
[ "$(id -u)" -eq 0 ] || skip "needs root: it installs and purges packages"
command -v apt-get >/dev/null && command -v dpkg-query >/dev/null || skip "needs a Debian system (apt-get, dpkg)"
for p in monitoring-plugins-probewise collectd-probewise; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep_q "install ok installed"; then
    skip "$p is installed on this machine already; not touching it"
  fi
done
if [ -e /var/lib/probewise ]; then
  skip "/var/lib/probewise exists already (state of an earlier installation); not touching it"
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
servers="$root/tests/servers"
work=$(mktemp -d "${TMPDIR:-/tmp}/probewise-packaging.XXXXXX")
chmod 0755 "$work"
version=$(sed -n 's/^project(probewise VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
plugin=/usr/lib/nagios/plugins/check_probewise

step() { printf '\n== %s\n' "$*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# --- cleanup: stop what we started, purge what we installed ---------------
pids=()          # process groups of daemons and servers we started
installed=0      # whether our packages may be installed
policy_rc_d=""   # a policy-rc.d we put in place

cleanup() {
  local rc=$?
  set +e
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null
  done
  if [ "$installed" = 1 ]; then
    apt_get purge monitoring-plugins-probewise collectd-probewise >/dev/null 2>&1
  fi
  [ -z "$policy_rc_d" ] || rm -f "$policy_rc_d"
  if [ "$rc" -eq 0 ] || [ "${PROBEWISE_KEEP_WORK:-0}" != 1 ]; then
    rm -rf "$work"
  else
    echo "work directory kept: $work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts "$@" in its own process group (so cleanup stops its children too).
start_group() {
  setsid "$@" &
  pids+=("$!")
}

# Stops the process group started last by start_group.
stop_last_group() {
  local pid=${pids[-1]}
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
}

wait_for() { # SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq $((seconds * 5))); do
    "$@" && return 0
    sleep 0.2
  done
  fail "timed out after ${seconds}s waiting for $what"
}

apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 -y -qq "$@"
}
apt_install() { apt_get install --no-install-recommends "$@"; }

# --- tools -------------------------------------------------------------------
step "tools"
export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-}"
export DEB_BUILD_PROFILES="${DEB_BUILD_PROFILES:-}"
rpm_args="--without check"
if [ "${PROBEWISE_PACKAGING_CHECK:-0}" != 1 ]; then
  DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS nocheck"
  DEB_BUILD_PROFILES="$DEB_BUILD_PROFILES nocheck"
else
  rpm_args=""
fi
tools=(debhelper dpkg-dev fakeroot lintian rpm rpmlint icinga2-bin icinga2-common nagios4-core collectd-core
  python3 openssl)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep_q "install ok installed" || missing+=("$p")
done
# The build dependencies of packaging/debian/control, without versions.
read -r -a build_deps <<<"$(DEB_BUILD_PROFILES="$DEB_BUILD_PROFILES" dpkg-checkbuilddeps \
  "$root/packaging/debian/control" 2>&1 | sed -n 's/.*Unmet build dependencies: //p' |
  sed 's/([^)]*)//g; s/|[^ ]*//g')"
missing+=("${build_deps[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  # Installing icinga2, nagios4 or collectd must not start their daemons.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy_rc_d=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$policy_rc_d"
    chmod 0755 "$policy_rc_d"
  fi
  apt_get update
  apt_install "${missing[@]}"
fi
getent group nagios >/dev/null || fail "icinga2/nagios4 did not create the nagios group"

# --- Debian packages -------------------------------------------------------------
step "build .debs (DEB_BUILD_OPTIONS=$DEB_BUILD_OPTIONS)"
"$root/packaging/build.sh" deb "$work/deb" >"$work/deb-build.log" 2>&1 ||
  { tail -50 "$work/deb-build.log"; fail "packaging/build.sh deb"; }
ls "$work/deb"
check_deb="$work/deb/monitoring-plugins-probewise_${version}-1_$(dpkg --print-architecture).deb"
collectd_deb="$work/deb/collectd-probewise_${version}-1_$(dpkg --print-architecture).deb"
[ -f "$check_deb" ] || fail "no $check_deb"
[ -f "$collectd_deb" ] || fail "no $collectd_deb"

step "lintian"
# Errors and warnings fail; every accepted tag is overridden in
# packaging/debian with its reason. Info and pedantic tags are shown.
lintian --fail-on error,warning --pedantic --tag-display-limit 0 "$work"/deb/*.changes ||
  fail "lintian reported errors or warnings"
echo "overridden (with reasons in packaging/debian):"
lintian --show-overrides --pedantic "$work"/deb/*.changes 2>/dev/null | grep '^O:' || true

step "contents"
listing=$(dpkg-deb -c "$check_deb")
for f in usr/lib/nagios/plugins/check_probewise usr/share/icinga2/include/plugins-contrib.d/probewise.conf \
  etc/nagios-plugins/config/probewise.cfg usr/share/man/man1/check_probewise.1.gz; do
  grep -q " \./$f\$" <<<"$listing" || fail "$f missing from $(basename "$check_deb")"
done
listing=$(dpkg-deb -c "$collectd_deb")
for f in usr/lib/collectd/probewise.so etc/collectd/collectd.conf.d/probewise.conf \
  usr/share/man/man5/collectd-probewise.5.gz usr/share/probewise/prometheus/probewise-vantages.rules.yml; do
  grep -q " \./$f\$" <<<"$listing" || fail "$f missing from $(basename "$collectd_deb")"
done
dpkg-deb -f "$collectd_deb" Depends | grep_q "collectd-core (>= " || fail "collectd-probewise does not depend on collectd-core"
# Nothing under the incumbents' names: check_http and check_curl stay
# monitoring-plugins' (a link named check_http is the user's choice).
for deb in "$check_deb" "$collectd_deb"; do
  if dpkg-deb -c "$deb" | grep -E '/check_(http|curl)( |$)'; then
    fail "$(basename "$deb") installs a file under an incumbent's name"
  fi
done

step "install"
installed=1
apt_install "$check_deb" "$collectd_deb"
dpkg-query -W -f='${Conffiles}\n' monitoring-plugins-probewise | grep_q /etc/nagios-plugins/config/probewise.cfg ||
  fail "probewise.cfg is not a conffile"
dpkg-query -W -f='${Conffiles}\n' collectd-probewise | grep_q /etc/collectd/collectd.conf.d/probewise.conf ||
  fail "the collectd snippet is not a conffile"
perms=$(stat -c '%U:%G %a' /var/lib/probewise)
[ "$perms" = "root:nagios 1770" ] || fail "/var/lib/probewise is $perms, expected root:nagios 1770"
echo "/var/lib/probewise: $perms"
if command -v promtool >/dev/null; then
  promtool check rules /usr/share/probewise/prometheus/probewise-vantages.rules.yml ||
    fail "the installed Prometheus rules do not load"
fi

step "test servers"
"$servers/make_certs.sh" "$work/certs"
chmod -R a+rX "$work/certs" # test material, read by the checks run as nagios
start_group python3 "$servers/testserver.py" --port-file "$work/http.port" --exit-with-parent
start_group python3 "$servers/testserver.py" --port-file "$work/https.port" --exit-with-parent \
  --tls "$work/certs/server.pem" "$work/certs/server.key"
wait_for 20 "the HTTP test server" test -s "$work/http.port"
wait_for 20 "the HTTPS test server" test -s "$work/https.port"
http_port=$(cat "$work/http.port")
https_port=$(cat "$work/https.port")
echo "http on $http_port, https on $https_port"

step "the installed check"
set +e
out=$("$plugin" -H 127.0.0.1 -p "$http_port" -u / --no-state)
rc=$?
set -e
echo "$out"
[ "$rc" -eq 0 ] && [[ "$out" == "HTTP OK: "* ]] || fail "check_probewise against the test server: exit $rc"
version_line=$("$plugin" --version || true) # exits 3, as the guidelines say
grep_q "$version" <<<"$version_line" || fail "check_probewise --version does not say $version"
# As the nagios user: the package's state directory is used without any
# option, and a change of status is noticed through it.
key="packaging-test-$$"
runuser -u nagios -- "$plugin" -H 127.0.0.1 -p "$http_port" -u / --state-key "$key" >/dev/null ||
  fail "check_probewise as nagios"
find /var/lib/probewise -user nagios -type f | grep_q . || fail "nagios left no state in /var/lib/probewise"
set +e
out=$(runuser -u nagios -- "$plugin" -H 127.0.0.1 -p "$http_port" -u /demo/unauthorized --state-key "$key")
rc=$?
set -e
echo "$out"
[ "$rc" -eq 1 ] || fail "a 401 should be WARNING, got exit $rc"
grep -q "changed from 200" <<<"$out" || fail "the nagios user's change from 200 to 401 was not noticed"

step "Icinga 2: icinga2 daemon -C with the installed CheckCommand"
i2="$work/icinga2"
mkdir -p "$i2"/{cache,data,log,spool,run}
cat >"$i2/icinga2.conf" <<EOF
const PluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
const ManubulonPluginDir = "/usr/lib/nagios/plugins"
const NodeName = "probewise-packaging-test"
const ZoneName = NodeName
include <itl>
include <plugins>
include <plugins-contrib>

object CheckerComponent "checker" { }
object FileLogger "commands" {
  path = "$i2/commands.log"
  severity = "notice"
}

object Host "web1" {
  check_command = "dummy"
  address = "127.0.0.1"
  vars.http_port = $http_port
  vars.https_port = $https_port
}

object Service "health" {
  host_name = "web1"
  check_command = "probewise"
  check_interval = 1s
  retry_interval = 1s
  vars.probewise_port = "\$host.vars.http_port\$"
  vars.probewise_uri = "/demo/healthy"
  vars.probewise_health = true
  vars.probewise_expect_status = "2xx"
  vars.probewise_header = [ "X-Probe: icinga2", "X-Test: packaging" ]
  vars.probewise_no_state = true
}

object Service "tls" {
  host_name = "web1"
  check_command = "probewise"
  check_interval = 1s
  retry_interval = 1s
  vars.probewise_vhost = "localhost"
  vars.probewise_port = "\$host.vars.https_port\$"
  vars.probewise_tls_version = "1.2+"
  vars.probewise_verify_cert = true
  vars.probewise_ca_cert = "$work/certs/ca.pem"
  vars.probewise_certificate = "30,14"
  vars.probewise_certificate_continue = true
  vars.probewise_no_state = true
}
EOF
i2_defines=(-DStatePath="$i2/data/icinga2.state" -DObjectsPath="$i2/cache/icinga2.debug"
  -DVarsPath="$i2/cache/icinga2.vars" -DPidPath="$i2/run/icinga2.pid" -DModAttrPath="$i2/data/modified-attributes.conf"
  -DInitRunDir="$i2/run" -DDataDir="$i2/data" -DCacheDir="$i2/cache" -DLogDir="$i2/log" -DSpoolDir="$i2/spool"
  -DRunAsUser=nagios -DRunAsGroup=nagios)
chown -R nagios:nagios "$i2"
icinga2 daemon -C -c "$i2/icinga2.conf" "${i2_defines[@]}" | tee "$i2/validate.log"
grep -q "Instantiated 2 Services" "$i2/validate.log" || fail "icinga2 did not instantiate the services"

step "Icinga 2: the daemon runs the CheckCommand"
start_group icinga2 daemon -c "$i2/icinga2.conf" "${i2_defines[@]}" --log-level warning
ran_ok() { # SERVICE-SPECIFIC ARGUMENT
  grep "terminated with exit code 0" "$i2/commands.log" 2>/dev/null | grep_q -- "$1"
}
wait_for 60 "icinga2 to run the health check" ran_ok "'--health'"
wait_for 30 "icinga2 to run the TLS check" ran_ok "'--ssl=1.2+'"
stop_last_group
grep "Running command '$plugin'" "$i2/commands.log" | sed 's/^.*Running command //; s/: PID [0-9]*$//' | sort -u

step "Icinga 2 master and agent with the installed package (tests/distributed/test_icinga2.py)"
# The agent runs the installed check from /usr/lib/nagios/plugins with the
# installed CheckCommand; its state goes to an overlay of /var/lib.
PROBEWISE_DISTRIBUTED_INSTALLED=1 python3 "$root/tests/distributed/test_icinga2.py" ||
  fail "the distributed Icinga 2 test against the installed package"

step "Nagios: nagios4 -v with the installed command definitions"
ng="$work/nagios"
mkdir -p "$ng/spool"
cat >"$ng/nagios.cfg" <<EOF
log_file=$ng/nagios.log
cfg_file=/etc/nagios-plugins/config/probewise.cfg
cfg_file=$ng/objects.cfg
object_cache_file=$ng/objects.cache
precached_object_file=$ng/objects.precache
status_file=$ng/status.dat
temp_file=$ng/nagios.tmp
temp_path=$ng
lock_file=$ng/nagios.lock
check_result_path=$ng/spool
state_retention_file=$ng/retention.dat
command_file=$ng/nagios.cmd
nagios_user=nagios
nagios_group=nagios
EOF
echo 'illegal_macro_output_chars=`~$&|'"'"'"<>' >>"$ng/nagios.cfg"
cat >"$ng/objects.cfg" <<EOF
define timeperiod{
	timeperiod_name	always
	alias		always
	monday		00:00-24:00
	tuesday		00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday		00:00-24:00
	saturday	00:00-24:00
	sunday		00:00-24:00
	}
define command{
	command_name	notify-nobody
	command_line	/bin/true
	}
define contact{
	contact_name			nobody
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	always
	service_notification_period	always
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	notify-nobody
	service_notification_commands	notify-nobody
	}
define host{
	name			test-host
	max_check_attempts	1
	check_period		always
	contacts		nobody
	notification_interval	0
	notification_period	always
	register		0
	}
define service{
	name			test-service
	max_check_attempts	1
	check_interval		1
	retry_interval		1
	check_period		always
	contacts		nobody
	notification_interval	0
	notification_period	always
	register		0
	}
define host{
	use		test-host
	host_name	localhost
	alias		localhost
	address		127.0.0.1
	}
EOF
# One service per shipped command, with the arguments that run it here.
nagios_services=(
  "check_probewise!-p $http_port -u /demo/healthy --health"
  "check_probewise_hostname!-p $http_port"
  "check_probewise_vhost!localhost!-p $http_port -w 5 -c 10"
  "check_probewise_https!-p $https_port -D --ca-cert=$work/certs/ca.pem"
  "check_probewise_https_vhost!localhost!-p $https_port -D --ca-cert=$work/certs/ca.pem"
  "check_probewise_health!localhost!/demo/healthy!-p $https_port --ca-cert=$work/certs/ca.pem"
  "check_probewise_certificate!localhost!30,14!-p $https_port --ca-cert=$work/certs/ca.pem"
)
for s in "${nagios_services[@]}"; do
  printf 'define service{\n\tuse\t\t\ttest-service\n\thost_name\t\tlocalhost\n\tservice_description\t%s\n\tcheck_command\t\t%s\n\t}\n' \
    "${s%%!*}" "$s" >>"$ng/objects.cfg"
done
chown -R nagios:nagios "$ng"
nagios4 -v "$ng/nagios.cfg" | tee "$ng/verify.log"
grep -q "Total Warnings: 0" "$ng/verify.log" || fail "nagios4 -v warned"
grep -q "Total Errors:   0" "$ng/verify.log" || fail "nagios4 -v found errors"
grep -q "Checked ${#nagios_services[@]} services" "$ng/verify.log" || fail "nagios4 did not check every service"

step "Nagios: the command lines, with the macros Nagios fills in"
# Nagios runs a command line containing quotes through /bin/sh after
# replacing its macros; do the same for each shipped command.
for s in "${nagios_services[@]}"; do
  IFS='!' read -r -a parts <<<"$s"
  line=$(awk -v name="${parts[0]}" '
    $1 == "command_name" && $2 == name { found = 1; next }
    found && $1 == "command_line" { sub(/^[ \t]*command_line[ \t]+/, ""); print; exit }' \
    /etc/nagios-plugins/config/probewise.cfg)
  [ -n "$line" ] || fail "no command_line for ${parts[0]}"
  line=${line//\$HOSTADDRESS\$/127.0.0.1}
  line=${line//\$HOSTNAME\$/localhost}
  for i in 1 2 3; do
    line=${line//\$ARG$i\$/${parts[$i]:-}}
  done
  set +e
  out=$(runuser -u nagios -- /bin/sh -c "$line --no-state" 2>&1)
  rc=$?
  set -e
  printf '%s: exit %d: %s\n' "${parts[0]}" "$rc" "$(head -1 <<<"$out")"
  [ "$rc" -eq 0 ] || fail "${parts[0]}: $line"
done

step "collectd: the installed plugin with the shipped snippet"
cd="$work/collectd"
mkdir -p "$cd"
printf 'not-a-real-token\n' >"$cd/api.token"
# The snippet, uncommented ('#' in front of configuration, '##' in front of
# explanations) and pointed at the test server.
sed -e '/^##/d' -e 's/^#//' \
  -e "s|\"https://www.example.com/\"|\"http://127.0.0.1:$http_port/\"|" \
  -e "s|\"https://api.example.com/v1/health\"|\"http://127.0.0.1:$http_port/demo/healthy\"|" \
  -e "s|\"/etc/collectd/api.token\"|\"$cd/api.token\"|" \
  /etc/collectd/collectd.conf.d/probewise.conf >"$cd/probewise.conf"
grep -q "^LoadPlugin probewise" "$cd/probewise.conf" || fail "the snippet has no LoadPlugin probewise to uncomment"
cat >"$cd/collectd.conf" <<EOF
Hostname "packaging-test"
FQDNLookup false
Interval 1
BaseDir "$cd"
PIDFile "$cd/collectd.pid"
PluginDir "/usr/lib/collectd"
TypesDB "/usr/share/collectd/types.db"
LoadPlugin logfile
<Plugin logfile>
	LogLevel info
	File "$cd/collectd.log"
	Timestamp true
</Plugin>
LoadPlugin csv
<Plugin csv>
	DataDir "$cd/csv"
</Plugin>
Include "$cd/probewise.conf"
EOF
collectd -t -C "$cd/collectd.conf" || fail "collectd -t rejects the configuration"
start_group collectd -f -C "$cd/collectd.conf"
up_value() { # ENDPOINT: the newest bool-up value it wrote is 1
  local f
  f=$(find "$cd/csv/packaging-test/probewise-$1" -name 'bool-up-*' 2>/dev/null | head -1)
  [ -n "$f" ] && tail -1 "$f" | grep_q ',1\(\.0*\)\?$'
}
wait_for 60 "collectd to write bool-up 1 for the endpoint \"example\"" up_value example
wait_for 30 "collectd to write bool-up 1 for the endpoint \"api\"" up_value api
ls "$cd/csv/packaging-test/probewise-example"
if grep -iE "error|failed" "$cd/collectd.log"; then
  fail "collectd logged errors"
fi

stop_last_group # collectd

step "purge"
apt_get purge monitoring-plugins-probewise collectd-probewise
installed=0
for f in "$plugin" /usr/lib/collectd/probewise.so /etc/nagios-plugins/config/probewise.cfg \
  /etc/collectd/collectd.conf.d/probewise.conf /usr/share/icinga2/include/plugins-contrib.d/probewise.conf \
  /var/lib/probewise; do
  [ ! -e "$f" ] || fail "$f is left after purge"
done

# --- RPM packages ---------------------------------------------------------------
step "build RPMs (rpmbuild --nodeps $rpm_args)"
RPMBUILD_ARGS="$rpm_args" "$root/packaging/build.sh" rpm "$work/rpm" >"$work/rpm-build.log" 2>&1 ||
  { tail -50 "$work/rpm-build.log"; fail "packaging/build.sh rpm"; }
libdir=$(rpm --eval '%{_libdir}')
rpms=("$work"/rpm/*/*.rpm)
ls "$work"/rpm/*

# The expected file lists (rpm -qlp), without build-id links.
expect_files() { # RPM EXPECTED...
  local pkg=$1
  shift
  local got
  got=$(rpm -qlp "$pkg" | grep -v '^/usr/lib/\.build-id' | sed 's/\.\(gz\|bz2\|xz\)$//')
  if [ "$got" != "$(printf '%s\n' "$@" | sort)" ]; then
    diff <(printf '%s\n' "$@" | sort) <(echo "$got") || true
    fail "unexpected files in $(basename "$pkg")"
  fi
}
nagios_rpm=$(printf '%s\n' "${rpms[@]}" | grep "/nagios-plugins-probewise-$version-")
collectd_rpm=$(printf '%s\n' "${rpms[@]}" | grep "/collectd-probewise-$version-")
expect_files "$nagios_rpm" \
  /etc/nagios /etc/nagios/conf.d /etc/nagios/conf.d/probewise.cfg \
  "$libdir/nagios/plugins/check_probewise" \
  "/usr/share/doc/nagios-plugins-probewise-$version" "/usr/share/doc/nagios-plugins-probewise-$version/README.md" \
  "/usr/share/licenses/nagios-plugins-probewise-$version" \
  "/usr/share/licenses/nagios-plugins-probewise-$version/COPYING" \
  /usr/share/icinga2 /usr/share/icinga2/include /usr/share/icinga2/include/plugins-contrib.d \
  /usr/share/icinga2/include/plugins-contrib.d/probewise.conf \
  /usr/share/man/man1/check_probewise.1 /var/lib/probewise
expect_files "$collectd_rpm" \
  /etc/collectd.d /etc/collectd.d/probewise.conf "$libdir/collectd/probewise.so" \
  "/usr/share/doc/collectd-probewise-$version" "/usr/share/doc/collectd-probewise-$version/README.md" \
  "/usr/share/licenses/collectd-probewise-$version" "/usr/share/licenses/collectd-probewise-$version/COPYING" \
  /usr/share/man/man5/collectd-probewise.5 /usr/share/probewise /usr/share/probewise/prometheus \
  /usr/share/probewise/prometheus/probewise-vantages.rules.yml
rpm -qpc "$nagios_rpm" | grep_q -x /etc/nagios/conf.d/probewise.cfg || fail "probewise.cfg is not %config"
rpm -qpc "$collectd_rpm" | grep_q -x /etc/collectd.d/probewise.conf || fail "the collectd snippet is not %config"
rpm -qp --dump "$nagios_rpm" | grep_q '^/var/lib/probewise .* 041770 root root' ||
  fail "/var/lib/probewise is not 1770 in the RPM"
rpm -qp --requires "$nagios_rpm" | grep_q '^libcurl\.so\.4' || fail "no generated libcurl requirement"
rpm -qp --requires "$collectd_rpm" | grep_q '^(collectd' || fail "collectd-probewise does not require collectd"
mkdir -p "$work/rpm-root"
(cd "$work/rpm-root" && rpm2cpio "$nagios_rpm" | cpio -idm --quiet)
grep -q "command_line	$libdir/nagios/plugins/check_probewise " "$work/rpm-root/etc/nagios/conf.d/probewise.cfg" ||
  fail "the RPM's command definitions do not point at $libdir/nagios/plugins"

step "rpmlint"
rpmlint -c "$root/packaging/rpm/rpmlint.toml" -r "$root/packaging/rpm/probewise.rpmlintrc" "$root/packaging/rpm/probewise.spec" \
  "$work"/rpm/*.src.rpm "${rpms[@]}" | tee "$work/rpmlint.log"
grep -q " 0 errors, 0 warnings" "$work/rpmlint.log" || fail "rpmlint reported errors or warnings"

echo
echo "packaging: all good"
