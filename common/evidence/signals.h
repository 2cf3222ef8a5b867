// SPDX-License-Identifier: GPL-2.0-or-later
// Signals: single pieces of evidence read from an answer (or from what the
// check sent), each pointing at one reason code of SPEC 1.3. Readers of
// headers and bodies produce them from data tables; diagnose() weighs them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace probewise {

enum class Strength {
  presence = 1,   // shows who is in the path, not what happened (a CDN's Server header)
  wording = 2,    // typical words of a cause ("token has expired" in a message)
  explicit_ = 3,  // an explicit code (RFC 6750 error="invalid_token", a vendor's block page, error 1020)
};

// What a diagnosis rests on (SPEC 1.3 `basis`). With presence or status the
// cause is a guess, and the words say so.
enum class Basis {
  explicit_,  // the server named the cause: a challenge error code, a body error code, a vendor block code
  wording,    // words of the body
  local,      // what the check knows itself: it sent nothing, the token's exp passed, the header is malformed
  presence,   // only markers of who is in the path
  status,     // the status code alone
  comparison,  // what several vantages saw (SPEC 1.7): one refused, another answered
};

constexpr std::string_view basis_name(Basis b) {
  switch (b) {
    case Basis::explicit_: return "explicit";
    case Basis::wording: return "wording";
    case Basis::local: return "local";
    case Basis::presence: return "presence";
    case Basis::status: return "status";
    case Basis::comparison: return "comparison";
  }
  return "status";
}

constexpr bool is_guess(Basis b) {
  return b == Basis::presence || b == Basis::status;
}

struct Signal {
  std::string reason;  // a SPEC 1.3 code, e.g. "auth.expired_credentials", "forbidden.waf"
  Strength strength = Strength::wording;
  std::string detail;     // words for the status line, e.g. "the access token expired"
  std::string evidence;   // where it was seen, e.g. "WWW-Authenticate: Bearer error=\"invalid_token\""
  std::string vendor;     // for WAF/CDN signals: "Cloudflare", "AWS WAF", ...; else ""
  bool local = false;     // what the check knows itself, not what the answer says
  std::string by{};       // who answered when it was not the target: "the proxy (Squid)"; else ""
  std::string if_sent{};  // the reason when the check sent credentials, if another ("" = reason)
  bool restates{};        // words that only restate the status ("unauthorized"): below local facts
};

constexpr Basis basis_of(const Signal& s) {
  if (s.local) return Basis::local;
  switch (s.strength) {
    case Strength::explicit_: return Basis::explicit_;
    case Strength::wording: return Basis::wording;
    case Strength::presence: return Basis::presence;
  }
  return Basis::presence;
}

using Signals = std::vector<Signal>;

}  // namespace probewise
