// SPDX-License-Identifier: GPL-2.0-or-later
// The denial diagnosis: why access was refused (401, 403, 407, 429, an auth
// service failing behind a 5xx), from every signal of the answer and what
// the check knows it sent. Pure.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "credentials/credentials.h"
#include "evidence/signals.h"
#include "http/probe_result.h"

namespace probewise {

struct Diagnosis {
  std::string reason;                 // a SPEC 1.3 code
  std::string detail;                 // "the access token expired 2 days ago"
  std::string vendor;                 // WAF/CDN that blocked, if any
  std::string by;                     // who refused when it was not the target: "the proxy (Squid)"
  std::vector<std::string> hints;     // specific to this answer, most likely first
  std::vector<std::string> evidence;  // chosen signal first
  std::optional<long long> retry_in;  // throttled: seconds until a retry makes sense
  Basis basis = Basis::status;        // what it rests on (SPEC 1.3); presence/status: a likely cause
};

// Every signal of the answer: challenges, rate limits, vendors, error bodies,
// and what the check itself knows (credentials sent or not, token expiry).
Signals gather_signals(const ProbeResult& r, const SentAuth& sent, std::time_t now);

// nullopt for statuses that are not denials (and 5xx without auth evidence).
// `configured`: the credentials sent to the URL's origin; when the result
// says they were withheld at a redirect (SPEC 1.6), the final request is
// judged as the one without them that it was.
std::optional<Diagnosis> diagnose(const ProbeResult& r, const SentAuth& configured, std::time_t now);

}  // namespace probewise
