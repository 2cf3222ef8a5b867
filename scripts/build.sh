#!/usr/bin/env bash
# Configures and builds into ${BUILD_DIR:-build} with warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROBEWISE_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
