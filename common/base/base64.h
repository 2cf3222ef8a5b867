// SPDX-License-Identifier: GPL-2.0-or-later
// Base64 (RFC 4648): Basic credentials, JWT parts, the forms a secret takes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace probewise {

// Standard alphabet, with padding ("user:pw" -> "dXNlcjpwdw==").
std::string base64_encode(std::string_view in);

// Decodes base64url or standard base64 (either alphabet, with or without
// padding); nullopt on a bad character.
std::optional<std::string> base64url_decode(std::string_view in);

}  // namespace probewise
