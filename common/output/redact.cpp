// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/redact.h"

#include <array>

#include "base/text.h"

namespace probewise {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

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

bool is_control_or_space(char c) {
  return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
}

bool is_query_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == '%';
}

// Where a query value ends in running text: the next parameter, the
// fragment, or whatever quotes or ends the URL (JSON and HTML included; a
// backslash would start a JSON escape).
bool ends_query_value(char c) {
  return c == '&' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
         is_control_or_space(c);
}

bool ends_authority(char c) {
  return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
         is_control_or_space(c);
}

// Copies `text` into `out` with the ranges handed to replace() shown as
// [redacted]; allocates nothing until the first one.
class Redactor {
 public:
  explicit Redactor(std::string_view text) : text_(text) {}
  void replace(std::size_t begin, std::size_t end) {
    if (end <= begin || text_.substr(begin, end - begin) == kRedacted) return;
    out_.append(text_.substr(copied_, begin - copied_));
    out_.append(kRedacted);
    copied_ = end;
  }
  std::string finish() && {
    if (copied_ == 0) return std::string(text_);
    out_.append(text_.substr(copied_));
    return std::move(out_);
  }

 private:
  std::string_view text_;
  std::string out_;
  std::size_t copied_ = 0;
};

// At text[at] == '?', '&' or ';': the end of "name=value" when the name is
// a credential's (its value is then replaced), else `at` + 1.
std::size_t query_parameter(std::string_view text, std::size_t at, Redactor& r) {
  std::size_t name_end = at + 1;
  while (name_end < text.size() && is_query_name_char(text[name_end])) ++name_end;
  if (name_end == at + 1 || name_end >= text.size() || text[name_end] != '=' ||
      !is_secret_query_name(text.substr(at + 1, name_end - at - 1)))
    return at + 1;
  std::size_t value_end = name_end + 1;
  while (value_end < text.size() && !ends_query_value(text[value_end])) ++value_end;
  r.replace(name_end + 1, value_end);
  return value_end;
}

// At text[at] == ':' of "://": the end of the authority, with its userinfo
// (everything before the last '@') replaced.
std::size_t authority(std::string_view text, std::size_t at, Redactor& r) {
  const std::size_t begin = at + 3;
  std::size_t end = begin, userinfo_end = std::string_view::npos;
  for (; end < text.size() && !ends_authority(text[end]); ++end)
    if (text[end] == '@') userinfo_end = end;
  if (userinfo_end != std::string_view::npos) r.replace(begin, userinfo_end);
  return end;
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

bool is_secret_query_name(std::string_view name) {
  const std::string lower = to_lower(name);
  for (auto n : kSecretQueryNames)
    if (lower == n) return true;
  for (auto part : kSecretQueryParts)
    if (lower.find(part) != std::string::npos) return true;
  for (auto suffix : kSecretQuerySuffixes)
    if (ends_with(lower, suffix)) return true;
  return false;
}

std::string redact_text(std::string_view text) {
  Redactor r(text);
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '?' || c == '&' || c == ';')
      i = query_parameter(text, i, r);
    else if (c == ':' && text.compare(i, 3, "://") == 0)
      i = authority(text, i, r);
    else
      ++i;
  }
  return std::move(r).finish();
}

}  // namespace probewise
