// SPDX-License-Identifier: GPL-2.0-or-later
// SHA-256 as hex, for state file names and credential fingerprints.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace probewise {

// The first `hex_digits` hex digits of SHA-256(input).
std::string sha256_hex(std::string_view input, std::size_t hex_digits);

}  // namespace probewise
