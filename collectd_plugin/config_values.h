// SPDX-License-Identifier: GPL-2.0-or-later
// Typed values of collectd config items (oconfig_item_t), and what was
// wrong with one: what every key of the plugin's configuration reads with.
// A reader returns nullopt when the value is fine, else what it expected.
#pragma once

#include <optional>
#include <string>

#include "judge/range.h"
#include "judge/state.h"

extern "C" {
#include <liboconfig/oconfig.h>
}

namespace probewise {

// A key's failure: what it expected, in words. The caller adds where and what was given.
struct Problem {
  std::string expected;
  bool show_given = true;
};
using Check = std::optional<Problem>;

Check expect(std::string what);

std::string key_of(const oconfig_item_t& item);
// What the user gave, for an error message. Values of keys that may carry
// secrets are described, never repeated.
std::string given(const oconfig_item_t& item, bool secret);
// "<where>: <Key>: expected <what>, got <given>".
std::string problem_text(const std::string& where, const oconfig_item_t& item, const Problem& p, bool secret);

// Whether any string value of the item holds a CR, LF or NUL.
bool breaks_a_line(const oconfig_item_t& item);

// The i-th value, or the only one, of the type asked for.
std::optional<std::string> string_at(const oconfig_item_t& item, int i);
std::optional<std::string> one_string(const oconfig_item_t& item);
std::optional<double> number_at(const oconfig_item_t& item, int i);  // finite only
std::optional<double> one_number(const oconfig_item_t& item);
// A boolean, or the strings collectd's own cf_util_get_boolean accepts.
std::optional<bool> bool_at(const oconfig_item_t& item, int i);
std::optional<bool> one_bool(const oconfig_item_t& item);
// One number (as written, e.g. "1.1") or one string: for keys that take both.
std::optional<std::string> one_text(const oconfig_item_t& item);

Check set_string(const oconfig_item_t& item, std::string& out, bool allow_empty = false);
Check set_path(const oconfig_item_t& item, std::string& out);  // absolute
Check set_seconds(const oconfig_item_t& item, double& out, double max = 86400);
Check set_bool(const oconfig_item_t& item, bool& out);
Check set_state(const oconfig_item_t& item, State& out);
// A number of seconds or a Nagios range.
Check set_range(const oconfig_item_t& item, std::optional<Range>& out);
// WARN [CRIT] days, e.g. `TokenExpiry 7 1`, `CertificateExpiry 30 14`; a
// missing CRIT is WARN * crit_ratio (the check's defaults: 1/7 and 0).
Check set_days(const oconfig_item_t& item, double& warn, double& crit, double crit_ratio);

}  // namespace probewise
