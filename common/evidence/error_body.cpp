// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/error_body.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "base/text.h"
#include "evidence/error_body_rows.h"
#include "evidence/wording.h"

namespace probewise {
namespace {

using nlohmann::json;
using namespace error_body_detail;

constexpr std::size_t kMaxStructuredBytes = 64 * 1024;  // larger bodies are read as text
constexpr int kMaxJsonNesting = 32;                     // deeper documents are not parsed
constexpr int kMaxWalkDepth = 8;
constexpr std::size_t kMaxMembers = 64;  // per object or array
constexpr std::size_t kMaxFields = 64;
constexpr std::size_t kMaxValueBytes = 1024;
constexpr std::size_t kMaxTextBytes = 4096;  // of a plain-text or HTML body
constexpr std::size_t kEvidenceChars = 200;
// ---------------------------------------------------------------------------
// Fields: the message-like and code-like values of a body.

struct Field {
  std::string path;   // as in the body ("error.status") or the header name
  std::string key;    // last path component, lower-case
  std::string value;  // bounded
  bool from_header = false;
  bool trusted = false;  // part of an unmistakable error object: read at any status
};

constexpr std::string_view kCodeKeys[] = {"error",     "code",       "status", "__type",    "type",
                                          "errorcode", "error_code", "reason", "errortype", "error_type"};
constexpr std::string_view kMessageKeys[] = {"message",
                                             "msg",
                                             "error",
                                             "error_description",
                                             "errordescription",
                                             "errorsummary",
                                             "detail",
                                             "details",
                                             "title",
                                             "description",
                                             "reason",
                                             "text",
                                             "errormessage",
                                             "error_message",
                                             "localizedmessage",
                                             "authenticationerrordetail",
                                             "faultstring",
                                             "hint",
                                             "errors",
                                             "status_message",
                                             "statusmessage",
                                             "cause",
                                             "reasons"};

// Headers that carry an error code beside (or instead of) the body.
struct CodeHeader {
  std::string_view name;
  std::string_view key;
};
constexpr CodeHeader kCodeHeaders[] = {{"x-amzn-ErrorType", "__type"}, {"x-ms-error-code", "code"}};

constexpr std::string_view kXmlElements[] = {"code",      "message",   "authenticationerrordetail",
                                             "error",     "errorcode", "error_description",
                                             "reason",    "detail",    "faultstring",
                                             "faultcode", "title",     "errormessage"};

bool contains_key(const std::string_view* begin, const std::string_view* end, std::string_view key) {
  return std::find(begin, end, key) != end;
}
template <std::size_t N>
bool in(const std::string_view (&keys)[N], std::string_view key) {
  return contains_key(keys, keys + N, key);
}

// "com.amazonaws.sts#ExpiredTokenException" and
// "UnrecognizedClientException:http://internal.amazon.com/..." -> the code.
std::string_view code_of(std::string_view v) {
  v = trim(v);
  auto hash = v.rfind('#');
  if (hash != std::string_view::npos) v.remove_prefix(hash + 1);
  auto colon = v.find(':');
  if (colon != std::string_view::npos) v = v.substr(0, colon);
  return v;
}

bool is_code_like(const Field& f) {
  if (!in(kCodeKeys, f.key)) return false;
  auto code = code_of(f.value);
  return !code.empty() && code.size() <= 80 &&
         std::none_of(code.begin(), code.end(), [](char c) { return is_space(c); });
}

bool is_message_like(const Field& f) {
  return !is_code_like(f) && in(kMessageKeys, f.key);
}

Field* add_field(std::vector<Field>& out, std::string path, std::string_view key, std::string_view value,
                 bool trusted) {
  if (out.size() >= kMaxFields) return nullptr;
  value = trim(value);
  if (value.empty()) return nullptr;
  Field f;
  f.path = std::move(path);
  f.key = to_lower(key);
  f.value = std::string(value.substr(0, kMaxValueBytes));
  f.trusted = trusted;
  out.push_back(std::move(f));
  return &out.back();
}

bool nesting_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

// GraphQL answers 200 with {"errors":[{"message":..,"extensions":{"code":"UNAUTHENTICATED"}}]}.
bool is_graphql_errors(const json& errors) {
  if (!errors.is_array()) return false;
  std::size_t n = 0;
  for (const auto& e : errors) {
    if (++n > kMaxMembers) break;
    if (e.is_object() && e.contains("extensions") && e["extensions"].is_object() &&
        e["extensions"].contains("code") && e["extensions"]["code"].is_string())
      return true;
  }
  return false;
}

// Collects string and integer values with their paths. `trusted` marks the
// subtree of an unmistakable error object.
void walk_json(const json& j, const std::string& path, std::string_view key, int depth, bool trusted,
               std::vector<Field>& out) {
  if (depth > kMaxWalkDepth || out.size() >= kMaxFields) return;
  if (j.is_object()) {
    // Slack answers 200 with {"ok":false,"error":"invalid_auth"}.
    bool slack = depth == 0 && j.contains("ok") && j["ok"].is_boolean() && !j["ok"].get<bool>();
    std::size_t n = 0;
    for (const auto& [name, child] : j.items()) {
      if (++n > kMaxMembers) break;
      std::string child_path = path.empty() ? name : path + "." + name;
      bool child_trusted = trusted || (slack && name == "error") ||
                           (depth == 0 && name == "errors" && is_graphql_errors(child));
      walk_json(child, child_path, name, depth + 1, child_trusted, out);
    }
  } else if (j.is_array()) {
    std::size_t n = 0;
    for (const auto& child : j) {
      if (++n > kMaxMembers) break;
      walk_json(child, path, key, depth + 1, trusted, out);  // array items keep their parent's name
    }
  } else if (j.is_string()) {
    add_field(out, path, key, j.get_ref<const std::string&>(), trusted);
  } else if (j.is_number_integer()) {
    add_field(out, path, key, std::to_string(j.get<long long>()), trusted);
  }
}

bool read_json(std::string_view body, std::vector<Field>& out) {
  if (body.size() > kMaxStructuredBytes || !nesting_within(body, kMaxJsonNesting)) return false;
  json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded() || !(doc.is_object() || doc.is_array())) return false;
  walk_json(doc, "", "", 0, false, out);
  return true;
}

// <Error><Code>ExpiredToken</Code><Message>...</Message></Error> and the like:
// elements from a short list whose content is text only.
bool read_xml(std::string_view body, std::vector<Field>& out) {
  body = body.substr(0, kMaxStructuredBytes);
  std::size_t before = out.size();
  std::size_t pos = 0;
  while (out.size() < kMaxFields) {
    pos = body.find('<', pos);
    if (pos == std::string_view::npos) break;
    std::size_t name_end = pos + 1;
    while (name_end < body.size() && (is_word(body[name_end]) || body[name_end] == ':' ||
                                      body[name_end] == '-' || body[name_end] == '.'))
      ++name_end;
    std::string_view name = body.substr(pos + 1, name_end - pos - 1);
    auto colon = name.rfind(':');
    std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
    std::size_t gt = body.find('>', name_end);
    if (gt == std::string_view::npos) break;
    pos = gt + 1;
    if (local.empty() || body[gt - 1] == '/') continue;
    std::string lower = to_lower(local);
    if (!in(kXmlElements, lower)) continue;
    std::size_t next = body.find('<', pos);
    if (next == std::string_view::npos) break;
    if (body.substr(next, 2) != "</" || !iequals(body.substr(next + 2, name.size()), name)) continue;
    PageText text = page_text(body.substr(pos, next - pos), kMaxValueBytes, false);
    add_field(out, std::string(local), lower, text.cased, false);
    pos = next;
  }
  return out.size() > before;
}

bool looks_like_html(std::string_view lower_head) {
  return lower_head.find("<html") != std::string_view::npos ||
         lower_head.find("<!doctype html") != std::string_view::npos ||
         lower_head.find("<body") != std::string_view::npos;
}

std::vector<Field> extract_fields(const HeaderMap& headers, std::string_view body) {
  std::vector<Field> out;
  for (const auto& h : kCodeHeaders) {
    if (auto v = headers.get(h.name)) {
      if (Field* f = add_field(out, std::string(h.name), h.key, *v, false)) f->from_header = true;
    }
  }
  std::string_view t = trim(body);
  if (starts_with(t, "\xEF\xBB\xBF")) t.remove_prefix(3);  // UTF-8 BOM
  if (t.empty()) return out;
  if ((t.front() == '{' || t.front() == '[') && read_json(t, out)) return out;
  if (t.front() == '<') {
    std::string head = to_lower(t.substr(0, 512));
    if (!looks_like_html(head) && read_xml(t, out)) return out;
  }
  PageText text = page_text(t, kMaxTextBytes, true);
  add_field(out, "text", "text", text.cased, false);
  return out;
}

// ---------------------------------------------------------------------------
// Matching and the signal's words.

const std::size_t kPhraseRows = wording_detail::kPhraseCount;

// Codes compare without case; a second reading also without separators:
// "invalid_token", "InvalidToken" and "INVALID-TOKEN" are one code in
// different styles, but the spelling a row names wins over a look-alike.
std::string folded(std::string_view code) {
  std::string out;
  for (char c : code)
    if (std::isalnum(static_cast<unsigned char>(c)) != 0)
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool code_matches(std::string_view alternatives, std::string_view code, bool fold) {
  const std::string c = fold ? folded(code) : std::string();
  for (auto alt : split(alternatives, '|'))
    if (fold ? folded(alt) == c : iequals(alt, code)) return true;
  return false;
}

// Where the row matches the field, if it does (a code row matches it whole).
WordingMatch row_match(const Row& row, const Field& f, const std::string& lower_value, bool fold) {
  if (row.on == On::code) {
    if (is_code_like(f) && code_matches(row.pattern, code_of(f.value), fold)) return {0, f.value.size()};
    return {};
  }
  return !fold && is_message_like(f) ? find_wording(lower_value, row.pattern) : WordingMatch{};
}

bool also_matches(const Row& row, const std::vector<Field>& fields, const std::vector<std::string>& lower) {
  if (row.also.empty()) return true;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (is_message_like(fields[i]) && find_wording(lower[i], row.also).found()) return true;
  return false;
}

bool is_read_status(int status) {
  return status == 400 || status == 401 || status == 403 || status == 405 || status == 406 || status == 407 ||
         status == 429 || status == 451 || (status >= 500 && status <= 599);
}

// What a reading may claim on this status. 400 is read for the explicit codes
// AWS and OAuth token endpoints put there, not for words ("pagination token is
// not valid" is a validation error). On 5xx only a failing auth service or
// a rate limit: "Permission denied: '/var/log/app.log'" in a 500 is the
// server's own problem. 405 and 406 are what some WAFs answer. A sentence
// that says a security rule blocked the request counts on all of them.
bool fits_status(std::string_view reason, Strength strength, int status) {
  if (reason == "forbidden.waf") return true;
  if (status == 400) return strength == Strength::explicit_;
  if (status == 405 || status == 406) return false;
  if (status >= 500 && status <= 599) return reason == "auth.service_unavailable" || reason == "throttled";
  return true;
}

std::string shown(std::string_view value, std::size_t max_chars) {
  std::string s = redact_secrets(trim(value));
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return ellipsize(s, max_chars);
}

bool ends_sentence(std::string_view v, std::size_t i) {
  char c = v[i];
  if (c == '|' || c == '!' || c == '?') return true;
  return c == '.' && (i + 1 == v.size() || v[i + 1] == ' ');
}

// A long message is quoted by the sentence around the match, not its start
// (a page title and navigation rarely say anything).
std::string_view around(std::string_view v, WordingMatch m) {
  constexpr std::size_t kShort = 120, kReach = 100;
  if (v.size() <= kShort || !m.found() || m.end > v.size()) return v;
  std::size_t b = m.begin, stop = m.begin > kReach ? m.begin - kReach : 0;
  while (b > stop && !ends_sentence(v, b - 1)) --b;
  std::size_t e = m.end, limit = std::min(v.size(), m.end + kReach);
  while (e < limit && !ends_sentence(v, e)) ++e;
  return trim(v.substr(b, e - b));
}

// The message to quote in a detail: the matched value when it is a message,
// else the first message of the body.
std::string message_for(const std::vector<Field>& fields, std::size_t matched, WordingMatch m) {
  if (is_message_like(fields[matched])) return shown(around(fields[matched].value, m), 120);
  for (const auto& f : fields)
    if (is_message_like(f)) return shown(f.value, 120);
  return "";
}

// The product a block sentence names, or what it is when it names none.
constexpr std::string_view kNoProduct = "a security rule (WAF, firewall or bot protection)";

std::string fill_detail(std::string_view tmpl, const std::string& message, std::string_view code,
                        const std::string& product) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl.substr(i, 9) == "{message}") {
      out += message;
      i += 9;
    } else if (tmpl.substr(i, 6) == "{code}") {
      out += code;
      i += 6;
    } else if (tmpl.substr(i, 9) == "{product}") {
      out += product.empty() ? std::string(kNoProduct) : shown(product, 60);
      i += 9;
    } else {
      out += tmpl[i++];
    }
  }
  if (message.empty() && !out.empty() && out.back() == ' ' && out.size() >= 2 && out[out.size() - 2] == ':')
    out.resize(out.size() - 2);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  return out;
}

