// SPDX-License-Identifier: GPL-2.0-or-later
// What the health readers share (evidence/health*.cpp): the status words of
// each format, bounded JSON helpers, status values, and the body as it
// arrived. Internal to the health readers; users include evidence/health.h.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "evidence/health.h"

namespace probewise::health_detail {

using json = nlohmann::json;

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
inline constexpr StatusWord kHealthJsonWords[] = {
    {"pass", HealthStatus::pass},  {"ok", HealthStatus::pass},      {"up", HealthStatus::pass},
    {"warn", HealthStatus::warn},  {"warning", HealthStatus::warn}, {"fail", HealthStatus::fail},
    {"error", HealthStatus::fail}, {"down", HealthStatus::fail},
};
inline constexpr StatusWord kSpringWords[] = {
    {"UP", HealthStatus::pass},
    {"DOWN", HealthStatus::fail},
    {"OUT_OF_SERVICE", HealthStatus::fail},
    {"UNKNOWN", HealthStatus::unknown},
};
inline constexpr StatusWord kMicroProfileWords[] = {{"UP", HealthStatus::pass}, {"DOWN", HealthStatus::fail}};
inline constexpr StatusWord kAspNetWords[] = {
    {"Healthy", HealthStatus::pass}, {"Degraded", HealthStatus::warn}, {"Unhealthy", HealthStatus::fail}};
// ASP.NET Core's HealthStatus enum, when a writer serializes it as a number.
inline constexpr StatusWord kAspNetNumbers[] = {
    {"0", HealthStatus::fail}, {"1", HealthStatus::warn}, {"2", HealthStatus::pass}};

struct Dialect {
  Words words;
  Words numbers;            // statuses written as numbers, if the format has them
  bool custom_codes;        // an upper-case word outside `words` is a custom status (unknown), not an error
  std::string_view listed;  // for "expected status ..." errors
};

inline const Dialect kHealthJsonDialect{words_of(kHealthJsonWords), {}, false, "pass, warn or fail"};
inline const Dialect kSpringDialect{
    words_of(kSpringWords), {}, true, "UP, DOWN, OUT_OF_SERVICE, UNKNOWN or a custom code"};
inline const Dialect kMicroProfileDialect{words_of(kMicroProfileWords), {}, false, "UP or DOWN"};
inline const Dialect kAspNetDialect{words_of(kAspNetWords), words_of(kAspNetNumbers), false,
                                    "Healthy, Degraded or Unhealthy"};

std::optional<HealthStatus> lookup(Words w, std::string_view raw);
// Spring lets applications define their own codes ("FATAL"): an upper-case
// letter, then upper-case letters, digits and underscores.
bool is_status_code(std::string_view s);
int severity(HealthStatus s);
HealthStatus worst_of(const std::vector<HealthComponent>& components);

// ---------------------------------------------------------------------------
// Small text and JSON helpers.

std::string capped(std::string_view s);                // cut to kMaxHealthTextBytes on a UTF-8 boundary
std::string quoted_excerpt(std::string_view s);        // the first line, short and printable, quoted
const json* member(const json& obj, const char* key);  // nullptr when absent or null
const json* first_member(const json& obj, std::initializer_list<const char*> keys);
const json* object_member(const json& obj, const char* key);
std::string text_of(const json* v);              // a scalar as text ("" for objects, arrays, null)
std::optional<double> number_of(const json* v);  // a number, or a string that is exactly one
std::string_view json_type_phrase(const json& v);
std::string message_of(const json* obj);  // a component's message, from the usual keys
void add_component(HealthReport& r, HealthComponent c);

// ---------------------------------------------------------------------------
// Status values.

struct StatusRead {
  HealthStatus status = HealthStatus::unknown;
  std::string raw;
  bool known = false;  // a word of the dialect (or a boolean or number it allows)
};

// nullopt when the member is absent (or null).
std::optional<StatusRead> read_status(const json* v, const Dialect& d);
void set_component_status(HealthComponent& c, const json* v, const Dialect& d);
// The overall status: the document's own word, or (when it has none) the
// worst of its components. A word the format does not know is an error.
std::optional<Error> judge_overall(const json* v, const Dialect& d, HealthReport& r);

// ---------------------------------------------------------------------------
// The named formats (health_formats.cpp).

Expected<HealthReport> parse_health_json(const json& doc);
Expected<HealthReport> parse_spring(const json& doc);
Expected<HealthReport> parse_microprofile(const json& doc);
Expected<HealthReport> parse_aspnet_json(const json& doc);
Expected<HealthReport> parse_aspnet_text(std::string_view text);
Expected<HealthReport> parse_k8s(std::string_view text);
std::optional<HealthStatus> k8s_mark(std::string_view line);
bool looks_like_k8s(std::string_view text);
bool is_detail_child(const json& v);                              // a Spring 1.x component beside "status"
std::vector<std::string_view> text_lines(std::string_view text);  // trimmed, empty ones dropped

// ---------------------------------------------------------------------------
// The conventions of SPEC 1.2.1 (health_conventions.cpp).

struct Convention {
  HealthFormat format;
  bool (*shape)(const json&);
  Expected<HealthReport> (*read)(const json&);
};
const std::vector<Convention>& conventions();
// The convention a JSON document follows. before_named: only those that must
// be tried before the named formats (terminus' {"status":"ok"} is also
// health+json's shape); else the rest, tried after them.
std::optional<HealthFormat> detect_convention(const json& doc, bool before_named);
Expected<HealthReport> read_convention(HealthFormat f, const json& doc);
// "OK", "healthy", "Prometheus Server is Healthy.": a few words with one status word.
Expected<HealthReport> read_plain_text(std::string_view text);

// ---------------------------------------------------------------------------
// What arrived: the body's kind, parsed once, with bounded work.

enum class BodyKind { empty, html, xml, json, bad_json, text };

// NOLINTNEXTLINE(bugprone-exception-escape): nlohmann::json moves without throwing
struct Body {
  BodyKind kind = BodyKind::empty;
  std::string_view text;  // trimmed, without a byte order mark
  json doc;               // BodyKind::json
  std::string problem;    // BodyKind::bad_json: what is wrong and where
};

Body classify_body(std::string_view body, std::string_view media_type);
std::string describe(const Body& b);  // for "expected ..., got <this>" errors
bool is_json_object(const Body& b);

}  // namespace probewise::health_detail
