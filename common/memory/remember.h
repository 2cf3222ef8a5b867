// SPDX-License-Identifier: GPL-2.0-or-later
// One step of change detection against the state store: the key's previous
// state, the change to what is seen now (SPEC 1.4), and the new state
// recorded. For what is judged without classify() seeing the previous state
// (the combination of several vantages, a vantage read from a monitoring
// engine).
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "memory/change.h"
#include "memory/state_store.h"

namespace probewise {

struct Remembered {
  std::optional<Change> change;
  std::string error;      // "" when the new state was recorded
  std::string load_note;  // why the previous state was not read (not a regular file), or ""
};

Remembered remember(const StateStore& store, const std::string& key, const Observation& seen,
                    std::time_t now);

}  // namespace probewise
