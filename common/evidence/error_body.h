// SPDX-License-Identifier: GPL-2.0-or-later
// Error bodies of identity providers, APIs and platforms (JSON error objects,
// XML errors, problem+json, plain text), read into Signals for the auth.*,
// forbidden.*, throttled codes. Bounded work on any input; never throws.
//
// Which answers are read: 401, 403, 407, 429; 400 for explicit codes only
// (AWS and OAuth token endpoints answer auth failures with 400; words in a 400
// are usually validation errors); 5xx for auth.service_unavailable and
// throttled only. Any other status (a 200 page that mentions "expired", a
// 404) yields nothing, except for an unmistakable error object: Slack's
// {"ok":false,"error":"..."} and GraphQL's errors[].extensions.code, which
// arrive with 200.
//
// Signals come back best first: Strength::explicit_ before wording, and among
// equals the more specific table row first; at most one signal per reason.
// A body never yields Strength::presence. Values that look like credentials
// (JWTs, long base64, known key prefixes) never reach detail or evidence.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "evidence/signals.h"
#include "http/header_map.h"

namespace probewise {

Signals error_body_signals(const HeaderMap& headers, std::string_view body, int status);

// Helpers shared by the body readers (this file and vendor_fingerprints).

// The readable text of a body prefix: HTML entities decoded, curly quotes made
// straight, runs of whitespace collapsed to one space. With strip_tags, every
// tag becomes a space and script/style/comment content is dropped. `lower`
// has the same offsets as `cased`.
struct PageText {
  std::string cased;
  std::string lower;
};
PageText page_text(std::string_view body, std::size_t max_bytes, bool strip_tags);

// Where a wording pattern occurs in lower-case text. Alternatives are
// separated by "|"; "*" inside an alternative allows up to 60 characters
// between its parts ("ip address*not allowed"). Parts start on a word
// boundary; short parts and parts ending in a digit also end on one
// ("ip" is not "ipsum"), longer ones may go on ("permission" finds
// "permissions"). Bounded work.
struct WordingMatch {
  std::size_t begin = std::string_view::npos;
  std::size_t end = std::string_view::npos;
  bool found() const { return begin != std::string_view::npos; }
};
WordingMatch find_wording(std::string_view lower, std::string_view pattern);

// Replaces credential-looking words with "[redacted]": JWT-like strings,
// known secret-key prefixes (sk_live_, ghp_, xoxb-, ...), long mixed-case
// base64 and long hex runs.
std::string redact_secrets(std::string_view text);

}  // namespace probewise