// Context fields worth showing beside the matched one: no bare numbers
// ("code":401 repeats the status) and no URIs.
bool is_context(const Field& f) {
  if (f.from_header || !(is_code_like(f) || is_message_like(f))) return false;
  bool digits = std::all_of(f.value.begin(), f.value.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  return !digits && f.value.find("://") == std::string::npos;
}

// The body's fields in the body's order, the matched one among them: every
// signal of one body then shows the same line, and the evidence lists it once.
std::string evidence_for(const std::vector<Field>& fields, std::size_t matched, WordingMatch m) {
  const Field& f = fields[matched];
  if (f.key == "text") return "body: \"" + shown(around(f.value, m), kEvidenceChars - 8) + "\"";
  std::string out = f.from_header ? "header " + f.path + ": " + shown(f.value, 120) : "";
  bool body_started = false;
  for (std::size_t i = 0; i < fields.size() && out.size() < kEvidenceChars; ++i) {
    const bool shown_field = fields[i].from_header ? false : i == matched || is_context(fields[i]);
    if (!shown_field) continue;
    out += body_started ? ", " : (out.empty() ? "body: " : "; body: ");
    body_started = true;
    out += fields[i].path + "=\"" + shown(fields[i].value, 100) + "\"";
  }
  return ellipsize(out, kEvidenceChars);
}

}  // namespace

