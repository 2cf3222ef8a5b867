// SPDX-License-Identifier: GPL-2.0-or-later
// Vantages that are Icinga 2 services (SPEC 1.7): the probewise services of
// one endpoint, one per zone or agent, read from the master's REST API
// (/v1/objects/services) and each made a VantageSeen. A result older than
// twice its check interval is stale: that vantage says nothing (UNKNOWN for
// it), never "down". Pure: the API's JSON text and the time in.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "base/expected.h"
#include "compare/vantages.h"

namespace probewise {

struct IcingaVantage {
  VantageSeen seen;
  std::string service;      // "agent-eu1!api"
  std::string checked_by;   // the endpoint that ran the last check (check_source), "" if none
  std::time_t checked = 0;  // when its last result was made (execution_end), 0 if never
  double interval_s = 0;    // its check_interval
};

// The attributes the reader needs, for the request's "attrs".
const std::vector<std::string>& icinga_service_attrs();

// Each service of the answer as a vantage, named by its vars.probewise_vantage,
// else its command_endpoint, else its host (the full "host!service" where
// those repeat). In the order of the names. The error says what is wrong
// with the answer.
Expected<std::vector<IcingaVantage>> read_icinga_services(const std::string& json_text, std::time_t now);

// An Icinga 2 filter expression that selects these "host!service" names.
std::string icinga_service_filter(const std::vector<std::string>& services);

}  // namespace probewise
