// SPDX-License-Identifier: GPL-2.0-or-later
#include "memory/remember.h"

namespace probewise {

Remembered remember(const StateStore& store, const std::string& key, const Observation& seen,
                    std::time_t now) {
  Remembered out;
  const auto previous = store.load(key, &out.load_note);
  out.change = detect_change(previous, seen, now);
  auto saved = store.record(key, next_state(previous, seen, now),
                            previous ? std::optional(state_meaning(*previous)) : std::nullopt);
  if (!saved) out.error = saved.error();
  return out;
}

}  // namespace probewise
