#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test run: install what is missing, check formatting, build with
# warnings as errors, clang-tidy with zero findings, run every unit and
# integration test with ctest; then the same suites built with ASan + UBSan,
# and the collectd plugin under ThreadSanitizer in a real collectd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== clang-format"
files=$(git ls-files '*.cpp' '*.h' 2>/dev/null || find common check_plugin collectd_plugin tests -name '*.cpp' -o -name '*.h')
clang-format --dry-run --Werror $files

echo "== build"
# Tests on, whatever an earlier scripts/demo.sh left in the build tree's cache.
scripts/build.sh -DPROBEWISE_BUILD_TESTS=ON

echo "== clang-tidy"
scripts/tidy.sh

echo "== ctest"
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure --timeout 900 -j 2)

# The sanitizer stages (PROBEWISE_SANITIZERS=0 leaves them out of a quick
# local run; CI runs them).
[ "${PROBEWISE_SANITIZERS:-1}" = 1 ] || exit 0

# A second tree with sanitizers: its check_probewise, unit tests and
# probewise.so (preloaded runtime inside Debian's collectd) are what its
# ctest runs. Packaging builds its own tree; fuzz_parsers has its own ASan;
# the distributed tests check deployment, not the code, and run once.
sanitized_ctest() {
  local dir=$1 sanitizers=$2 target=$3
  shift 3
  echo "== build ($sanitizers) in $dir"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROBEWISE_WERROR=ON \
    -DPROBEWISE_SANITIZE="$sanitizers" -DPROBEWISE_STATIC_CXX=OFF >/dev/null
  cmake --build "$dir" -j "$(nproc)" --target "$target"
  rm -rf "$dir/sanitizer-reports" && mkdir -p "$dir/sanitizer-reports"
  echo "== ctest ($sanitizers)"
  local status=0
  (cd "$dir" && ctest --output-on-failure --timeout 900 -j 2 "$@") || status=$?
  # Each report also fails its own test (exit code 99); this catches one
  # that a test did not look at.
  if [ -n "$(ls -A "$dir/sanitizer-reports")" ]; then
    echo "sanitizer reports in $dir/sanitizer-reports:"
    for f in "$dir"/sanitizer-reports/*; do echo "--- $f"; head -c 8000 "$f"; done
    status=1
  fi
  return $status
}
sanitized_ctest "${ASAN_BUILD_DIR:-build-asan}" address,undefined all -E '^(packaging|fuzz_parsers|distributed_.*)$'
# ThreadSanitizer: the plugin's threads (collectd's, its own, libcurl's
# resolver) inside a real collectd, the secrets registry they share among
# them; only the .so is built.
sanitized_ctest "${TSAN_BUILD_DIR:-build-tsan}" thread probewise -R '^integration_(collectd|secrets_collectd)'
