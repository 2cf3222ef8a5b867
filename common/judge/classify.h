// SPDX-License-Identifier: GPL-2.0-or-later
// classify(): the pure judgement of a ProbeResult under a Policy. No I/O and
// no clock of its own: `now` is passed in, so recorded results give the same
// verdict every time.
#pragma once

#include <ctime>
#include <optional>

#include "credentials/credentials.h"
#include "credentials/oauth2.h"
#include "http/probe_result.h"
#include "judge/policy.h"
#include "judge/verdict.h"
#include "memory/change.h"

namespace probewise {

// Everything beyond the answer that the judgement may use.
struct Context {
  std::time_t now = 0;
  SentAuth sent;                               // what credentials went out
  std::optional<StoredState> previous;         // the last result, for change detection
  std::optional<ProbeResult> unauthenticated;  // --check-auth-enforced: the same request without credentials
  std::optional<OAuthFailure> oauth_failure;   // no token, so no request was made
  std::vector<std::string> notes;              // passed through to the verdict
};

Verdict classify(const ProbeResult& result, const Policy& policy, const Context& context);
inline Verdict classify(const ProbeResult& result, const Policy& policy, std::time_t now) {
  Context c;
  c.now = now;
  return classify(result, policy, c);
}

// What the state store keeps of this run.
Observation observe(const ProbeResult& result, const Verdict& verdict, const SentAuth& sent);

// check_curl's certificate line: "Certificate 'CN' will expire on <date>." etc.
Finding certificate_finding(const Certificate& cert, const CertificateExpectation& expect, std::time_t now,
                            long& days_left);

}  // namespace probewise
