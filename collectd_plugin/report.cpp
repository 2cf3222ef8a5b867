// SPDX-License-Identifier: GPL-2.0-or-later
#include "report.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "base/text.h"
#include "judge/reason.h"
#include "judge/state.h"
#include "memory/change.h"
#include "output/printable.h"

namespace probewise {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What the metric table reads from one check.
struct Facts {
  const ProbeResult& r;
  const Verdict& v;
  const SentAuth& sent;
  bool https;
  double now;
};

double seconds(std::int64_t us) {
  return static_cast<double>(us) / 1e6;
}

// A phase of connection set-up is measured only on a new connection: a
// reused one did no lookup and no handshake, so there is nothing to report
// (rather than a misleading 0). No answer at all: not measured (NaN).
std::optional<double> setup_phase(const Facts& f, std::int64_t us) {
  if (!f.r.has_answer()) return kNaN;
  if (f.r.new_connections == 0) return std::nullopt;
  return seconds(us);
}

std::optional<double> time_left(double now, std::optional<std::time_t> until) {
  if (!until || *until == 0) return std::nullopt;
  return std::max(0.0, static_cast<double>(*until) - now);  // types.db: timeleft is 0:U
}

struct MetricSpec {
  const char* type;
  const char* type_instance;
  // nullopt: not dispatched (no TLS, no token, a reused connection); NaN: not measured this time.
  std::optional<double> (*value)(const Facts&);
};

// SPEC 2's values, in dispatch order.
const MetricSpec kMetrics[] = {
    {"response_time", "",
     [](const Facts& f) -> std::optional<double> {
       return f.r.has_answer() ? seconds(f.r.timings.total_us) : kNaN;
     }},
    {"duration", "dns", [](const Facts& f) { return setup_phase(f, f.r.timings.dns_us); }},
    {"duration", "connect", [](const Facts& f) { return setup_phase(f, f.r.timings.connect_us); }},
    {"duration", "tls",
     [](const Facts& f) -> std::optional<double> {
       if (!f.https) return std::nullopt;
       return setup_phase(f, f.r.timings.tls_us);
     }},
    {"duration", "ttfb",
     [](const Facts& f) -> std::optional<double> {
       return f.r.has_answer() ? seconds(f.r.timings.ttfb_us) : kNaN;
     }},
    {"response_code", "",
     [](const Facts& f) -> std::optional<double> {
       return f.r.has_answer() ? static_cast<double>(f.r.status) : kNaN;
     }},
    {"bool", "up",
     [](const Facts& f) -> std::optional<double> { return f.v.state == State::ok ? 1.0 : 0.0; }},
    {"gauge", "state",
     [](const Facts& f) -> std::optional<double> { return static_cast<double>(f.v.state); }},
    {"timeleft", "tls",
     [](const Facts& f) -> std::optional<double> {
       if (!f.https || !f.r.certificate) return std::nullopt;
       return time_left(f.now, f.r.certificate->not_after);
     }},
    {"timeleft", "token", [](const Facts& f) { return time_left(f.now, f.sent.expires_at); }},
};

std::string status_word(int status) {
  return status > 0 ? std::to_string(status) : "no answer";
}

// The primary finding in words: "expired credentials: the access token
// expired 2 days ago", "connection refused: Failed to connect ...".
std::string diagnosis(const Verdict& v) {
  std::string label = reason_words(v.reason, v.basis);
  std::string message;
  for (const auto& f : v.findings)
    if (f.reason == v.reason && !f.message.empty()) {
      message = f.message;
      break;
    }
  if (message.empty()) message = v.headline;
  if (message.empty()) return label;
  if (starts_with(message, label)) return message;
  return label + ": " + message;
}

}  // namespace

Severity severity_of(State s) {
  switch (s) {
    case State::ok: return Severity::okay;
    case State::warning: return Severity::warning;
    case State::critical:
    case State::unknown: return Severity::failure;
  }
  return Severity::failure;
}

const std::vector<std::string>& value_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& m : kMetrics)
      n.push_back(std::string(m.type) + (*m.type_instance ? std::string("-") + m.type_instance : ""));
    return n;
  }();
  return names;
}

std::optional<std::size_t> value_index(std::string_view name) {
  const auto& names = value_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (iequals(names[i], name)) return i;
  return std::nullopt;
}

std::string clip_utf8(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  if (max_bytes < 3) return text.substr(0, 0);
  std::size_t cut = max_bytes - 3;
  // Step back over continuation bytes (10xxxxxx) to a character start.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

std::optional<NotificationRecord> notification_for(const EndpointReport& report) {
  // Server words reach the message and the meta data: secrets redacted,
  // one printable line each (SPEC 1.6).
  auto shown = [&report](const std::string& text) { return printable_line(redact(text, report.secrets)); };
  const Verdict& v = report.outcome.verdict;
  const ProbeResult& r = report.outcome.result;
  const std::string& name = report.endpoint.name;
  NotificationRecord n;
  n.severity = severity_of(v.state);
  const std::string now_status = status_word(r.status);
  std::string text;
  if (v.change) {
    const Change& c = *v.change;
    std::string what = v.state == State::ok
                           ? "OK again after " +
                                 format_duration(static_cast<long long>(report.finished_at) - c.since) +
                                 " of " + c.previous_reason
                           : diagnosis(v);
    text =
        name + ": " + status_word(c.previous_status) + " -> " + now_status + " (" + v.reason + "): " + what;
    n.number_meta.emplace_back("old_status", c.previous_status);
    n.text_meta.emplace_back("old_reason", c.previous_reason);
    n.text_meta.emplace_back("change", shown(c.message));
    if (report.previous)
      n.text_meta.emplace_back("old_state", std::string(state_name(report.previous->state)));
  } else if (!report.previous && v.state != State::ok) {
    text = name + ": " + now_status + " (" + v.reason + "): " + diagnosis(v);
  } else {
    return std::nullopt;
  }
  n.message = clip_utf8(shown(text), kMaxMessageBytes);
  n.number_meta.emplace_back("new_status", r.status);
  n.text_meta.emplace_back("reason", v.reason);
  n.text_meta.emplace_back("basis", std::string(basis_name(v.basis)));
  n.text_meta.emplace_back("state", std::string(state_name(v.state)));
  if (!v.hints.empty()) n.text_meta.emplace_back("hint", shown(v.hints.front()));
  n.text_meta.emplace_back("url", shown(report.endpoint.url));
  return n;
}

Dispatch describe(const EndpointReport& report) {
  Dispatch d;
  d.plugin_instance = report.endpoint.name;
  d.time = report.finished_at;
  d.interval = report.endpoint.interval_s();
  const Facts facts{report.outcome.result, report.outcome.verdict, report.outcome.sent,
                    starts_with(to_lower(report.endpoint.url), "https:"), report.finished_at};
  static_assert(std::size(kMetrics) <= 32, "EndpointConfig::values has a bit for each");
  d.values.reserve(std::size(kMetrics));
  for (std::size_t i = 0; i < std::size(kMetrics); ++i) {
    if (!(report.endpoint.values() & (std::uint32_t{1} << i))) continue;
    const MetricSpec& m = kMetrics[i];
    if (auto value = m.value(facts)) d.values.push_back({m.type, m.type_instance, *value});
  }
  d.notification = notification_for(report);
  return d;
}

}  // namespace probewise
