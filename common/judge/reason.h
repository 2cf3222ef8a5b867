// SPDX-License-Identifier: GPL-2.0-or-later
// The fixed vocabulary of reason codes (SPEC 1.3), with the words and the
// first hints that go with each. Classification picks codes; this table
// says what they mean to an operator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "evidence/signals.h"

namespace probewise {

struct ReasonInfo {
  std::string_view code;                // e.g. "net.refused"
  std::string_view label;               // words for the status line, e.g. "connection refused"
  std::vector<std::string_view> hints;  // most likely first
};

// Every code of SPEC 1.3, in the order of the table there.
const std::vector<ReasonInfo>& reason_table();
// nullptr for a code that is not in the vocabulary.
const ReasonInfo* find_reason(std::string_view code);

// The reason in words. A guess (basis presence or status) reads as one:
// "likely permission denied", "forbidden, cause unknown".
std::string reason_words(std::string_view code, Basis basis);

// What a basis means, for the long output: "the server named the cause".
std::string_view basis_words(Basis basis);

}  // namespace probewise
