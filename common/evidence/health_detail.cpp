// SPDX-License-Identifier: GPL-2.0-or-later
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "base/text.h"
#include "evidence/health_detail.h"

namespace probewise::health_detail {

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
// What arrived: the body's kind, parsed once, with bounded work.

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

}  // namespace probewise::health_detail
