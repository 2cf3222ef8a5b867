// SPDX-License-Identifier: GPL-2.0-or-later
// Nagios performance data: 'label'=value[UOM];[warn];[crit];[min];[max],
// formatted as monitoring-plugins' perfdata()/fperfdata() do.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "evidence/health.h"
#include "http/probe_result.h"
#include "judge/policy.h"

namespace probewise {

struct PerfValue {
  std::string label;
  double value = 0;
  std::string uom;
  std::optional<double> warn, crit, min, max;
  bool integer = false;  // printed as %ld instead of %.6f
};

std::string format_perfdata(const PerfValue& v);
std::string format_perfdata(const std::vector<PerfValue>& values);  // space separated

// check_curl's labels: time and size, and with `extended` (-E) time_connect,
// time_ssl (TLS only), time_headers, time_firstbyte and time_transfer.
std::vector<PerfValue> check_perfdata(const ProbeResult& r, const Policy& p, bool extended);

// Numeric observed values of a health document's components, labelled by
// component name; units Nagios knows (s, ms, us, %, B, KB, MB, GB, TB, c) are kept.
std::vector<PerfValue> health_perfdata(const HealthReport& report);

}  // namespace probewise
