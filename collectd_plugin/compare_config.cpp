// SPDX-License-Identifier: GPL-2.0-or-later
// The <Compare> block of <Plugin probewise> (compare_mode.h):
//
//   <Compare>
//     Interval 30              # seconds between verdicts (default: collectd's Interval)
//     VantageQuorum 2          # network failures for CRITICAL (default: every vantage)
//     Host "probe-eu1"         # the vantages (default: every host that sends probewise values)
//     Host "probe-us1"
//     Endpoint "api"           # the endpoints compared (default: all)
//   </Compare>
#include <cmath>

#include "base/text.h"
#include "config.h"
#include "config_values.h"

namespace probewise {
namespace {

constexpr const char* kWhere = "<Plugin probewise> <Compare>";

std::string place(const ExpandedConfig* lines, const oconfig_item_t& item) {
  auto where = lines ? lines->where(item) : std::nullopt;
  return where ? " (at " + *where + ")" : "";
}

// Host "a" "b" or repeated: each a non-empty name.
Check add_names(const oconfig_item_t& item, std::vector<std::string>& names) {
  if (item.values_num < 1) return expect("one or more names in quotes");
  for (int i = 0; i < item.values_num; ++i) {
    auto name = string_at(item, i);
    if (!name || name->empty()) return expect("one or more names in quotes");
    names.push_back(*name);
  }
  return std::nullopt;
}

}  // namespace

void read_compare(const oconfig_item_t& block, double default_interval_s, const ExpandedConfig* lines,
                  ConfigResult& out) {
  for (int c = 0; c < block.children_num; ++c) {
    const oconfig_item_t& compare = block.children[c];
    if (!iequals(key_of(compare), "Compare")) continue;
    if (out.config.compare) {
      out.errors.push_back(std::string(kWhere) + ": given twice; expected one <Compare> block" +
                           place(lines, compare));
      continue;
    }
    CompareSettings s;
    s.interval_s = default_interval_s > 0 ? default_interval_s : 10;
    bool ok = true;
    for (int i = 0; i < compare.children_num; ++i) {
      const oconfig_item_t& item = compare.children[i];
      const std::string key = key_of(item);
      Check problem;
      if (iequals(key, "Interval")) {
        problem = set_seconds(item, s.interval_s, 3600);
        if (!problem && s.interval_s < 1) problem = expect("a number of seconds from 1 to 3600");
      } else if (iequals(key, "VantageQuorum")) {
        auto n = one_number(item);
        if (!n || *n < 1 || *n > 1000 || *n != std::floor(*n))
          problem = expect("a whole number from 1 to 1000");
        else
          s.rule.quorum = static_cast<int>(*n);
      } else if (iequals(key, "Host")) {
        problem = add_names(item, s.hosts);
      } else if (iequals(key, "Endpoint")) {
        problem = add_names(item, s.endpoints);
      } else {
        out.errors.push_back(std::string(kWhere) + ": unknown key \"" + key +
                             "\"; expected Interval, VantageQuorum, Host or Endpoint" + place(lines, item));
        ok = false;
        continue;
      }
      if (problem) {
        out.errors.push_back(problem_text(kWhere, item, *problem, false) + place(lines, item));
        ok = false;
      }
    }
    if (!ok) {
      out.errors.push_back(std::string(kWhere) + ": no comparison because of the errors above" +
                           place(lines, compare));
      continue;
    }
    out.config.compare = std::move(s);
  }
}

}  // namespace probewise
