// Hands a Dispatch to collectd: one value list per value, one notification
// with its meta data. The only file that calls collectd's dispatch API.
#pragma once

#include <string>

#include "report.h"

namespace probewise {

// Returns how many values collectd refused (it logs why).
int dispatch_to_collectd(const Dispatch& d);

// plugin_log with collectd's "probewise plugin: " prefix.
void log_to_collectd(LogLevel level, const std::string& text);

}  // namespace probewise
