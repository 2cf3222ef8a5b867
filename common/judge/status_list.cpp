// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/status_list.h"

#include <cctype>

#include "base/text.h"

namespace probewise {
namespace {

bool parse_code(std::string_view s, int& out) {
  if (s.size() != 3) return false;
  out = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  return out >= 100 && out <= 599;
}

}  // namespace

Expected<StatusPattern> parse_status_pattern(std::string_view raw) {
  std::string_view s = trim(raw);
  auto bad = [&](const char* why) { return Error{"invalid status '" + std::string(raw) + "': " + why}; };
  if (s.size() == 3 && std::isdigit(static_cast<unsigned char>(s[0])) &&
      (s.substr(1) == "xx" || s.substr(1) == "XX")) {
    int cls = s[0] - '0';
    if (cls < 1 || cls > 5) return bad("class must be 1xx to 5xx");
    return StatusPattern{cls * 100, cls * 100 + 99};
  }
  auto dash = s.find('-');
  StatusPattern p;
  if (dash == std::string_view::npos) {
    if (!parse_code(s, p.low))
      return bad("expected a code 100-599, a range like 200-299 or a class like 2xx");
    p.high = p.low;
    return p;
  }
  if (!parse_code(trim(s.substr(0, dash)), p.low) || !parse_code(trim(s.substr(dash + 1)), p.high))
    return bad("a range needs two codes 100-599, e.g. 200-299");
  if (p.low > p.high) return bad("the range runs backwards");
  return p;
}

bool StatusSet::contains(int status) const {
  for (const auto& p : patterns)
    if (p.matches(status)) return true;
  return false;
}

Expected<StatusSet> parse_status_set(std::string_view text) {
  StatusSet set;
  set.text = std::string(text);
  for (auto item : split(text, ',')) {
    auto p = parse_status_pattern(item);
    if (!p) return Error{p.error()};
    set.patterns.push_back(*p);
  }
  if (set.patterns.empty()) return Error{"empty status list"};
  return set;
}

const StatusRule* StatusStates::find(int status) const {
  const StatusRule* best = nullptr;
  for (const auto& r : rules)
    if (r.pattern.matches(status) && (!best || r.pattern.width() < best->pattern.width())) best = &r;
  return best;
}

Expected<StatusStates> parse_status_states(std::string_view text) {
  StatusStates out;
  for (auto item : split(text, ',')) {
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return Error{"invalid status state '" + std::string(item) +
                   "': expected STATUS=STATE, e.g. 401=critical"};
    auto p = parse_status_pattern(item.substr(0, eq));
    if (!p) return Error{p.error()};
    auto st = parse_state(trim(item.substr(eq + 1)));
    if (!st)
      return Error{"invalid state in '" + std::string(item) + "': expected ok, warning, critical or unknown"};
    out.rules.push_back({*p, *st});
  }
  if (out.rules.empty()) return Error{"empty status state list"};
  return out;
}

}  // namespace probewise
