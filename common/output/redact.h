// SPDX-License-Identifier: GPL-2.0-or-later
// Keeps secrets out of traces: header values and URL passwords.
#pragma once

#include <string>
#include <string_view>

namespace probewise {

// True for header names that carry credentials (Authorization, Cookie,
// X-API-Key, anything with token/secret/password/api-key in its name).
bool is_secret_header(std::string_view name);
// "Authorization: Bearer abc" -> "Authorization: [redacted]"; other lines unchanged.
std::string redact_header_line(std::string_view line);
// "http://user:pw@host/" -> "http://user:[redacted]@host/".
std::string redact_url(std::string_view url);

}  // namespace probewise
