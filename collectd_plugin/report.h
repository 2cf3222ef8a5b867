// SPDX-License-Identifier: GPL-2.0-or-later
// What one finished check becomes in collectd (SPEC 2): values of stock
// types.db types and, when the status or the reason changed, a
// notification. Plain records, so that tests see exactly what would be
// dispatched; dispatch.h hands them to collectd.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scheduler.h"

namespace probewise {

inline constexpr const char* kPluginName = "probewise";

struct MetricValue {
  std::string type;           // a stock type: response_time, duration, ...
  std::string type_instance;  // "" or dns, connect, tls, ttfb, up, state, token
  double value = 0;           // NaN: not measured this time (no answer)
};

enum class Severity { okay, warning, failure };

struct NotificationRecord {
  Severity severity = Severity::okay;
  std::string type_instance = "state";  // of gauge-<type_instance>: "combined" for the compare mode's
  std::string message;                  // at most kMaxMessageBytes
  std::vector<std::pair<std::string, std::string>> text_meta;
  std::vector<std::pair<std::string, std::int64_t>> number_meta;
};

// collectd's NOTIF_MAX_MSG_LEN less the terminating NUL.
inline constexpr std::size_t kMaxMessageBytes = 255;

struct Dispatch {
  std::string plugin_instance;  // the endpoint's name
  double time = 0;              // seconds since the epoch
  double interval = 0;          // the endpoint's interval, seconds
  std::vector<MetricValue> values;
  std::optional<NotificationRecord> notification;
};

// The values an endpoint can have, as collectd names them ("response_time",
// "duration-dns", ..., "timeleft-token"), in dispatch order.
const std::vector<std::string>& value_names();
// Its index in value_names(), the bit of EndpointConfig::values, by name in
// any case; nullopt for a name that is none of them.
std::optional<std::size_t> value_index(std::string_view name);

// FAILURE for CRITICAL and UNKNOWN (collectd has no UNKNOWN), WARNING, OKAY.
Severity severity_of(State s);

// Only the values of report.endpoint.values.
Dispatch describe(const EndpointReport& report);

// "api: 200 -> 401 (auth.expired_credentials): expired credentials: ..."
// nullopt when nothing changed. A first probe (nothing remembered) that is
// not OK is announced too.
std::optional<NotificationRecord> notification_for(const EndpointReport& report);

// Cuts at a UTF-8 character boundary and marks the cut with "...".
std::string clip_utf8(const std::string& text, std::size_t max_bytes);

}  // namespace probewise
