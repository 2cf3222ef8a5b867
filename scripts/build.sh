#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Configures and builds into ${BUILD_DIR:-build} with warnings as errors.
# Arguments go to CMake's configure step; PROBEWISE_BUILD_TARGETS (space
# separated) builds only those targets, in that order.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROBEWISE_WERROR=ON "$@" >/dev/null
if [ -n "${PROBEWISE_BUILD_TARGETS:-}" ]; then
  for target in $PROBEWISE_BUILD_TARGETS; do
    cmake --build "$build_dir" -j "$(nproc)" --target "$target"
  done
else
  cmake --build "$build_dir" -j "$(nproc)"
fi
