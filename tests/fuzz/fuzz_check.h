// SPDX-License-Identifier: GPL-2.0-or-later
// What every fuzz target checks besides "no crash": a broken promise of a
// parser's contract aborts, so libFuzzer reports it like a crash.
#pragma once

#include <cstdlib>

namespace probewise::fuzz {

inline void require(bool promise_kept) {
  if (!promise_kept) std::abort();
}

}  // namespace probewise::fuzz
