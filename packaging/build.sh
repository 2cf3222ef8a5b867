#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds probewise's packages from this checkout (tracked files and new files
# not ignored by git, as they are in the working tree) into OUTDIR:
#
#   packaging/build.sh deb OUTDIR   Debian source and binary packages
#                                   (dpkg-buildpackage with packaging/debian)
#   packaging/build.sh rpm OUTDIR   source and binary RPMs
#                                   (rpmbuild with packaging/rpm/probewise.spec)
#
# The build dependencies must be installed (Debian: dpkg-checkbuilddeps
# packaging/debian/control lists what is missing). DEB_BUILD_OPTIONS and
# DEB_BUILD_PROFILES pass through (e.g. DEB_BUILD_OPTIONS=nocheck);
# RPMBUILD_ARGS adds arguments to rpmbuild (e.g. "--without collectd").
# On a host whose rpm database does not know the build dependencies (Debian,
# for CI), rpmbuild runs with --nodeps and takes collectd's plugin headers
# from collectd-dev.
set -euo pipefail

usage() {
  echo "usage: $0 deb|rpm OUTDIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
kind=$1
mkdir -p "$2"
outdir=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

version=$(sed -n 's/^project(probewise VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "build.sh: no version in CMakeLists.txt" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/probewise-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The source tree as the checkout has it, without build directories.
export_source() {
  local dest=$1
  mkdir -p "$dest"
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$root" && git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      tar --null -T - -cf -) | tar -C "$dest" -xf -
  else
    tar -C "$root" --exclude=.git --exclude='./build*' -cf - . | tar -C "$dest" -xf -
  fi
}

# A tarball whose bytes depend only on the files (for reproducible sources).
make_tarball() { # DIR-PARENT NAME TARBALL
  tar -C "$1" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime="@${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}" \
    -cf - "$2" | gzip -9n >"$3"
}

has_collectd_plugin() { [ -f "$root/collectd_plugin/CMakeLists.txt" ]; }

build_deb() {
  local changelog_version
  changelog_version=$(dpkg-parsechangelog -l "$here/debian/changelog" -S Version)
  if [ "${changelog_version%-*}" != "$version" ]; then
    echo "build.sh: packaging/debian/changelog is at $changelog_version, CMakeLists.txt at $version" >&2
    exit 1
  fi
  local src="$work/probewise-$version"
  export_source "$src"
  make_tarball "$work" "probewise-$version" "$work/probewise_$version.orig.tar.gz"
  cp -r "$here/debian" "$src/debian"
  if ! has_collectd_plugin; then
    echo "build.sh: no collectd_plugin/ in this checkout: building without collectd-probewise" >&2
    export DEB_BUILD_PROFILES="${DEB_BUILD_PROFILES:+$DEB_BUILD_PROFILES }pkg.probewise.nocollectd"
  fi
  (cd "$src" && dpkg-buildpackage -us -uc -j"$(nproc)")
  find "$work" -maxdepth 1 -type f \( -name '*.deb' -o -name '*.ddeb' -o -name '*.dsc' \
    -o -name '*.tar.*' -o -name '*.changes' -o -name '*.buildinfo' \) -exec cp {} "$outdir/" \;
  echo "build.sh: packages in $outdir"
}

build_rpm() {
  local spec="$here/rpm/probewise.spec"
  local spec_version
  spec_version=$(sed -n 's/^Version:[[:space:]]*//p' "$spec")
  if [ "$spec_version" != "$version" ]; then
    echo "build.sh: probewise.spec is at $spec_version, CMakeLists.txt at $version" >&2
    exit 1
  fi
  local top="$work/rpmbuild"
  mkdir -p "$top/SOURCES" "$top/SPECS"
  export_source "$work/probewise-$version"
  make_tarball "$work" "probewise-$version" "$top/SOURCES/probewise-$version.tar.gz"
  cp "$spec" "$top/SPECS/"
  local args=(--define "_topdir $top" --define "_rpmdir $outdir" --define "_srcrpmdir $outdir")
  if ! rpm -q --quiet rpm 2>/dev/null; then
    # rpm is not managed by its own database: a Debian host.
    args+=(--nodeps --define "collectd_headers /usr/include")
  fi
  if ! has_collectd_plugin; then
    echo "build.sh: no collectd_plugin/ in this checkout: building without collectd-probewise" >&2
    args+=(--without collectd)
  fi
  # shellcheck disable=SC2086 # RPMBUILD_ARGS is a word list on purpose
  rpmbuild -ba "${args[@]}" ${RPMBUILD_ARGS:-} "$top/SPECS/probewise.spec"
  echo "build.sh: packages in $outdir"
}

case "$kind" in
  deb) build_deb ;;
  rpm) build_rpm ;;
  *) usage ;;
esac