Signals error_body_signals(const HeaderMap& headers, std::string_view body, int status) {
  try {
    std::vector<Field> fields = extract_fields(headers, body);
    if (!is_read_status(status)) {
      fields.erase(std::remove_if(fields.begin(), fields.end(), [](const Field& f) { return !f.trusted; }),
                   fields.end());
    }
    std::vector<std::string> lower;
    lower.reserve(fields.size());
    for (const auto& f : fields) lower.push_back(to_lower(f.value));

    // Per value its first reading: a code row, else a phrase (evidence/wording.h).
    struct Hit {
      std::size_t order;  // code rows, then phrases, then the codes that restate the status
      std::size_t field;
      WordingMatch match;
      std::string_view reason, detail, if_sent;
      Strength strength;
      bool restates;
      std::string code, product;
    };
    std::vector<Hit> hits;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      bool read = false;
      for (std::size_t r = 0; r < 2 * kErrorRowCount && !read; ++r) {
        const std::size_t index = r % kErrorRowCount;
        const Row& row = kErrorRows[index];
        WordingMatch m = row_match(row, fields[f], lower[f], r >= kErrorRowCount);
        if (!m.found() || !also_matches(row, fields, lower)) continue;
        read = true;  // the value's best reading, whether or not it applies here
        if (!fits_status(row.reason, row.strength, status)) break;
        std::string code = row.on == On::code ? std::string(code_of(fields[f].value)) : "";
        hits.push_back({row.restates ? kErrorRowCount + kPhraseRows + index : index, f, m, row.reason,
                        row.detail, "", row.strength, row.restates, code, ""});
      }
      if (read || !is_message_like(fields[f])) continue;
      if (auto p = read_phrase(fields[f].value, lower[f], status)) {
        const wording_detail::Phrase& phrase = wording_detail::kPhrases[p->row];
        if (fits_status(phrase.reason, phrase.strength, status))
          hits.push_back({kErrorRowCount + p->row, f, p->match, phrase.reason, phrase.detail,
                          phrase.sent_reason, phrase.strength, p->restates, "", p->product});
      }
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      auto sa = static_cast<int>(a.strength), sb = static_cast<int>(b.strength);
      return sa != sb ? sa > sb : a.order < b.order;
    });

    Signals out;
    for (const Hit& h : hits) {
      bool seen = std::any_of(out.begin(), out.end(), [&](const Signal& s) { return s.reason == h.reason; });
      if (seen) continue;
      Signal s;
      s.reason = std::string(h.reason);
      s.strength = h.strength;
      s.detail = fill_detail(h.detail, message_for(fields, h.field, h.match), shown(h.code, 80), h.product);
      s.evidence = evidence_for(fields, h.field, h.match);
      s.vendor = h.product;
      s.if_sent = std::string(h.if_sent);
      s.restates = h.restates;
      out.push_back(std::move(s));
    }
    return out;
  } catch (...) {  // bad_alloc and the like: no evidence rather than a failed check
    return {};
  }
}

}  // namespace probewise