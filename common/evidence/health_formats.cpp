// SPDX-License-Identifier: GPL-2.0-or-later
// The named formats of --health: health+json, Spring Boot Actuator,
// MicroProfile Health, ASP.NET Core, Kubernetes.
#include <algorithm>

#include "base/text.h"
#include "evidence/health_detail.h"

namespace probewise::health_detail {

// ---------------------------------------------------------------------------
// health+json (draft-inadarei-api-health-check). Early drafts called "checks"
// "details" and observedValue/observedUnit "metricValue"/"metricUnit".

HealthComponent health_json_entry(const json& e, const std::string& name) {
  HealthComponent c;
  c.name = capped(name);
  if (!e.is_object()) {  // "db:ping": "pass": tolerated
    set_component_status(c, &e, kHealthJsonDialect);
    return c;
  }
  set_component_status(c, member(e, "status"), kHealthJsonDialect);
  c.component_type = capped(text_of(first_member(e, {"componentType", "type"})));
  const json* value = first_member(e, {"observedValue", "metricValue"});
  c.observed_value = number_of(value);
  if (!c.observed_value) c.observed_text = capped(text_of(value));
  c.observed_unit = capped(text_of(first_member(e, {"observedUnit", "metricUnit"})));
  c.output = message_of(&e);
  return c;
}

// Several entries under one key (one per node or instance) are told apart by
// their componentId when each has its own, else by position.
std::vector<std::string> entry_names(const std::string& key, const json& entries) {
  std::vector<std::string> ids;
  for (const auto& e : entries) ids.push_back(capped(text_of(member(e, "componentId"))));
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  bool distinct = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end() &&
                  std::none_of(ids.begin(), ids.end(), [](const std::string& id) { return id.empty(); });
  std::vector<std::string> names;
  for (std::size_t i = 0; i < ids.size(); ++i)
    names.push_back(distinct ? key + "[" + ids[i] + "]" : key + "#" + std::to_string(i + 1));
  return names;
}

void health_json_checks(const json& checks, HealthReport& r) {
  if (checks.is_object()) {
    for (const auto& item : checks.items()) {
      const json& v = item.value();
      if (!v.is_array()) {  // one object instead of an array of one: tolerated
        add_component(r, health_json_entry(v, item.key()));
      } else if (v.size() == 1) {
        add_component(r, health_json_entry(v.front(), item.key()));
      } else if (v.size() > 1) {
        auto names = entry_names(item.key(), v);
        for (std::size_t i = 0; i < v.size(); ++i) add_component(r, health_json_entry(v[i], names[i]));
      }
    }
  } else if (checks.is_array()) {  // a list instead of the draft's map: tolerated
    std::size_t i = 0;
    for (const auto& e : checks) {
      ++i;
      std::string name = text_of(first_member(e, {"componentName", "name", "componentId"}));
      add_component(r, health_json_entry(e, name.empty() ? "check#" + std::to_string(i) : name));
    }
  }
}

Expected<HealthReport> parse_health_json(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::health_json;
  if (const json* checks = first_member(doc, {"checks", "details"})) health_json_checks(*checks, r);
  if (auto e = judge_overall(member(doc, "status"), kHealthJsonDialect, r)) return *e;
  r.output = capped(text_of(member(doc, "output")));
  return r;
}

// ---------------------------------------------------------------------------
// Spring Boot Actuator. 2.2+ nests under "components", 2.0 and 2.1 put
// composites' children under "details", 1.x puts components beside "status".

bool is_spring_node(const json& v) {
  return v.is_object() && member(v, "status");
}

// "cache": "UP" under "components": tolerated; "version": "1.4.2" is no component.
bool is_spring_status_string(const json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  return lookup(kSpringDialect.words, s) || is_status_code(s);
}

// Numeric details worth a perfdata value.
struct SpringMeasure {
  std::string_view component;
  const char* detail;
  std::string_view unit;
};

constexpr SpringMeasure kSpringMeasures[] = {{"diskSpace", "free", "B"}};

// Which members of a node are its children. Under "components" (2.2+): every
// object with a status, or a bare status word. Under "details" (2.0, 2.1) and
// beside "status" (1.x): only objects whose status reads like one, since those
// places also hold plain details ("database": "H2", "upstream": {"status": 200}).
struct SpringChildren {
  const json* members = nullptr;
  bool (*is_child)(const json&) = nullptr;
};

bool is_component_member(const json& v) {
  return is_spring_node(v) || is_spring_status_string(v);
}

bool is_detail_child(const json& v) {
  const json* s = member(v, "status");
  return v.is_object() && s && is_spring_status_string(*s);
}

SpringChildren spring_children(const json& v) {
  if (const json* c = object_member(v, "components")) return {c, is_component_member};
  const json* d = object_member(v, "details");
  if (d && std::any_of(d->begin(), d->end(), is_detail_child)) return {d, is_detail_child};
  return {};
}

void spring_leaf(const json& v, const std::string& name, HealthReport& r) {
  HealthComponent c;
  c.name = capped(name);
  const json* details = object_member(v, "details");
  if (!v.is_object()) {  // "ping": "UP": tolerated
    set_component_status(c, &v, kSpringDialect);
  } else {
    set_component_status(c, member(v, "status"), kSpringDialect);
    const json* d = member(v, "details");
    c.output = d && d->is_string() ? capped(d->get_ref<const std::string&>()) : message_of(details);
    if (c.output.empty()) c.output = message_of(&v);  // 1.x: "error" beside "status"
  }
  std::string_view last = std::string_view(name).substr(name.find_last_of('/') + 1);
  for (const auto& m : kSpringMeasures) {
    if (last != m.component) continue;
    c.observed_value = number_of(details ? member(*details, m.detail) : member(v, m.detail));
    if (c.observed_value) c.observed_unit = std::string(m.unit);
  }
  add_component(r, std::move(c));
}

// Lists the leaves: a composite's status is its children's aggregate. Depth
// is bounded by kMaxHealthJsonDepth.
void spring_component(const json& v, const std::string& name, HealthReport& r) {
  SpringChildren kids = spring_children(v);
  bool any = false;
  if (kids.members) {
    for (const auto& item : kids.members->items()) {
      if (!kids.is_child(item.value())) continue;
      spring_component(item.value(), name + "/" + item.key(), r);
      any = true;
    }
  }
  if (!any) spring_leaf(v, name, r);
}

Expected<HealthReport> parse_spring(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::spring;
  SpringChildren kids = spring_children(doc);
  if (!kids.members) kids = {&doc, is_detail_child};  // 1.x
  for (const auto& item : kids.members->items())
    if (kids.is_child(item.value())) spring_component(item.value(), item.key(), r);
  if (auto e = judge_overall(member(doc, "status"), kSpringDialect, r)) return *e;
  return r;
}

// ---------------------------------------------------------------------------
// MicroProfile Health: 2.0+ {"status", "checks": [{"name", "status", "data"}]},
// 1.0 {"outcome", "checks": [{"name", "state", "data"}]}.

HealthComponent microprofile_check(const json& e, const std::string& name) {
  HealthComponent c;
  c.name = capped(name);
  set_component_status(c, first_member(e, {"status", "state"}), kMicroProfileDialect);
  const json* data = object_member(e, "data");
  c.output = message_of(data);
  // Data has no standard message member; for a failing check the first text
  // in it is usually the reason (Quarkus: {"<default>": "Unable to ..."}).
  if (c.output.empty() && data && c.status != HealthStatus::pass) {
    for (const auto& item : data->items()) {
      if (!item.value().is_string()) continue;
      c.output = capped(item.key() + ": " + item.value().get_ref<const std::string&>());
      break;
    }
  }
  return c;
}

Expected<HealthReport> parse_microprofile(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::microprofile;
  if (const json* checks = member(doc, "checks")) {
    if (checks->is_array()) {
      std::size_t i = 0;
      for (const auto& e : *checks) {
        ++i;
        if (!e.is_object()) continue;
        std::string name = text_of(member(e, "name"));
        add_component(r, microprofile_check(e, name.empty() ? "check#" + std::to_string(i) : name));
      }
    } else if (checks->is_object()) {  // a map by name: tolerated
      for (const auto& item : checks->items())
        if (item.value().is_object()) add_component(r, microprofile_check(item.value(), item.key()));
    }
  }
  if (auto e = judge_overall(first_member(doc, {"status", "outcome"}), kMicroProfileDialect, r)) return *e;
  return r;
}

// ---------------------------------------------------------------------------
// ASP.NET Core health checks: the default writer's one word, or the JSON of
// the common writers ("entries", as HealthChecks.UI writes it; "results", as
// the Microsoft docs' sample does; or a "checks" list).

HealthComponent aspnet_entry(const json& e, const std::string& name) {
  HealthComponent c;
  c.name = capped(name);
  if (!e.is_object()) {
    set_component_status(c, &e, kAspNetDialect);
    return c;
  }
  set_component_status(c, member(e, "status"), kAspNetDialect);
  c.output = message_of(&e);
  return c;
}

Expected<HealthReport> parse_aspnet_json(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::aspnet;
  if (const json* entries = first_member(doc, {"entries", "results"}); entries && entries->is_object()) {
    for (const auto& item : entries->items()) add_component(r, aspnet_entry(item.value(), item.key()));
  } else if (const json* checks = member(doc, "checks"); checks && checks->is_array()) {
    std::size_t i = 0;
    for (const auto& e : *checks) {
      ++i;
      std::string name = text_of(first_member(e, {"name", "key", "component"}));
      add_component(r, aspnet_entry(e, name.empty() ? "check#" + std::to_string(i) : name));
    }
  }
  if (auto e = judge_overall(member(doc, "status"), kAspNetDialect, r)) return *e;
  r.output = capped(text_of(member(doc, "description")));
  return r;
}

Expected<HealthReport> parse_aspnet_text(std::string_view text) {
  auto s = lookup(kAspNetDialect.words, text);
  if (!s) return Error{"plain text " + quoted_excerpt(text)};
  HealthReport r;
  r.format = HealthFormat::aspnet;
  r.status = *s;
  r.raw_status = std::string(text);
  return r;
}

// ---------------------------------------------------------------------------
// Kubernetes /livez, /readyz, /healthz: "[+]ping ok", "[-]etcd failed: reason
// withheld", "[+]etcd excluded: ok", then "livez check passed" / "... failed".
// Without ?verbose a passing endpoint says just "ok".

constexpr StatusWord kK8sMarks[] = {{"[+]", HealthStatus::pass}, {"[-]", HealthStatus::fail}};
constexpr StatusWord kK8sSummaries[] = {{" check passed", HealthStatus::pass},
                                        {" check failed", HealthStatus::fail}};

std::optional<HealthStatus> k8s_mark(std::string_view line) {
  for (const auto& m : kK8sMarks)
    if (starts_with(line, m.word)) return m.status;
  return std::nullopt;
}

std::optional<HealthStatus> k8s_summary(std::string_view line) {
  if (iequals(line, "ok")) return HealthStatus::pass;
  for (const auto& s : kK8sSummaries)
    if (ends_with(line, s.word) && line.find(' ') == line.size() - s.word.size()) return s.status;
  return std::nullopt;
}

std::vector<std::string_view> text_lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = trim(text.substr(0, nl));
    if (!line.empty()) out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

bool looks_like_k8s(std::string_view text) {
  for (auto line : text_lines(text))
    if (k8s_mark(line) || k8s_summary(line)) return true;
  return false;
}

Expected<HealthReport> parse_k8s(std::string_view text) {
  HealthReport r;
  r.format = HealthFormat::k8s;
  std::optional<HealthStatus> summary;
  for (auto line : text_lines(text)) {
    if (auto mark = k8s_mark(line)) {
      std::string_view rest = trim(line.substr(3));
      auto space = rest.find(' ');
      std::string_view said = space == std::string_view::npos ? "" : trim(rest.substr(space + 1));
      auto colon = said.find(':');
      HealthComponent c;
      c.name = capped(rest.substr(0, space));
      c.status = *mark;
      c.raw_status = capped(said.substr(0, colon));
      if (colon != std::string_view::npos) c.output = capped(said.substr(colon + 1));
      add_component(r, std::move(c));
    } else if (auto s = k8s_summary(line)) {
      summary = s;
      r.raw_status = capped(line);
    }
  }
  if (!summary && r.components.empty() && r.components_omitted == 0)
    return Error{"plain text " + quoted_excerpt(text)};
  r.status = summary ? *summary : worst_of(r.components);
  r.output = r.raw_status;
  return r;
}

}  // namespace probewise::health_detail
