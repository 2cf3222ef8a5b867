// SPDX-License-Identifier: GPL-2.0-or-later
// The wording of an answer: what its sentences say, whatever the body's
// shape (a message of a JSON error at any depth, the text of an HTML page,
// plain text). ONE table of phrases (evidence/wording_rows.cpp), data not
// code: each row is a class of sentences ("blocked by X", "your IP is not
// allowed", "not a management user", "system:anonymous"), the reason it
// points at, and a sentence it must read (tests/unit/evidence/wording_test.cpp
// runs every row). Rules are written for sentence shapes, never for one
// product's page. Bounded work; never throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "evidence/body_text.h"
#include "evidence/signals.h"

namespace probewise {

namespace wording_detail {

// Which answers a phrase may read. Words such as "you are not authorized to
// access that resource" on a 401 only restate the status: they say "no", not
// that a permission is missing.
enum class Scope {
  any,      // every status the readers read
  not_401,  // not on a 401
};

// What a phrase needs beyond its words.
enum class Needs {
  nothing,
  target,  // "blocked by <X>": X is a product or a security noun ("the firewall"), not "mistake"
};

struct Phrase {
  std::string_view pattern;  // a find_wording pattern ("a*b|c"), lower case
  std::string_view reason;   // a SPEC 1.3 code
  Strength strength;
  Scope scope;
  Needs needs;
  std::string_view detail;       // "{message}" and "{product}" are filled in
  std::string_view sent_reason;  // the reason when the check sent credentials ("" = the same)
  bool restates;                 // says "no" without saying why ("login failed"): below local facts
  std::string_view example;      // a sentence this row, and no row before it, reads
};

extern const Phrase kPhrases[];
extern const std::size_t kPhraseCount;

}  // namespace wording_detail

// The first phrase of the table that reads this text (`lower` has the same
// offsets as `cased`) on an answer with this status, and where.
struct PhraseHit {
  std::size_t row = 0;  // index into wording_detail::kPhrases
  WordingMatch match;
  std::string product;  // for block sentences: the product the text names, "" if none
  bool restates = false;
};
std::optional<PhraseHit> read_phrase(std::string_view cased, std::string_view lower, int status);

// The product a block page names: "blocked by X", "X blocked your request",
// "X Web Application Firewall", "Protected by X". "" when it names none (a
// security noun such as "the firewall" or "our security policy" is no name).
std::string product_named(std::string_view cased);

// A page that names the address the check connected from and refuses it
// ("Access denied for 192.0.2.7", "Host '192.0.2.7' is not allowed"): the
// address rule of SPEC 1.3 for the very value the check knows. Read on 401,
// 403 and 451 only.
Signals source_address_signals(std::string_view body, int status, std::string_view local_ip);

}  // namespace probewise
