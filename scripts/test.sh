#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test run: install what is missing, check formatting, build with
# warnings as errors, run every unit and integration test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== clang-format"
files=$(git ls-files '*.cpp' '*.h' 2>/dev/null || find common check_plugin collectd_plugin tests -name '*.cpp' -o -name '*.h')
clang-format --dry-run --Werror $files

echo "== build"
scripts/build.sh

echo "== ctest"
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 900 -j 2
