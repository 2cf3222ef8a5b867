// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/health.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

#include "base/text.h"

namespace probewise {
namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------
// Names of the formats, and what each one looks like for "expected ..." errors.

struct FormatInfo {
  HealthFormat format;
  std::string_view name;
  std::string_view expected;
};

constexpr FormatInfo kFormats[] = {
    {HealthFormat::auto_detect, "auto",
     "a health document (health+json, Spring Boot, MicroProfile, ASP.NET Core or Kubernetes)"},
    {HealthFormat::health_json, "health+json",
     "an application/health+json document (JSON with \"status\" pass, warn or fail)"},
    {HealthFormat::spring, "spring", "a Spring Boot health document (JSON with \"status\")"},
    {HealthFormat::microprofile, "microprofile",
     "a MicroProfile Health document (JSON with \"status\" UP or DOWN and \"checks\")"},
    {HealthFormat::aspnet, "aspnet",
     "an ASP.NET Core health report (Healthy, Degraded or Unhealthy, as text or JSON)"},
    {HealthFormat::k8s, "k8s", "a Kubernetes health check text (\"[+]name ok\" lines)"},
};

// Other spellings people type for --health.
struct FormatAlias {
  std::string_view name;
  HealthFormat format;
};

constexpr FormatAlias kFormatAliases[] = {
    {"health-json", HealthFormat::health_json}, {"healthjson", HealthFormat::health_json},
    {"spring-boot", HealthFormat::spring},      {"springboot", HealthFormat::spring},
    {"mp", HealthFormat::microprofile},         {"asp.net", HealthFormat::aspnet},
    {"kubernetes", HealthFormat::k8s},
};

const FormatInfo& info_of(HealthFormat f) {
  for (const auto& i : kFormats)
    if (i.format == f) return i;
  return kFormats[0];
}

// ---------------------------------------------------------------------------
// Status words of each format.

struct StatusWord {
  std::string_view word;
  HealthStatus status;
};

struct Words {
  const StatusWord* begin = nullptr;
  std::size_t size = 0;
};

template <std::size_t N>
constexpr Words words_of(const StatusWord (&w)[N]) {
  return {w, N};
}

// draft-inadarei-api-health-check: "pass" may be "ok" (NodeJS) or "up"
// (Spring), "fail" may be "error" or "down".
constexpr StatusWord kHealthJsonWords[] = {
    {"pass", HealthStatus::pass},  {"ok", HealthStatus::pass},      {"up", HealthStatus::pass},
    {"warn", HealthStatus::warn},  {"warning", HealthStatus::warn}, {"fail", HealthStatus::fail},
    {"error", HealthStatus::fail}, {"down", HealthStatus::fail},
};
constexpr StatusWord kSpringWords[] = {
    {"UP", HealthStatus::pass},
    {"DOWN", HealthStatus::fail},
    {"OUT_OF_SERVICE", HealthStatus::fail},
    {"UNKNOWN", HealthStatus::unknown},
};
constexpr StatusWord kMicroProfileWords[] = {{"UP", HealthStatus::pass}, {"DOWN", HealthStatus::fail}};
constexpr StatusWord kAspNetWords[] = {
    {"Healthy", HealthStatus::pass}, {"Degraded", HealthStatus::warn}, {"Unhealthy", HealthStatus::fail}};
// ASP.NET Core's HealthStatus enum, when a writer serializes it as a number.
constexpr StatusWord kAspNetNumbers[] = {
    {"0", HealthStatus::fail}, {"1", HealthStatus::warn}, {"2", HealthStatus::pass}};

struct Dialect {
  Words words;
  Words numbers;            // statuses written as numbers, if the format has them
  bool custom_codes;        // an upper-case word outside `words` is a custom status (unknown), not an error
  std::string_view listed;  // for "expected status ..." errors
};

const Dialect kHealthJsonDialect{words_of(kHealthJsonWords), {}, false, "pass, warn or fail"};
const Dialect kSpringDialect{
    words_of(kSpringWords), {}, true, "UP, DOWN, OUT_OF_SERVICE, UNKNOWN or a custom code"};
const Dialect kMicroProfileDialect{words_of(kMicroProfileWords), {}, false, "UP or DOWN"};
const Dialect kAspNetDialect{words_of(kAspNetWords), words_of(kAspNetNumbers), false,
                             "Healthy, Degraded or Unhealthy"};

std::optional<HealthStatus> lookup(Words w, std::string_view raw) {
  for (std::size_t i = 0; i < w.size; ++i)
    if (iequals(w.begin[i].word, raw)) return w.begin[i].status;
  return std::nullopt;
}

// Spring lets applications define their own codes ("FATAL"): an upper-case
// letter, then upper-case letters, digits and underscores.
bool is_status_code(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() < 'A' || s.front() > 'Z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

int severity(HealthStatus s) {
  switch (s) {
    case HealthStatus::pass: return 0;
    case HealthStatus::unknown: return 1;
    case HealthStatus::warn: return 2;
    case HealthStatus::fail: return 3;
  }
  return 1;
}

HealthStatus worst_of(const std::vector<HealthComponent>& components) {
  HealthStatus worst = HealthStatus::pass;
  for (const auto& c : components)
    if (severity(c.status) > severity(worst)) worst = c.status;
  return worst;
}

// ---------------------------------------------------------------------------
// Small text and JSON helpers.

// Cuts s to kMaxHealthTextBytes without splitting a UTF-8 sequence.
std::string capped(std::string_view s) {
  s = trim(s);
  if (s.size() <= kMaxHealthTextBytes) return std::string(s);
  std::size_t n = kMaxHealthTextBytes - 3;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

// The first line of a text, short and printable, to quote in an error.
std::string quoted_excerpt(std::string_view s) {
  s = trim(s.substr(0, s.find('\n')));
  std::string out = ellipsize(s, 60);
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return "\"" + out + "\"";
}

const json* member(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

const json* first_member(const json& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (const json* v = member(obj, k)) return v;
  return nullptr;
}

const json* object_member(const json& obj, const char* key) {
  const json* v = member(obj, key);
  return v && v->is_object() ? v : nullptr;
}

std::string number_text(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", d);
  return buf;
}

// A scalar as text ("" for objects, arrays and null).
std::string text_of(const json* v) {
  if (!v) return "";
  if (v->is_string()) return v->get_ref<const std::string&>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  if (v->is_number_unsigned()) return std::to_string(v->get<std::uint64_t>());
  if (v->is_number_integer()) return std::to_string(v->get<std::int64_t>());
  if (v->is_number_float()) return number_text(v->get<double>());
  return "";
}

// A number, or a string that is exactly a number ("250"): tolerated.
std::optional<double> number_of(const json* v) {
  if (!v) return std::nullopt;
  double d = 0;
  if (v->is_number()) {
    d = v->get<double>();
  } else if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s.empty() || s.size() > 64) return std::nullopt;
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::string_view json_type_phrase(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

// Where formats put a component's message, most specific first: health+json
// "output", Spring's details "error", ASP.NET's "description" and
// "exception", NestJS Terminus' "message".
constexpr const char* kMessageKeys[] = {"output",    "error",  "message", "description",
                                        "exception", "reason", "cause"};

std::string message_of(const json* obj) {
  if (!obj || !obj->is_object()) return "";
  for (const char* k : kMessageKeys) {
    std::string t = capped(text_of(member(*obj, k)));
    if (!t.empty()) return t;
  }
  return "";
}

void add_component(HealthReport& r, HealthComponent c) {
  if (r.components.size() < kMaxHealthComponents) {
    r.components.push_back(std::move(c));
  } else {
    ++r.components_omitted;
  }
}

// ---------------------------------------------------------------------------
// Status values.

struct StatusRead {
  HealthStatus status = HealthStatus::unknown;
  std::string raw;
  bool known = false;  // a word of the dialect (or a boolean or number it allows)
};

// nullopt when the member is absent (or null).
std::optional<StatusRead> read_status(const json* v, const Dialect& d) {
  if (!v) return std::nullopt;
  StatusRead s;
  s.raw = capped(text_of(v));
  std::optional<HealthStatus> found;
  if (v->is_string()) {
    found = lookup(d.words, s.raw);
  } else if (v->is_boolean()) {  // {"status": true}: tolerated, the meaning is clear
    found = v->get<bool>() ? HealthStatus::pass : HealthStatus::fail;
  } else if (v->is_number_integer()) {
    found = lookup(d.numbers, s.raw);
  }
  if (found) {
    s.status = *found;
    s.known = true;
  }
  return s;
}

void set_component_status(HealthComponent& c, const json* v, const Dialect& d) {
  if (auto s = read_status(v, d)) {
    c.status = s->status;  // an unknown word stays unknown, with the raw word kept
    c.raw_status = s->raw;
  }
}

// The overall status: the document's own word, or (when it has none) the
// worst of its components. A word the format does not know is an error.
std::optional<Error> judge_overall(const json* v, const Dialect& d, HealthReport& r) {
  if (v && !v->is_string() && !v->is_boolean() && !v->is_number())
    return Error{std::string("a \"status\" that is ") + std::string(json_type_phrase(*v))};
  auto s = read_status(v, d);
  if (!s) {
    if (r.components.empty()) return Error{"JSON without \"status\""};
    r.status = worst_of(r.components);
    return std::nullopt;
  }
  if (!s->known && !(d.custom_codes && v->is_string() && is_status_code(s->raw)))
    return Error{"status " + quoted_excerpt(s->raw) + " (not " + std::string(d.listed) + ")"};
  r.status = s->status;
  r.raw_status = s->raw;
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// health+json (draft-inadarei-api-health-check). Early drafts called "checks"
// "details" and observedValue/observedUnit "metricValue"/"metricUnit".

HealthComponent health_json_entry(const json& e, std::string name) {
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

HealthComponent microprofile_check(const json& e, std::string name) {
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

HealthComponent aspnet_entry(const json& e, std::string name) {
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

// ---------------------------------------------------------------------------
// What arrived: the body's kind, parsed once, with bounded work.

enum class BodyKind { empty, html, xml, json, bad_json, text };

struct Body {
  BodyKind kind = BodyKind::empty;
  std::string_view text;  // trimmed, without a byte order mark
  json doc;               // BodyKind::json
  std::string problem;    // BodyKind::bad_json: what is wrong and where
};

// Byte offset where nesting first goes deeper than `limit`, or npos. Brackets
// inside strings do not count.
std::size_t too_deep_at(std::string_view s, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

// Finds where and why JSON is invalid (the DOM parser, without exceptions,
// only says that it is).
class ErrorLocator : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const json::exception& ex) override {
    position_ = position;
    std::string_view what = ex.what();
    auto at = what.find("column ");
    at = at == std::string_view::npos ? at : what.find(": ", at);
    reason_ = std::string(at == std::string_view::npos ? what : what.substr(at + 2));
    return false;
  }
  std::size_t position_ = 0;
  std::string reason_;
};

std::string json_problem(std::string_view body) {
  ErrorLocator locator;
  json::sax_parse(body, &locator);
  if (locator.position_ >= body.size() ||
      locator.reason_.find("unexpected end of input") != std::string::npos)
    return "truncated JSON (it ends at byte " + std::to_string(body.size()) + ")";
  // nlohmann counts characters read; the offending byte's offset is one less.
  std::size_t at = locator.position_ > 0 ? locator.position_ - 1 : 0;
  return "invalid JSON at byte " + std::to_string(at) + " (" + ellipsize(locator.reason_, 120) + ")";
}

bool contains_icase(std::string_view hay, std::string_view needle) {
  return to_lower(hay).find(needle) != std::string::npos;
}

Body classify_body(std::string_view body, std::string_view media_type) {
  Body b;
  std::string_view raw = body;
  if (starts_with(raw, "\xEF\xBB\xBF")) raw.remove_prefix(3);
  b.text = trim(raw);
  std::string_view t = b.text;
  if (t.empty()) {
    b.kind = BodyKind::empty;
  } else if (k8s_mark(t)) {  // "[+]ping ok" starts like a JSON array
    b.kind = BodyKind::text;
  } else if (t.front() == '<') {
    bool html = media_type == "text/html" || contains_icase(t.substr(0, 1024), "<html") ||
                contains_icase(t.substr(0, 1024), "<!doctype html");
    b.kind = html ? BodyKind::html : BodyKind::xml;
  } else if (t.front() == '{' || t.front() == '[' || media_type.find("json") != std::string_view::npos) {
    bool structured = t.front() == '{' || t.front() == '[';
    if (auto at = too_deep_at(body, kMaxHealthJsonDepth); at != std::string_view::npos) {
      b.kind = BodyKind::bad_json;
      b.problem = "JSON nested deeper than " + std::to_string(kMaxHealthJsonDepth) + " levels (at byte " +
                  std::to_string(at) + ")";
      return b;
    }
    b.doc = json::parse(body, nullptr, false);
    if (b.doc.is_discarded() && !structured) {
      b.kind = BodyKind::text;  // "Healthy" sent as application/json
    } else if (b.doc.is_discarded()) {
      b.kind = BodyKind::bad_json;
      b.problem = json_problem(body);
    } else {
      b.kind = BodyKind::json;
    }
  } else {
    b.kind = BodyKind::text;
  }
  return b;
}

std::string describe(const Body& b) {
  switch (b.kind) {
    case BodyKind::empty: return "an empty body";
    case BodyKind::html: return "HTML";
    case BodyKind::xml: return "XML";
    case BodyKind::bad_json: return b.problem;
    case BodyKind::json:
      if (!b.doc.is_object()) return "JSON that is " + std::string(json_type_phrase(b.doc));
      if (const json* s = member(b.doc, "status"))
        return "JSON whose \"status\" is " + (s->is_string()
                                                  ? quoted_excerpt(s->get_ref<const std::string&>())
                                                  : std::string(json_type_phrase(*s)));
      return "JSON without \"status\"";
    case BodyKind::text: return "plain text " + quoted_excerpt(b.text);
  }
  return "an unreadable body";
}

bool is_json_object(const Body& b) {
  return b.kind == BodyKind::json && b.doc.is_object();
}

// ---------------------------------------------------------------------------
// Detection (--health=auto): the content type first, then the shape.

struct ContentTypeRule {
  std::string_view prefix;  // of the lower-case media type
  HealthFormat format;
};

constexpr ContentTypeRule kContentTypes[] = {
    {"application/health+json", HealthFormat::health_json},
    {"application/vnd.health+json", HealthFormat::health_json},
    {"application/vnd.spring-boot.actuator", HealthFormat::spring},
};

bool status_word_in(const json& doc, Words w, bool exact_case) {
  const json* s = member(doc, "status");
  if (!s || !s->is_string()) return false;
  const std::string& raw = s->get_ref<const std::string&>();
  for (std::size_t i = 0; i < w.size; ++i)
    if (exact_case ? w.begin[i].word == raw : iequals(w.begin[i].word, raw)) return true;
  return false;
}

bool aspnet_shape(const json& doc) {
  return object_member(doc, "entries") || object_member(doc, "results") || member(doc, "totalDuration") ||
         status_word_in(doc, words_of(kAspNetWords), false);
}

bool microprofile_1_shape(const json& doc) {
  return member(doc, "outcome") != nullptr;
}

bool health_json_shape(const json& doc) {
  if (object_member(doc, "checks") || status_word_in(doc, words_of(kHealthJsonWords), true)) return true;
  const json* details = object_member(doc, "details");  // early drafts: a map of arrays
  return details && !details->empty() &&
         std::all_of(details->begin(), details->end(), [](const json& v) { return v.is_array(); });
}

bool microprofile_shape(const json& doc) {
  const json* checks = member(doc, "checks");
  return checks && checks->is_array();
}

bool spring_shape(const json& doc) {
  if (object_member(doc, "components") || object_member(doc, "details")) return true;
  if (status_word_in(doc, words_of(kSpringWords), true)) return true;
  // A custom code ("FATAL"), unless it is a health+json word in capitals ("OK").
  const json* s = member(doc, "status");
  if (s && s->is_string() && is_status_code(s->get_ref<const std::string&>()) &&
      !lookup(words_of(kHealthJsonWords), s->get_ref<const std::string&>()))
    return true;
  return std::any_of(doc.begin(), doc.end(), is_detail_child);  // 1.x
}

// "Pass", "OK", "Warning": health+json words in any case, tried last.
bool health_json_word_shape(const json& doc) {
  return status_word_in(doc, words_of(kHealthJsonWords), false);
}

struct ShapeRule {
  HealthFormat format;
  bool (*matches)(const json&);
};

// In this order: the ASP.NET words and "outcome" are unmistakable; lower-case
// health+json words before Spring's upper-case ones.
constexpr ShapeRule kShapes[] = {
    {HealthFormat::aspnet, aspnet_shape},           {HealthFormat::microprofile, microprofile_1_shape},
    {HealthFormat::health_json, health_json_shape}, {HealthFormat::microprofile, microprofile_shape},
    {HealthFormat::spring, spring_shape},           {HealthFormat::health_json, health_json_word_shape},
};

std::optional<HealthFormat> detect(const Body& b, std::string_view media_type) {
  for (const auto& rule : kContentTypes)
    if (starts_with(media_type, rule.prefix)) return rule.format;
  if (is_json_object(b)) {
    for (const auto& rule : kShapes)
      if (rule.matches(b.doc)) return rule.format;
  } else if (b.kind == BodyKind::text) {
    if (looks_like_k8s(b.text)) return HealthFormat::k8s;
    if (lookup(kAspNetDialect.words, b.text)) return HealthFormat::aspnet;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// The requested format applied to what arrived. Errors name what arrived.

Expected<HealthReport> json_format(const Body& b, Expected<HealthReport> (*parse)(const json&)) {
  if (!is_json_object(b)) return Error{describe(b)};
  return parse(b.doc);
}

Expected<HealthReport> read_as(HealthFormat f, const Body& b) {
  switch (f) {
    case HealthFormat::health_json: return json_format(b, parse_health_json);
    case HealthFormat::spring: return json_format(b, parse_spring);
    case HealthFormat::microprofile: return json_format(b, parse_microprofile);
    case HealthFormat::aspnet:
      if (b.kind == BodyKind::text) return parse_aspnet_text(b.text);
      return json_format(b, parse_aspnet_json);
    case HealthFormat::k8s:
      if (b.kind != BodyKind::text) return Error{describe(b)};
      return parse_k8s(b.text);
    case HealthFormat::auto_detect: return Error{describe(b)};
  }
  return Error{describe(b)};
}

std::string media_type_of(const HeaderMap& headers) {
  auto ct = headers.get("Content-Type");
  if (!ct) return "";
  return to_lower(trim(ct->substr(0, ct->find(';'))));
}

}  // namespace

std::string_view health_format_name(HealthFormat f) {
  return info_of(f).name;
}

std::optional<HealthFormat> parse_health_format(std::string_view name) {
  name = trim(name);
  for (const auto& i : kFormats)
    if (iequals(i.name, name)) return i.format;
  for (const auto& a : kFormatAliases)
    if (iequals(a.name, name)) return a.format;
  return std::nullopt;
}

std::string_view health_status_name(HealthStatus s) {
  switch (s) {
    case HealthStatus::pass: return "pass";
    case HealthStatus::warn: return "warn";
    case HealthStatus::fail: return "fail";
    case HealthStatus::unknown: return "unknown";
  }
  return "unknown";
}

Expected<HealthReport> parse_health(HealthFormat format, const HeaderMap& headers, std::string_view body) {
  std::string media_type = media_type_of(headers);
  std::string suffix = media_type.empty() ? "" : " (" + media_type + ")";
  auto expected = [&](HealthFormat f) { return "expected " + std::string(info_of(f).expected) + ", got "; };
  if (body.size() > kMaxHealthBodyBytes) {
    return Error{expected(format) + "a body of " + std::to_string(body.size()) + " bytes (the limit is " +
                 std::to_string(kMaxHealthBodyBytes) + ")" + suffix};
  }
  Body b = classify_body(body, media_type);
  HealthFormat f = format;
  if (f == HealthFormat::auto_detect) {
    auto found = detect(b, media_type);
    if (!found) return Error{expected(format) + describe(b) + suffix};
    f = *found;
  }
  auto r = read_as(f, b);
  if (!r) return Error{expected(f) + r.error() + suffix};
  return r;
}

}  // namespace probewise
