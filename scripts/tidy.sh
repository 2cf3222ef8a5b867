#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# clang-tidy over common/, check_plugin/, collectd_plugin/ and tests/ with the
# checks of .clang-tidy (every finding is an error), from the
# compile_commands.json of the build (scripts/build.sh writes it). Run after
# scripts/build.sh: the build makes the generated headers it reads.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${BUILD_DIR:-build}
[[ -f $build_dir/compile_commands.json ]] || { echo "tidy: no $build_dir/compile_commands.json: run scripts/build.sh first" >&2; exit 2; }
log=$build_dir/clang-tidy.log
start=$(date +%s)
if run-clang-tidy -p "$build_dir" -j "$(nproc)" -quiet \
    "^$root/(common|check_plugin|collectd_plugin|tests)/" >"$log" 2>&1; then
  echo "clang-tidy: no findings ($(($(date +%s) - start)) s)"
else
  # Each finding once (a header's is reported by every file that includes it).
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(warning|error): ' | sort -u
  echo "clang-tidy: findings above (whole log: $log)" >&2
  exit 1
fi
