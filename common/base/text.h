// SPDX-License-Identifier: GPL-2.0-or-later
// Small string helpers shared by the parsers.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace probewise {

std::string_view trim(std::string_view s);
// Splits on sep, trimming each item and dropping empty ones.
std::vector<std::string_view> split(std::string_view s, char sep);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
// True when `s` holds CR, LF or NUL: a value that would end the header,
// request line or URL it goes into (SPEC 1.6 refuses it where it enters).
bool breaks_line(std::string_view s);
// "%5F" and the like decoded ("api%5Fkey" -> "api_key"); anything that is
// no percent-escape stays as it is.
std::string percent_decoded(std::string_view s);
// "abcdef" cut to max_chars with "..." as check_curl shows search strings.
std::string ellipsize(std::string_view s, std::size_t max_chars);
// strftime() of t in UTC, e.g. format_utc(t, "%Y-%m-%dT%H:%M:%SZ").
std::string format_utc(std::time_t t, const char* format);
// A number as people write it: 0.5, 3, 1000000000, 1.23456789012346e+20
// (%.15g: no trailing zeros, every digit a double holds for sure).
std::string number_text(double d);

}  // namespace probewise
