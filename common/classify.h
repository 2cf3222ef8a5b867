// classify(): the pure judgement of a ProbeResult under a Policy. No I/O and
// no clock of its own: `now` is passed in, so recorded results give the same
// verdict every time.
#pragma once

#include <ctime>

#include "policy.h"
#include "probe_result.h"
#include "verdict.h"

namespace probewise {

Verdict classify(const ProbeResult& result, const Policy& policy, std::time_t now);

// check_curl's certificate line: "Certificate 'CN' will expire on <date>." etc.
Finding certificate_finding(const Certificate& cert, const CertificateExpectation& expect, std::time_t now,
                            long& days_left);

}  // namespace probewise
