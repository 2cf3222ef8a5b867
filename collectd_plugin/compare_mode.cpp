// SPDX-License-Identifier: GPL-2.0-or-later
#include "compare_mode.h"

#include <algorithm>
#include <cmath>

#include "base/text.h"
#include "judge/reason.h"
#include "memory/change.h"

namespace probewise {
namespace {

// The reason a status class gives when no notification named one.
std::string class_reason(double status, State state) {
  if (state == State::ok) return "ok";
  if (std::isnan(status) || status <= 0) return "net.error";
  const int s = static_cast<int>(status);
  if (s == 403 || s == 451) return "forbidden.unspecified";
  if (s == 429) return "throttled";
  if (s == 401) return "auth.invalid_credentials";
  if (s >= 500) return "http.server_error";
  if (s >= 400) return "http.client_error";
  if (s >= 300) return "http.redirect";
  return "http.unexpected_status";
}

bool listed(const std::vector<std::string>& list, const std::string& name) {
  return list.empty() || std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

std::string reason_in_message(const std::string& message, const std::string& endpoint, std::string* detail) {
  std::string_view text(message);
  if (!starts_with(text, endpoint + ": ")) return "";
  text.remove_prefix(endpoint.size() + 2);
  const auto open = text.find(" (");
  const auto close = text.find("):", open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return "";
  std::string code(text.substr(open + 2, close - open - 2));
  if (!find_reason(code)) return "";
  if (detail) *detail = std::string(trim(text.substr(close + 2)));
  return code;
}

CompareMode::CompareMode(CompareSettings settings) : settings_(std::move(settings)) {}

bool CompareMode::wanted(const Received& r) const {
  return r.plugin == kPluginName && !r.endpoint.empty() && r.type_instance != kCombinedTypeInstance &&
         listed(settings_.endpoints, r.endpoint) && listed(settings_.hosts, r.host);
}

void CompareMode::on_value(const Received& v) {
  if (!wanted(v)) return;
  const bool state = v.type == "gauge" && v.type_instance == "state";
  const bool status = v.type == "response_code";
  const bool time = v.type == "response_time";
  if (!state && !status && !time) return;
  std::lock_guard<std::mutex> lock(mutex_);
  Endpoint& e = endpoints_[v.endpoint];
  if (e.first_seen == 0) e.first_seen = v.received > 0 ? v.received : v.time;
  HostSeen& h = e.hosts[v.host];
  if (state) {
    h.state = v.value;
    // Heard from: the arrival, not the sender's clock (skew, batching, the network's delay).
    h.time = std::max(h.time, v.received > 0 ? v.received : v.time);
    h.interval = v.interval;
  } else if (status) {
    h.status = v.value;
  } else {
    h.response_time = v.value;
  }
}

void CompareMode::on_notification(const Received& n) {
  if (!wanted(n)) return;
  std::string detail;
  const std::string reason = reason_in_message(n.message, n.endpoint, &detail);
  if (reason.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  Endpoint& e = endpoints_[n.endpoint];
  // A notification may come before the values.
  if (e.first_seen == 0) e.first_seen = n.received > 0 ? n.received : n.time;
  HostSeen& h = e.hosts[n.host];
  h.reason = reason;
  h.reason_severity = n.severity;
  h.detail = detail;
}

VantageSeen CompareMode::vantage(const std::string& host, const HostSeen* seen, double now) const {
  VantageSeen v;
  v.name = host;
  v.via = "collectd host " + host;
  if (!seen || seen->state < 0) {
    v.ran = false;
    v.state = State::unknown;
    v.why_not = "no values from it yet";
    return v;
  }
  const auto state = static_cast<int>(seen->state);
  v.state = state >= 0 && state <= 3 ? static_cast<State>(state) : State::unknown;
  v.status = std::isnan(seen->status) || seen->status < 0 ? 0 : static_cast<int>(seen->status);
  if (v.status > 0) v.status_text = std::to_string(v.status);
  if (seen->response_time >= 0 && !std::isnan(seen->response_time)) v.total_ms = seen->response_time * 1000.0;
  // The host's own reason, while its notification still says this state.
  if (!seen->reason.empty() && seen->reason_severity == severity_of(v.state)) {
    v.reason = seen->reason;
    v.basis = Basis::wording;
    v.detail = seen->detail;
  } else {
    v.reason = class_reason(seen->status, v.state);
    v.basis = Basis::status;
  }
  const double interval = seen->interval > 0 ? seen->interval : settings_.interval_s;
  const double age = now - seen->time;
  if (age > 2 * interval) {
    v.ran = false;
    v.stale = true;
    v.why_not = "its last values are " + format_duration(static_cast<long long>(age)) +
                " old, more than twice its interval of " + format_duration(std::llround(interval));
  }
  return v;
}

std::vector<Dispatch> CompareMode::evaluate(double now) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Dispatch> out;
  for (auto& [name, e] : endpoints_) {
    // Each host gets one interval to report before the first verdict.
    if (!e.evaluated && now - e.first_seen < settings_.interval_s) continue;
    std::vector<VantageSeen> seen;
    for (const auto& host : settings_.hosts) {
      auto it = e.hosts.find(host);
      seen.push_back(vantage(host, it == e.hosts.end() ? nullptr : &it->second, now));
    }
    if (settings_.hosts.empty())
      for (const auto& [host, h] : e.hosts) seen.push_back(vantage(host, &h, now));
    const CombinedVerdict c = combine_vantages(seen, settings_.rule);
    Dispatch d;
    d.plugin_instance = name;
    d.time = now;
    d.interval = settings_.interval_s;
    d.values.push_back({"gauge", kCombinedTypeInstance, static_cast<double>(c.state)});
    const bool changed = e.evaluated ? c.state != e.state || c.reason != e.reason || c.pattern != e.pattern
                                     : c.state != State::ok;
    if (changed) {
      NotificationRecord n;
      n.severity = severity_of(c.state);
      n.type_instance = kCombinedTypeInstance;
      n.message = clip_utf8(name + ": " + c.summary, kMaxMessageBytes);
      n.text_meta.emplace_back("reason", c.reason);
      n.text_meta.emplace_back("basis", std::string(basis_name(c.basis)));
      n.text_meta.emplace_back("state", std::string(state_name(c.state)));
      n.text_meta.emplace_back("pattern", c.pattern);
      if (e.evaluated) {
        n.text_meta.emplace_back("old_state", std::string(state_name(e.state)));
        n.text_meta.emplace_back("old_pattern", e.pattern);
      }
      if (!c.hints.empty()) n.text_meta.emplace_back("hint", c.hints.front());
      d.notification = std::move(n);
    }
    e.evaluated = true;
    e.state = c.state;
    e.reason = c.reason;
    e.pattern = c.pattern;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace probewise
