// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/health.h"

#include <algorithm>

#include "base/text.h"
#include "evidence/health_detail.h"

namespace probewise {
namespace {

using namespace health_detail;

// ---------------------------------------------------------------------------
// Names of the formats, and what each one looks like for "expected ..." errors.

struct FormatInfo {
  HealthFormat format;
  std::string_view name;
  std::string_view expected;
};

constexpr FormatInfo kFormats[] = {
    {HealthFormat::auto_detect, "auto",
     "a health document (health+json, Spring Boot, MicroProfile, ASP.NET Core, Kubernetes, terminus, "
     "Elasticsearch, etcd, Consul, Vault, a status word as text or in a status, state or health member)"},
    {HealthFormat::health_json, "health+json",
     "an application/health+json document (JSON with \"status\" pass, warn or fail)"},
    {HealthFormat::spring, "spring", "a Spring Boot health document (JSON with \"status\")"},
    {HealthFormat::microprofile, "microprofile",
     "a MicroProfile Health document (JSON with \"status\" UP or DOWN and \"checks\")"},
    {HealthFormat::aspnet, "aspnet",
     "an ASP.NET Core health report (Healthy, Degraded or Unhealthy, as text or JSON)"},
    {HealthFormat::k8s, "k8s", "a Kubernetes health check text (\"[+]name ok\" lines)"},
    {HealthFormat::terminus, "terminus",
     "a terminus / NestJS health document (JSON with \"status\" ok or error, \"info\", \"error\", "
     "\"details\")"},
    {HealthFormat::elasticsearch, "elasticsearch",
     "an Elasticsearch cluster health document (\"status\" green, yellow or red)"},
    {HealthFormat::etcd, "etcd", "an etcd health document ({\"health\": \"true\"})"},
    {HealthFormat::consul, "consul",
     "Consul checks (a list or map of checks with \"Status\" passing, warning or critical)"},
    {HealthFormat::vault, "vault", "a Vault sys/health document (\"initialized\", \"sealed\", \"standby\")"},
    {HealthFormat::text, "text", "a short text with one status word (\"OK\", \"healthy\", \"UP\")"},
    {HealthFormat::generic, "generic",
     "JSON whose \"status\", \"state\" or \"health\" holds a status word (ok, up, healthy, degraded, down, "
     "...)"},
};

// Other spellings people type for --health.
struct FormatAlias {
  std::string_view name;
  HealthFormat format;
};

constexpr FormatAlias kFormatAliases[] = {
    {"health-json", HealthFormat::health_json},  {"healthjson", HealthFormat::health_json},
    {"spring-boot", HealthFormat::spring},       {"springboot", HealthFormat::spring},
    {"mp", HealthFormat::microprofile},          {"asp.net", HealthFormat::aspnet},
    {"kubernetes", HealthFormat::k8s},           {"nestjs", HealthFormat::terminus},
    {"opensearch", HealthFormat::elasticsearch}, {"plain", HealthFormat::text},
};

const FormatInfo& info_of(HealthFormat f) {
  for (const auto& i : kFormats)
    if (i.format == f) return i;
  return kFormats[0];
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
    if (auto f = detect_convention(b.doc, true)) return f;
    for (const auto& rule : kShapes)
      if (rule.matches(b.doc)) return rule.format;
  }
  if (b.kind == BodyKind::json) return detect_convention(b.doc, false);
  if (b.kind == BodyKind::text) {
    if (looks_like_k8s(b.text)) return HealthFormat::k8s;
    if (lookup(kAspNetDialect.words, b.text)) return HealthFormat::aspnet;
    if (read_plain_text(b.text)) return HealthFormat::text;
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
    case HealthFormat::terminus:
    case HealthFormat::elasticsearch:
    case HealthFormat::etcd:
    case HealthFormat::consul:
    case HealthFormat::vault:
    case HealthFormat::generic:
      if (b.kind != BodyKind::json) return Error{describe(b)};
      return read_convention(f, b.doc);
    case HealthFormat::text:
      if (b.kind != BodyKind::text) return Error{describe(b)};
      return read_plain_text(b.text);
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
  // A shape that looked like a named format ("checks", "components") but
  // speaks another vocabulary (GOOD/BAD, "Status": "Healthy" in a map): the
  // generic reader of SPEC 1.2.1 knows the usual words and keys.
  if (format == HealthFormat::auto_detect && f != HealthFormat::generic && is_json_object(b) &&
      (!r || r->status == HealthStatus::unknown)) {
    // Only where the named reader failed, or the document's own word is one
    // the generic vocabulary knows: Spring's custom "FATAL" stays unknown.
    auto g = read_convention(HealthFormat::generic, b.doc);
    if (g && g->status != HealthStatus::unknown && (!r || !g->raw_status.empty())) return g;
  }
  if (!r) return Error{expected(f) + r.error() + suffix};
  return r;
}

}  // namespace probewise
