#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs a command in a private mount namespace in which the files of the check
# package (monitoring-plugins-probewise) are where the package installs them,
# without installing anything on the machine:
#
#   unshare --mount --propagation private -- package_layout.sh LAYERS CHECK CHECKCOMMAND -- COMMAND...
#
#   /usr/lib/nagios/plugins/check_probewise                    CHECK
#   /usr/lib/nagios/plugins/check_probewise_compare            the one beside CHECK, when there
#   /usr/share/icinga2/include/plugins-contrib.d/probewise.conf CHECKCOMMAND
#   /var/lib/probewise                                          root:nagios 1770, empty
#                                                               (what the postinst makes)
#
# Each directory gets an overlay whose upper layer is LAYERS/<dir>, so the
# machine's own files stay visible and everything written there (the check's
# state files) lands in LAYERS, where the test reads it, and nowhere else.
# CHECK and CHECKCOMMAND "-" keep what is installed (the real package's files).
set -eu

if [ $# -lt 5 ] || [ "$4" != "--" ]; then
    echo "usage: $0 LAYERS CHECK CHECKCOMMAND -- COMMAND..." >&2
    exit 2
fi
layers=$1
check=$2
checkcommand=$3
shift 4

# overlay DIR: DIR shows LAYERS/upper/DIR over what the machine has there.
overlay() {
    upper="$layers/upper$1"
    work="$layers/work$1"
    mkdir -p "$upper" "$work"
    if [ ! -d "$1" ]; then
        echo "package_layout.sh: $1 does not exist on this machine" >&2
        exit 1
    fi
    mount -t overlay overlay -o "lowerdir=$1,upperdir=$upper,workdir=$work" "$1"
}

if [ "$check" != - ]; then
    mkdir -p "$layers/upper/usr/lib/nagios/plugins"
    install -m 0755 "$check" "$layers/upper/usr/lib/nagios/plugins/check_probewise"
    compare="$(dirname "$check")/check_probewise_compare"
    if [ -f "$compare" ]; then
        install -m 0755 "$compare" "$layers/upper/usr/lib/nagios/plugins/check_probewise_compare"
    fi
    overlay /usr/lib/nagios/plugins
fi
if [ "$checkcommand" != - ]; then
    mkdir -p "$layers/upper/usr/share/icinga2/include/plugins-contrib.d"
    install -m 0644 "$checkcommand" "$layers/upper/usr/share/icinga2/include/plugins-contrib.d/probewise.conf"
    overlay /usr/share/icinga2/include/plugins-contrib.d
fi
# The state directory as the postinst leaves it (Debian's icinga2 runs its
# checks as nagios). With the real package installed it exists already.
if [ ! -d /var/lib/probewise ]; then
    mkdir -p "$layers/upper/var/lib/probewise"
    chown root:nagios "$layers/upper/var/lib/probewise"
    chmod 1770 "$layers/upper/var/lib/probewise"
fi
overlay /var/lib

exec "$@"
