// SPDX-License-Identifier: GPL-2.0-or-later
#include "secrets/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "base/text.h"

namespace probewise {
namespace {

constexpr std::array<std::string_view, 4> kExactNames{"authorization", "proxy-authorization", "cookie",
                                                      "set-cookie"};
constexpr std::array<std::string_view, 10> kNameParts{"token",     "secret", "password", "passwd",
                                                      "api-key",   "apikey", "auth",     "credential",
                                                      "signature", "session"};
// API-key style names: X-Custom-Key, Ocp-Apim-Subscription-Key, X_Api_Key.
constexpr std::array<std::string_view, 2> kNameSuffixes{"-key", "_key"};

// Query parameters whose values are credentials: the names OAuth 2.0, the
// cloud providers' signed URLs (AWS SigV4, Google, Azure SAS) and common API
// key conventions use, as whole names or as parts of longer ones.
constexpr std::array<std::string_view, 11> kSecretQueryNames{
    "key", "sig", "code", "auth", "pass", "pwd", "session", "sid", "jwt", "ticket", "otp"};
constexpr std::array<std::string_view, 14> kSecretQueryParts{
    "token",  "secret",     "passw",     "signature",   "credential",    "api_key",    "api-key",
    "apikey", "access_key", "accesskey", "private_key", "authorization", "session_id", "sessionid"};
constexpr std::array<std::string_view, 5> kSecretQuerySuffixes{"_key", "-key", ".key", "_sig", "-sig"};

// Standard request headers that carry no secret: the only ones a redirect
// to another origin takes along (SPEC 1.6), as people write them.
constexpr std::array<std::string_view, 22> kPublicHeaders{"Accept",
                                                          "Accept-Charset",
                                                          "Accept-Encoding",
                                                          "Accept-Language",
                                                          "Cache-Control",
                                                          "Connection",
                                                          "Content-Language",
                                                          "Content-Type",
                                                          "DNT",
                                                          "If-Match",
                                                          "If-Modified-Since",
                                                          "If-None-Match",
                                                          "If-Unmodified-Since",
                                                          "Origin",
                                                          "Pragma",
                                                          "Range",
                                                          "Referer",
                                                          "traceparent",
                                                          "User-Agent",
                                                          "X-Correlation-ID",
                                                          "X-Request-ID",
                                                          "X-Requested-With"};

bool is_control_or_space(char c) {
  return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
}

bool is_query_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == '%';
}

// "%3D" at text[at] (any case): a percent-encoded `c`, as the separators of
// a URL stand inside another URL's query ("?next=https%3A%2F%2Fh%2F%3Ftoken%3Dabc").
bool encoded(std::string_view text, std::size_t at, char c) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  if (at + 2 >= text.size() || text[at] != '%') return false;
  const auto uc = static_cast<unsigned char>(c);
  return std::toupper(static_cast<unsigned char>(text[at + 1])) == kHex[uc >> 4] &&
         std::toupper(static_cast<unsigned char>(text[at + 2])) == kHex[uc & 15];
}

// The length of the parameter separator at text[at] ('?', '&', ';', '#',
// or one of them percent-encoded), 0 when there is none.
std::size_t parameter_start(std::string_view text, std::size_t at) {
  const char c = text[at];
  if (c == '?' || c == '&' || c == ';' || c == '#') return 1;
  if (c == '%' && (encoded(text, at, '?') || encoded(text, at, '&') || encoded(text, at, '#'))) return 3;
  return 0;
}

// Where a query value ends in running text: the next parameter, the
// fragment, or whatever quotes or ends the URL (JSON and HTML included; a
// backslash would start a JSON escape).
bool ends_query_value(std::string_view text, std::size_t at) {
  const char c = text[at];
  return c == '&' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
         is_control_or_space(c) || (c == '%' && (encoded(text, at, '&') || encoded(text, at, '#')));
}

bool ends_authority(char c) {
  return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
         is_control_or_space(c);
}

// A name as its URL spells it, percent-decoded: "api%5Fkey" -> "api_key".
// At a parameter separator of `skip` characters: the end of "name=value"
// when the name is a credential's (its value is then replaced), else the
// end of the separator. The '=' may be percent-encoded too.
std::size_t query_parameter(std::string_view text, std::size_t at, std::size_t skip, Redactor& r) {
  const std::size_t name_begin = at + skip;
  std::size_t name_end = name_begin;
  while (name_end < text.size() && is_query_name_char(text[name_end]) && !encoded(text, name_end, '='))
    ++name_end;
  if (name_end == name_begin || name_end >= text.size()) return name_begin;
  const std::size_t equals = text[name_end] == '=' ? 1 : encoded(text, name_end, '=') ? 3 : 0;
  if (equals == 0 || !is_secret_query_name(text.substr(name_begin, name_end - name_begin))) return name_begin;
  std::size_t value_end = name_end + equals;
  while (value_end < text.size() && !ends_query_value(text, value_end)) ++value_end;
  r.replace(name_end + equals, value_end);
  return value_end;
}

