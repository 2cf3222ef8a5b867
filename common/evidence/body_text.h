// SPDX-License-Identifier: GPL-2.0-or-later
// The text of an answer's body as the readers see it (evidence/error_body,
// evidence/vendor_fingerprints): tags stripped, entities decoded; wording
// patterns found in it with bounded work; credential-like words redacted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace probewise {

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

bool is_space(char c);
bool is_word(char c);  // a letter, a digit or "_"
// Case-insensitive find of needle in hay from `from`, or npos.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from);

}  // namespace probewise
