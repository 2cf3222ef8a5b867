// SPDX-License-Identifier: GPL-2.0-or-later
// The compare check on an Icinga 2 master (check_probewise_compare, SPEC
// 1.7): the probewise services of one endpoint, one per zone or agent, read
// from the master's REST API in one request, each made a vantage
// (compare/icinga.h), combined by the vantage rule (compare/vantages.h), and
// the combination and each vantage remembered for change detection.
#pragma once

#include <ctime>
#include <string>

#include "base/expected.h"
#include "check/check_run.h"
#include "compare/vantage_result.h"

namespace probewise {

struct IcingaCompareJob {
  // The API: url "https://NODE:5665" (no path), basic_auth "user:password",
  // ca_file, connect_host, timeout_ms; the request itself is made here.
  RequestSpec api;
  std::string filter;  // an Icinga 2 filter expression over the services
  VantageRule rule;
  StateOptions state;
};

// The one request: POST /v1/objects/services with X-HTTP-Method-Override:
// GET, the filter and the attributes the reader needs.
RequestSpec icinga_services_request(const IcingaCompareJob& job);

// The error when the API cannot be read (the compare check is then UNKNOWN):
// what failed, with the API's own words.
Expected<VantagesResult> compare_icinga(const IcingaCompareJob& job, const Perform& perform_fn,
                                        std::time_t now);

}  // namespace probewise
