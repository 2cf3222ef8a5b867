// SPDX-License-Identifier: GPL-2.0-or-later
// The compare mode of probewise.so (SPEC 1.7), for the central collectd of
// the fan-in recipe: the probing hosts' probewise values and notifications
// arrive through the network plugin; per endpoint, each host is a vantage,
// and the core's vantage rule (compare/vantages.h) gives the verdict of all
// of them. Each evaluation dispatches that verdict's state as a value
// (gauge-combined) and, when it changed, one notification ("api: refused
// from probe-eu1 only (403), answered from probe-us1"). A host whose values
// are older than twice their interval is stale: UNKNOWN for that vantage,
// never "down".
//
// What the values carry: the state (gauge-state), the status (response_code,
// NaN without an answer), the time (response_time). The reason code travels
// in the probing host's notification (collectd's network plugin sends no
// notification meta data): "api: 200 -> 403 (forbidden.ip): ...". Without
// one the status class gives the reason. Thread-safe: values come from
// collectd's write threads, notifications from whoever dispatches them, the
// evaluation from a read thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compare/vantages.h"
#include "report.h"

namespace probewise {

// A value list or notification as it arrived, in plain terms.
struct Received {
  std::string host;
  std::string plugin;    // only "probewise" is read
  std::string endpoint;  // plugin instance
  std::string type;
  std::string type_instance;
  double value = 0;                    // a value's (NaN: not measured)
  double time = 0;                     // seconds since the epoch, the sender's
  double received = 0;                 // when it arrived here (0: at `time`): staleness counts from it
  double interval = 0;                 // a value's interval, seconds
  Severity severity = Severity::okay;  // a notification's
  std::string message;                 // a notification's
};

// The type instance of what this mode dispatches: its own values and
// notifications are not read back as a vantage's.
inline constexpr const char* kCombinedTypeInstance = "combined";

class CompareMode {
 public:
  explicit CompareMode(CompareSettings settings);

  void on_value(const Received& v);
  void on_notification(const Received& n);

  // What to dispatch now: for each endpoint known for at least one
  // evaluation interval, its combined state as gauge-combined, and a
  // notification where the combination changed (or on the first
  // evaluation, when it is not OK).
  std::vector<Dispatch> evaluate(double now);

  const CompareSettings& settings() const { return settings_; }

 private:
  // One host's last word on one endpoint.
  struct HostSeen {
    double state = -1;   // gauge-state; -1: none yet
    double status = -1;  // response_code; NaN: no answer
    double response_time = -1;
    double time = 0;      // when the last gauge-state value arrived
    double interval = 0;  // of that value list
    std::string reason;   // from the host's last notification
    Severity reason_severity = Severity::okay;
    std::string detail;
  };
  struct Endpoint {
    double first_seen = 0;
    std::map<std::string, HostSeen> hosts;
    bool evaluated = false;
    State state = State::ok;
    std::string reason;
    std::string pattern;
  };

  bool wanted(const Received& r) const;
  VantageSeen vantage(const std::string& host, const HostSeen* seen, double now) const;

  CompareSettings settings_;
  std::mutex mutex_;
  std::map<std::string, Endpoint> endpoints_;
};

// "api: 200 -> 403 (forbidden.ip): ..." -> "forbidden.ip" and what follows;
// "" when the message names no reason code of SPEC 1.3.
std::string reason_in_message(const std::string& message, const std::string& endpoint, std::string* detail);

}  // namespace probewise
