// SPDX-License-Identifier: GPL-2.0-or-later
// Status code lists ("200-299,401", "2xx,304") and per-status verdicts
// ("401=critical,4xx=warning") for --expect-status and --status-state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "judge/state.h"

namespace probewise {

// One item of a list: a code (200), a range (200-299) or a class (2xx).
struct StatusPattern {
  int low = 0;
  int high = 0;
  bool matches(int status) const { return status >= low && status <= high; }
  int width() const { return high - low; }  // narrower is more specific
};

struct StatusSet {
  std::vector<StatusPattern> patterns;
  std::string text;  // as given
  bool contains(int status) const;
};

struct StatusRule {
  StatusPattern pattern;
  State state = State::ok;
};

struct StatusStates {
  std::vector<StatusRule> rules;
  // The most specific rule that matches (a code beats a range beats a class);
  // nullptr when none does.
  const StatusRule* find(int status) const;
};

Expected<StatusPattern> parse_status_pattern(std::string_view raw);
Expected<StatusSet> parse_status_set(std::string_view text);
Expected<StatusStates> parse_status_states(std::string_view text);

}  // namespace probewise
