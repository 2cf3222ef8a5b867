// SPDX-License-Identifier: GPL-2.0-or-later
// Nagios threshold ranges: "10", "10:", "~:10", "10:20", "@10:20"
// (monitoring-plugins development guidelines, "Threshold and ranges").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "judge/state.h"

namespace probewise {

struct Range {
  double start = 0;
  double end = 0;
  bool start_infinite = false;  // "~:" form
  bool end_infinite = false;    // "N:" form
  bool inside = false;          // "@": alert inside the range
  std::string text;             // as given, for messages

  // True when the value lies where the range says to alert.
  bool alerts(double value) const;
};

Expected<Range> parse_range(std::string_view text);

// A warning and a critical range; either may be absent.
struct Thresholds {
  std::optional<Range> warning;
  std::optional<Range> critical;
  State evaluate(double value) const;
};

}  // namespace probewise
