#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the libFuzzer targets of tests/fuzz out of tree (clang++,
# -fsanitize=fuzzer,address,undefined, only the common/ sources each needs)
# and runs each for SECONDS, starting from the seed corpus in corpus/<target>.
# Fails on any crash, leak, sanitizer report or broken invariant; the
# crashing input is kept and printed. Exits 77 (skipped) without clang.
#
#   tests/fuzz/run.sh 20            # CI: ctest's fuzz_parsers
#   FUZZ_KEEP=1 tests/fuzz/run.sh 600  # longer, keep the grown corpus
set -euo pipefail

seconds=${1:-20}
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 SECONDS" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cxx=${FUZZ_CXX:-clang++}

# target: the common/ sources it links
declare -A sources=(
  [auth_challenge]="evidence/auth_challenge.cpp evidence/wording.cpp evidence/wording_rows.cpp evidence/body_text.cpp http/header_map.cpp base/text.cpp"
  [rate_limit]="evidence/rate_limit.cpp http/header_map.cpp http/http_date.cpp base/text.cpp"
  [jwt]="credentials/jwt.cpp base/base64.cpp"
  [redact]="secrets/secret_registry.cpp secrets/redact.cpp output/printable.cpp base/base64.cpp base/text.cpp"
)
targets=(auth_challenge rate_limit jwt redact)

if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "fuzz: $cxx not found (scripts/install-deps.sh installs clang); skipped"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/probewise-fuzz.XXXXXX")
keep=${FUZZ_KEEP:-}
cleanup() { [ -n "$keep" ] || rm -rf "$work"; }
trap cleanup EXIT

probe="$work/probe.cpp"
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' >"$probe"
if ! "$cxx" -fsanitize=fuzzer "$probe" -o "$work/probe" 2>"$work/probe.log"; then
  echo "fuzz: $cxx cannot link -fsanitize=fuzzer (libclang-rt-14-dev missing?); skipped"
  cat "$work/probe.log"
  exit 77
fi

flags=(-std=c++17 -g -O1 -fno-omit-frame-pointer
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -I"$root/common" -I"$here")

echo "== fuzz: building ${targets[*]} in $work"
pids=()
for t in "${targets[@]}"; do
  srcs=("$here/${t}_fuzz.cpp")
  for s in ${sources[$t]}; do srcs+=("$root/common/$s"); done
  "$cxx" "${flags[@]}" "${srcs[@]}" -o "$work/$t" >"$work/$t.build.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!targets[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "fuzz: building ${targets[$i]} failed:"
    cat "$work/${targets[$i]}.build.log"
    failed=1
  fi
done
[ "$failed" -eq 0 ] || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for t in "${targets[@]}"; do
  mkdir -p "$work/corpus/$t" "$work/crash/$t"
  echo "== fuzz: $t for ${seconds}s"
  # New inputs go to the first (scratch) directory; the committed seeds stay as they are.
  if "$work/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$work/crash/$t/" \
    "$work/corpus/$t" "$here/corpus/$t" >"$work/$t.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
    secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$work/$t.log")
    echo "fuzz: $t ok: ${runs:-?} executions in ${secs:-$seconds} s, corpus $(ls "$work/corpus/$t" | wc -l) new inputs"
  else
    failed=1
    keep=1
    echo "fuzz: $t FAILED"
    grep -E "ERROR|SUMMARY|runtime error|==[0-9]+==" "$work/$t.log" | head -20 || true
    tail -40 "$work/$t.log"
    for a in "$work/crash/$t"/*; do
      [ -e "$a" ] || continue
      echo "-- crashing input $a (hex):"
      od -A d -t x1z -v "$a" | head -40
    done
  fi
done
[ -z "$keep" ] || echo "fuzz: logs, crashing inputs and the grown corpus are kept in $work"
exit "$failed"
