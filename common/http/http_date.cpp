// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/http_date.h"

#include <array>
#include <string>

#include "base/text.h"

namespace probewise {

std::optional<std::time_t> parse_http_date(std::string_view text) {
  static constexpr std::array<const char*, 3> kFormats{
      "%a, %d %b %Y %H:%M:%S",  // Sun, 06 Nov 1994 08:49:37 GMT
      "%A, %d-%b-%y %H:%M:%S",  // Sunday, 06-Nov-94 08:49:37 GMT
      "%a %b %d %H:%M:%S %Y",   // Sun Nov  6 08:49:37 1994
  };
  std::string s(trim(text));
  for (const char* format : kFormats) {
    struct tm tm {};
    const char* end = strptime(s.c_str(), format, &tm);
    if (!end) continue;
    std::string_view rest = trim(end);
    if (!rest.empty() && rest != "GMT" && rest != "UTC") continue;
    return timegm(&tm);
  }
  return std::nullopt;
}

}  // namespace probewise