// At the first '/' of "//" (after a scheme's ':' or standing alone, as a
// protocol-relative URL does): the end of the authority, with its userinfo
// (everything before the last '@') replaced.
std::size_t authority(std::string_view text, std::size_t at, Redactor& r) {
  const std::size_t begin = at + 2;
  std::size_t end = begin, userinfo_end = std::string_view::npos;
  for (; end < text.size() && !ends_authority(text[end]); ++end)
    if (text[end] == '@') userinfo_end = end;
  if (userinfo_end != std::string_view::npos) r.replace(begin, userinfo_end);
  return end;
}

// "//" that starts an authority: after a scheme's ':' ("http://"), or a
// protocol-relative reference at the start of a value ("Location:
// //u:p@h/", "href=\"//u:p@h/\""), never inside a path ("/a//b").
bool starts_authority(std::string_view text, std::size_t at) {
  if (text.compare(at, 2, "//") != 0) return false;
  if (at == 0) return true;
  const char before = text[at - 1];
  return before == ':' || before == '=' || before == '"' || before == '\'' || before == '(' ||
         before == '<' || before == ',' || is_control_or_space(before);
}

}  // namespace

bool is_secret_header(std::string_view name) {
  std::string lower = to_lower(trim(name));
  for (auto n : kExactNames)
    if (lower == n) return true;
  for (auto part : kNameParts)
    if (lower.find(part) != std::string::npos) return true;
  for (auto suffix : kNameSuffixes)
    if (ends_with(lower, suffix)) return true;
  return false;
}

std::string redact_header_line(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos || !is_secret_header(line.substr(0, colon))) return std::string(line);
  return std::string(line.substr(0, colon)) + ": " + std::string(kRedacted);
}

std::string redact_response_headers(std::string_view block) {
  std::string out;
  out.reserve(block.size());
  for (std::size_t start = 0; start < block.size();) {
    std::size_t end = block.find('\n', start);
    end = end == std::string_view::npos ? block.size() : end + 1;
    const std::string_view line = block.substr(start, end - start);
    const std::size_t colon = line.find(':');
    const std::string name = to_lower(trim(line.substr(0, colon)));
    if (colon != std::string_view::npos && name.find("authenticat") == std::string::npos &&
        is_secret_header(name)) {
      const std::size_t content_end = line.find_last_not_of("\r\n") + 1;
      out += redact_header_line(line.substr(0, content_end));
      out += line.substr(content_end);  // the line ending as it was
    } else {
      out += line;
    }
    start = end;
  }
  return out;
}

bool is_public_header(std::string_view name) {
  name = trim(name);
  return std::any_of(kPublicHeaders.begin(), kPublicHeaders.end(),
                     [name](std::string_view known) { return iequals(known, name); });
}

std::string public_header_names() {
  std::string out;
  for (auto name : kPublicHeaders) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

bool is_secret_query_name(std::string_view name) {
  const std::string lower = to_lower(name.find('%') == std::string_view::npos ? name : percent_decoded(name));
  for (auto n : kSecretQueryNames)
    if (lower == n) return true;
  for (auto part : kSecretQueryParts)
    if (lower.find(part) != std::string::npos) return true;
  for (auto suffix : kSecretQuerySuffixes)
    if (ends_with(lower, suffix)) return true;
  return false;
}

void Redactor::replace(std::size_t begin, std::size_t end) {
  if (end <= begin || text_.substr(begin, end - begin) == kRedacted) return;
  out_.append(text_.substr(copied_, begin - copied_));
  out_.append(kRedacted);
  copied_ = end;
}

std::string Redactor::finish() && {
  if (copied_ == 0) return std::string(text_);
  out_.append(text_.substr(copied_));
  return std::move(out_);
}

std::string redact_text(std::string_view text) {
  Redactor r(text);
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t skip = parameter_start(text, i))
      i = query_parameter(text, i, skip, r);
    else if (text[i] == '/' && starts_authority(text, i))
      i = authority(text, i, r);
    else
      ++i;
  }
  return std::move(r).finish();
}

}  // namespace probewise
