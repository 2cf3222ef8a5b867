// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/redact.h"

#include <array>

#include "base/text.h"

namespace probewise {
namespace {

constexpr std::array<std::string_view, 4> kExactNames{"authorization", "proxy-authorization", "cookie",
                                                      "set-cookie"};
constexpr std::array<std::string_view, 7> kNameParts{"token",   "secret", "password", "passwd",
                                                     "api-key", "apikey", "auth"};

}  // namespace

bool is_secret_header(std::string_view name) {
  std::string lower = to_lower(trim(name));
  for (auto n : kExactNames)
    if (lower == n) return true;
  for (auto part : kNameParts)
    if (lower.find(part) != std::string::npos) return true;
  return false;
}

std::string redact_header_line(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos || !is_secret_header(line.substr(0, colon))) return std::string(line);
  return std::string(line.substr(0, colon)) + ": [redacted]";
}

std::string redact_url(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  auto auth_start = scheme_end + 3;
  auto at = url.find('@', auth_start);
  auto slash = url.find('/', auth_start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && at > slash))
    return std::string(url);
  auto colon = url.find(':', auth_start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "[redacted]" + std::string(url.substr(at));
}

}  // namespace probewise
