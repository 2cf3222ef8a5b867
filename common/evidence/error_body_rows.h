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
// The table of codes. Code rows compare a code-like value (error, code,
// status, __type, reason, ...) exactly, any "|" alternative; text rows look
// for a vendor's code inside a message (AADSTS50126). `also` is wording that
// some message of the same body must contain as well. Per value the first
// matching row counts, so specific rows come before general ones. The words
// of messages are read with the one table of phrases (evidence/wording.h);
// among signals of equal strength: AADSTS codes, codes, phrases, then the
// generic "unauthorized" / "forbidden" codes, which only restate the status.

enum class On { code, text };

struct Row {
  On on;
  std::string_view pattern;
  std::string_view also;
  std::string_view reason;
  Strength strength;
  std::string_view detail;  // "{message}" and "{code}" are filled in
  bool restates = false;    // a generic code that only restates the status
};

extern const Row kErrorRows[];
extern const std::size_t kErrorRowCount;

}  // namespace probewise::error_body_detail
