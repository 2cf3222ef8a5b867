// SPDX-License-Identifier: GPL-2.0-or-later
// The table of evidence/error_body.cpp: error codes and wording of identity
// providers, APIs and platforms, each with the reason it points at. Data only
// (error_body_rows.cpp).
#pragma once

#include <cstddef>
#include <string_view>

#include "evidence/signals.h"

namespace probewise::error_body_detail {

// ---------------------------------------------------------------------------
// The one table. Code rows compare a code-like value (error, code, status,
// __type, reason, ...) exactly, any "|" alternative; text rows look for a
// wording pattern in a message-like value. `also` is wording that some message
// of the same body must contain as well. Per value the first matching row
// counts, so specific rows come before general ones. Among signals of equal
// strength the earlier row wins: AADSTS codes first, then codes, then
// messages, then the generic "unauthorized" / "forbidden" codes.

enum class On { code, text };

struct Row {
  On on;
  std::string_view pattern;
  std::string_view also;
  std::string_view reason;
  Strength strength;
  std::string_view detail;  // "{message}" and "{code}" are filled in
};

extern const Row kErrorRows[];
extern const std::size_t kErrorRowCount;

}  // namespace probewise::error_body_detail
