// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/range.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace probewise {
namespace {

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string copy(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(copy.c_str(), &end);
  if (errno != 0 || end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

bool Range::alerts(double value) const {
  bool within = (start_infinite || value >= start) && (end_infinite || value <= end);
  return inside ? within : !within;
}

Expected<Range> parse_range(std::string_view text) {
  Range r;
  r.text = std::string(text);
  auto bad = [&](const char* why) { return Error{"invalid range '" + std::string(text) + "': " + why}; };
  std::string_view s = text;
  if (!s.empty() && s.front() == '@') {
    r.inside = true;
    s.remove_prefix(1);
  }
  if (s.empty()) return bad("empty");
  auto colon = s.find(':');
  if (colon == std::string_view::npos) {
    auto end = parse_number(s);
    if (!end) return bad("not a number");
    r.start = 0;
    r.end = *end;
  } else {
    std::string_view lo = s.substr(0, colon);
    std::string_view hi = s.substr(colon + 1);
    if (hi.find(':') != std::string_view::npos) return bad("more than one ':'");
    if (lo == "~") {
      r.start_infinite = true;
    } else if (lo.empty()) {
      r.start = 0;
    } else {
      auto v = parse_number(lo);
      if (!v) return bad("start is not a number");
      r.start = *v;
    }
    if (hi.empty()) {
      r.end_infinite = true;
    } else {
      auto v = parse_number(hi);
      if (!v) return bad("end is not a number");
      r.end = *v;
    }
  }
  if (!r.start_infinite && !r.end_infinite && r.start > r.end) return bad("start is greater than end");
  return r;
}

State Thresholds::evaluate(double value) const {
  if (critical && critical->alerts(value)) return State::critical;
  if (warning && warning->alerts(value)) return State::warning;
  return State::ok;
}

}  // namespace probewise
