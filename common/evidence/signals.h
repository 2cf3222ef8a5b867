// SPDX-License-Identifier: GPL-2.0-or-later
// Signals: single pieces of evidence read from an answer (or from what the
// check sent), each pointing at one reason code of SPEC 1.3. Readers of
// headers and bodies produce them from data tables; diagnose() weighs them.
#pragma once

#include <string>
#include <vector>

namespace probewise {

enum class Strength {
  presence = 1,   // shows who is in the path, not what happened (a CDN's Server header)
  wording = 2,    // typical words of a cause ("token has expired" in a message)
  explicit_ = 3,  // an explicit code (RFC 6750 error="invalid_token", a vendor's block page, error 1020)
};

struct Signal {
  std::string reason;  // a SPEC 1.3 code, e.g. "auth.expired_credentials", "forbidden.waf"
  Strength strength = Strength::wording;
  std::string detail;    // words for the status line, e.g. "the access token expired"
  std::string evidence;  // where it was seen, e.g. "WWW-Authenticate: Bearer error=\"invalid_token\""
  std::string vendor;    // for WAF/CDN signals: "Cloudflare", "AWS WAF", ...; else ""
};

using Signals = std::vector<Signal>;

}  // namespace probewise
