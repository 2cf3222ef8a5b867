// SPDX-License-Identifier: GPL-2.0-or-later
#include "config_values.h"

#include <cmath>
#include <utility>

#include "base/text.h"
#include "secrets/redact.h"

namespace probewise {

std::string given(const oconfig_item_t& item, bool secret) {
  if (item.values_num == 0) return "nothing";
  if (item.values_num > 1) return std::to_string(item.values_num) + " values";
  const oconfig_value_t& v = item.values[0];
  switch (v.type) {
    case OCONFIG_TYPE_STRING: {
      if (secret) return "a string";
      return "\"" + ellipsize(redact_text(v.value.string ? v.value.string : ""), 60) + "\"";
    }
    case OCONFIG_TYPE_NUMBER: return number_text(v.value.number);
    case OCONFIG_TYPE_BOOLEAN: return v.value.boolean ? "true" : "false";
    default: return "a value of unknown type";
  }
}

Check expect(std::string what) {
  return Problem{std::move(what), true};
}

std::string key_of(const oconfig_item_t& item) {
  return item.key ? item.key : "";
}

bool breaks_a_line(const oconfig_item_t& item) {
  for (int i = 0; i < item.values_num; ++i)
    if (auto s = string_at(item, i); s && breaks_line(*s)) return true;
  return false;
}

std::optional<std::string> string_at(const oconfig_item_t& item, int i) {
  if (i >= item.values_num || item.values[i].type != OCONFIG_TYPE_STRING || !item.values[i].value.string)
    return std::nullopt;
  return std::string(item.values[i].value.string);
}

std::optional<std::string> one_string(const oconfig_item_t& item) {
  if (item.values_num != 1) return std::nullopt;
  return string_at(item, 0);
}

std::optional<double> number_at(const oconfig_item_t& item, int i) {
  if (i >= item.values_num || item.values[i].type != OCONFIG_TYPE_NUMBER) return std::nullopt;
  double d = item.values[i].value.number;
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<double> one_number(const oconfig_item_t& item) {
  if (item.values_num != 1) return std::nullopt;
  return number_at(item, 0);
}

std::optional<bool> bool_at(const oconfig_item_t& item, int i) {
  if (i >= item.values_num) return std::nullopt;
  const oconfig_value_t& v = item.values[i];
  if (v.type == OCONFIG_TYPE_BOOLEAN) return v.value.boolean != 0;
  if (v.type == OCONFIG_TYPE_STRING && v.value.string) {
    std::string s = to_lower(v.value.string);
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  return std::nullopt;
}

std::optional<bool> one_bool(const oconfig_item_t& item) {
  if (item.values_num != 1) return std::nullopt;
  return bool_at(item, 0);
}

std::optional<std::string> one_text(const oconfig_item_t& item) {
  if (auto d = one_number(item)) return number_text(*d);
  return one_string(item);
}

std::string problem_text(const std::string& where, const oconfig_item_t& item, const Problem& p,
                         bool secret) {
  std::string text = where + ": " + key_of(item) + ": expected " + p.expected;
  if (p.show_given || !secret) text += ", got " + given(item, secret);
  return text;
}

Check set_string(const oconfig_item_t& item, std::string& out, bool allow_empty) {
  auto s = one_string(item);
  if (!s || (!allow_empty && s->empty())) return expect(allow_empty ? "one string" : "one non-empty string");
  out = *s;
  return std::nullopt;
}

Check set_path(const oconfig_item_t& item, std::string& out) {
  auto s = one_string(item);
  if (!s || s->empty() || s->front() != '/') return expect("one absolute file name in quotes");
  out = *s;
  return std::nullopt;
}

Check set_seconds(const oconfig_item_t& item, double& out, double max) {
  auto d = one_number(item);
  if (!d || !(*d > 0) || *d > max)
    return expect("a number of seconds greater than 0 and at most " + std::to_string(static_cast<long>(max)));
  out = *d;
  return std::nullopt;
}

Check set_bool(const oconfig_item_t& item, bool& out) {
  auto b = one_bool(item);
  if (!b) return expect("true or false");
  out = *b;
  return std::nullopt;
}

Check set_state(const oconfig_item_t& item, State& out) {
  auto s = one_string(item);
  auto st = s ? parse_state(*s) : std::nullopt;
  if (!st) return expect("\"ok\", \"warning\", \"critical\" or \"unknown\"");
  out = *st;
  return std::nullopt;
}

Check set_range(const oconfig_item_t& item, std::optional<Range>& out) {
  auto text = one_text(item);
  if (!text) return expect("a number of seconds or a Nagios range such as \"0.5\" or \"~:2\"");
  auto r = parse_range(*text);
  if (!r) return expect("a number of seconds or a Nagios range (" + r.error() + ")");
  out = *r;
  return std::nullopt;
}

Check set_days(const oconfig_item_t& item, double& warn, double& crit, double crit_ratio) {
  auto w = number_at(item, 0);
  auto c = item.values_num == 2 ? number_at(item, 1) : std::optional<double>(w ? *w * crit_ratio : 0);
  if (item.values_num < 1 || item.values_num > 2 || !w || !c || *w < 0 || *c < 0 || *w > 36500 || *c > 36500)
    return expect("one or two numbers of days (warning, critical)");
  warn = *w;
  crit = *c;
  return std::nullopt;
}

}  // namespace probewise
