// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/state.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace probewise {
namespace {

int severity(State s) {
  switch (s) {
    case State::ok: return 0;
    case State::warning: return 1;
    case State::unknown: return 2;
    case State::critical: return 3;
  }
  return 2;
}

struct StateName {
  State state;
  std::string_view upper;
  std::string_view lower;
  std::string_view digit;
};

constexpr std::array<StateName, 4> kNames{{
    {State::ok, "OK", "ok", "0"},
    {State::warning, "WARNING", "warning", "1"},
    {State::critical, "CRITICAL", "critical", "2"},
    {State::unknown, "UNKNOWN", "unknown", "3"},
}};

}  // namespace

State worst(State a, State b) {
  return severity(a) >= severity(b) ? a : b;
}

std::string_view state_name(State s) {
  for (const auto& n : kNames)
    if (n.state == s) return n.upper;
  return "UNKNOWN";
}

std::optional<State> parse_state(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& n : kNames)
    if (lower == n.lower || lower == n.digit) return n.state;
  return std::nullopt;
}

}  // namespace probewise
