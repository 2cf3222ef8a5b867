// SPDX-License-Identifier: GPL-2.0-or-later
// Nagios plugin states and how they combine.
#pragma once

#include <optional>
#include <string_view>

namespace probewise {

// Values are the plugin exit codes of the monitoring-plugins guidelines.
enum class State { ok = 0, warning = 1, critical = 2, unknown = 3 };

// Severity order used to combine findings: OK < WARNING < UNKNOWN < CRITICAL
// (check_curl's max_state_alt).
State worst(State a, State b);
std::string_view state_name(State s);  // "OK", "WARNING", ...
// Accepts ok|warning|critical|unknown (any case) and 0-3.
std::optional<State> parse_state(std::string_view text);

}  // namespace probewise
