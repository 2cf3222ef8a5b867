// SPDX-License-Identifier: GPL-2.0-or-later
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "base/text.h"
#include "output/printable.h"
#include "output/render.h"

namespace probewise {
namespace {

using json = nlohmann::json;

double ms(std::int64_t us) {
  return static_cast<double>(us) / 1000.0;
}

std::string iso8601(std::time_t t) {
  return format_utc(t, "%Y-%m-%dT%H:%M:%SZ");
}

json http_member(const ProbeResult& r) {
  if (!r.has_answer()) return nullptr;
  return {{"status", r.status},
          {"version", r.http_version},
          {"reason_phrase", r.reason_phrase},
          {"effective_url", r.effective_url},
          {"redirects", r.redirects.size()},
          {"header_bytes", r.header_bytes},
          {"body_bytes", r.body_bytes}};
}

json tls_member(const ProbeResult& r, std::time_t now) {
  if (!r.certificate || !r.certificate->not_after) return nullptr;
  const Certificate& c = *r.certificate;
  return {{"subject", c.subject},
          {"issuer", c.issuer},
          {"not_after", iso8601(c.not_after)},
          {"days_left", static_cast<long>(std::difftime(c.not_after, now) / 86400)}};
}

json change_member(const Verdict& v) {
  if (!v.change) return nullptr;
  const Change& c = *v.change;
  return {{"previous_status", c.previous_status == 0 ? json(nullptr) : json(c.previous_status)},
          {"previous_reason", c.previous_reason},
          {"since", iso8601(c.since)},
          {"message", c.message},
          {"same_credentials_as_last_success", c.same_credentials_as_success}};
}

json health_member(const Verdict& v) {
  if (!v.health) return nullptr;
  json components = json::array();
  for (const auto& c : v.health->components)
    components.push_back({{"name", c.name},
                          {"status", std::string(health_status_name(c.status))},
                          {"raw_status", c.raw_status},
                          {"output", c.output},
                          {"observed_value", c.observed_value ? json(*c.observed_value) : json(nullptr)},
                          {"observed_unit", c.observed_unit}});
  return {{"status", std::string(health_status_name(v.health->status))},
          {"raw_status", v.health->raw_status},
          {"format", std::string(health_format_name(v.health->format))},
          {"components", components}};
}

json token_member(const Verdict& v, std::time_t now) {
  if (!v.token_expires_at) return nullptr;
  return {{"expires_at", iso8601(*v.token_expires_at)},
          {"seconds_left", static_cast<long long>(std::difftime(*v.token_expires_at, now))}};
}

json timings_member(const Timings& t) {
  return {{"dns", ms(t.dns_us)},   {"connect", ms(t.connect_us)},   {"tls", ms(t.tls_us)},
          {"ttfb", ms(t.ttfb_us)}, {"transfer", ms(t.transfer_us)}, {"total", ms(t.total_us)}};
}

json connection_member(const ProbeResult& r) {
  return {
      {"local", r.local_ip.empty() ? json(nullptr) : json(r.local_ip + ":" + std::to_string(r.local_port))},
      {"peer", r.peer_ip.empty() ? json(nullptr) : json(r.peer_ip + ":" + std::to_string(r.peer_port))},
      {"new_connections", r.new_connections}};
}

// One vantage of a run from several (SPEC 1.7).
json vantage_member(const VantageResult& v) {
  const VantageSeen& s = v.seen;
  return {{"name", s.name},
          {"via", v.definition},
          {"ran", s.ran},
          {"stale", s.stale},
          {"why_not", s.ran ? json(nullptr) : json(s.why_not)},
          {"state", std::string(state_name(s.ran ? s.state : State::unknown))},
          {"reason", s.reason},
          {"basis", std::string(basis_name(s.basis))},
          {"status", s.status > 0 ? json(s.status) : json(nullptr)},
          {"summary", printable_line(status_line(v.result, v.verdict))},
          {"detail", s.detail},
          {"evidence", v.verdict.evidence},
          {"http", http_member(v.result)},
          {"timings_ms", timings_member(v.result.timings)},
          {"connection", connection_member(v.result)},
          {"change", change_member(v.verdict)}};
}

}  // namespace

std::string render_vantages_json(const VantagesResult& r, const Policy&, std::time_t now,
                                 const SecretRegistry* secrets) {
  const CombinedVerdict& c = r.combined;
  std::int64_t longest = 0;
  json vantages = json::array();
  json tls = nullptr;
  for (const auto& v : r.vantages) {
    longest = std::max(longest, v.result.timings.total_us);
    vantages.push_back(vantage_member(v));
    if (tls.is_null()) tls = tls_member(v.result, now);
  }
  Verdict token;
  token.token_expires_at = r.token_expires_at;
  json change = nullptr;
  if (r.change)
    change = {
        {"previous_status", r.change->previous_status == 0 ? json(nullptr) : json(r.change->previous_status)},
        {"previous_reason", r.change->previous_reason},
        {"previous_pattern", r.change->previous_status_text},
        {"since", iso8601(r.change->since)},
        {"message", r.change->message}};
  json j = {
      {"state", std::string(state_name(c.state))},
      {"exit_code", static_cast<int>(c.state)},
      {"reason", c.reason},
      {"reasons", c.reasons},
      {"basis", std::string(basis_name(c.basis))},
      {"summary", printable_line("HTTP " + std::string(state_name(c.state)) + ": " + c.summary)},
      {"hints", c.hints},
      {"evidence", json::array()},
      {"http", nullptr},
      {"timings_ms", {{"total", ms(longest)}}},
      {"change", change},
      {"token", token_member(token, now)},
      {"notes", r.notes},
      {"tls", tls},
      {"health", nullptr},
      {"pattern", c.pattern},
      {"vantages", vantages},
  };
  for (const auto& v : r.vantages)
    if (!v.seen.ran || v.seen.state != State::ok)
      for (const auto& e : v.verdict.evidence) j["evidence"].push_back(v.seen.name + ": " + e);
  return redact(j.dump(-1, ' ', false, json::error_handler_t::replace), secrets) + "\n";
}

std::string render_json(const ProbeResult& r, const Verdict& v, const Policy&, std::time_t now,
                        const SecretRegistry* secrets) {
  const Timings& t = r.timings;
  json j = {
      {"state", std::string(state_name(v.state))},
      {"exit_code", static_cast<int>(v.state)},
      {"reason", v.reason},
      {"reasons", v.reasons},
      {"basis", std::string(basis_name(v.basis))},
      {"summary", printable_line(status_line(r, v))},
      {"hints", v.hints},
      {"evidence", v.evidence},
      {"http", http_member(r)},
      {"timings_ms",
       {{"dns", ms(t.dns_us)},
        {"connect", ms(t.connect_us)},
        {"tls", ms(t.tls_us)},
        {"ttfb", ms(t.ttfb_us)},
        {"transfer", ms(t.transfer_us)},
        {"total", ms(t.total_us)}}},
      {"connection",
       {{"local", r.local_ip.empty() ? json(nullptr) : json(r.local_ip + ":" + std::to_string(r.local_port))},
        {"peer", r.peer_ip.empty() ? json(nullptr) : json(r.peer_ip + ":" + std::to_string(r.peer_port))},
        {"new_connections", r.new_connections}}},
      {"change", change_member(v)},
      {"token", token_member(v, now)},
      {"notes", v.notes},
      {"tls", tls_member(r, now)},
      {"health", health_member(v)},
  };
  if (r.transport != Transport::ok) j["error"] = {{"curl_code", r.curl_code}, {"message", r.error}};
  // Replace invalid UTF-8 from hostile servers instead of throwing.
  const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return redact(text, secrets) + "\n";
}

}  // namespace probewise
