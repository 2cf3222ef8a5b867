// SPDX-License-Identifier: GPL-2.0-or-later
#include "compare/icinga.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "compare/rendered.h"
#include "memory/change.h"

namespace probewise {
namespace {

using json = nlohmann::json;

std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}

// An Icinga 2 string literal: quotes and backslashes escaped.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

IcingaVantage read_service(const json& attrs, std::time_t now) {
  IcingaVantage v;
  const std::string host = text_of(attrs, "host_name");
  v.service = host + "!" + text_of(attrs, "name");
  v.interval_s = number_of(attrs, "check_interval");
  const json vars = attrs.value("vars", json::object());
  v.seen.name = vars.is_object() ? text_of(vars, "probewise_vantage") : "";
  if (v.seen.name.empty()) v.seen.name = text_of(attrs, "command_endpoint");
  if (v.seen.name.empty()) v.seen.name = host;
  const json result = attrs.value("last_check_result", json());
  if (!result.is_object()) {
    v.seen.ran = false;
    v.seen.reason = "ok";
    v.seen.state = State::unknown;
    v.seen.why_not = "it has no result yet";
    v.seen.via = v.service;
    return v;
  }
  v.checked_by = text_of(result, "check_source");
  v.seen.via = v.service + (v.checked_by.empty() ? "" : " on " + v.checked_by);
  v.checked = static_cast<std::time_t>(number_of(result, "execution_end"));
  RenderedResult r;
  r.state = static_cast<int>(number_of(result, "state"));
  r.output = text_of(result, "output");
  if (auto perf = result.find("performance_data"); perf != result.end() && perf->is_array())
    for (const auto& p : *perf)
      if (p.is_string()) r.perfdata.push_back(p.get<std::string>());
  read_rendered(r, v.seen);
  // Stale: older than twice its check interval (SPEC 1.7): not read as down.
  const double age = std::difftime(now, v.checked);
  if (v.seen.ran && v.interval_s > 0 && age > 2 * v.interval_s) {
    v.seen.ran = false;
    v.seen.stale = true;
    v.seen.why_not = "its last result is " + format_duration(static_cast<long long>(age)) +
                     " old, more than twice its check interval of " +
                     format_duration(static_cast<long long>(std::lround(v.interval_s)));
  }
  return v;
}

}  // namespace

const std::vector<std::string>& icinga_service_attrs() {
  static const std::vector<std::string> attrs{
      "name", "host_name", "check_interval", "command_endpoint", "vars", "last_check_result"};
  return attrs;
}

Expected<std::vector<IcingaVantage>> read_icinga_services(const std::string& json_text, std::time_t now) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("results") || !doc["results"].is_array())
    return Error{"the Icinga 2 API's answer is not the JSON of /v1/objects/services"};
  std::vector<IcingaVantage> out;
  for (const auto& item : doc["results"]) {
    if (!item.is_object() || !item.contains("attrs") || !item["attrs"].is_object()) continue;
    out.push_back(read_service(item["attrs"], now));
  }
  // A name given twice (one host, or one endpoint, for several services): the services' own names.
  std::map<std::string, int> seen;
  for (const auto& v : out) ++seen[v.seen.name];
  for (auto& v : out)
    if (seen[v.seen.name] > 1) v.seen.name = v.service;
  std::stable_sort(out.begin(), out.end(),
                   [](const IcingaVantage& a, const IcingaVantage& b) { return a.seen.name < b.seen.name; });
  return out;
}

std::string icinga_service_filter(const std::vector<std::string>& services) {
  std::string filter;
  for (const auto& s : services) {
    const auto bang = s.find('!');
    const std::string host = s.substr(0, bang);
    const std::string name = bang == std::string::npos ? "" : s.substr(bang + 1);
    filter += (filter.empty() ? "" : " || ") + std::string("(host.name == ") + quoted(host) +
              " && service.name == " + quoted(name) + ")";
  }
  return filter;
}

}  // namespace probewise
