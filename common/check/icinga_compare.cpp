// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/icinga_compare.h"

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "base/text.h"
#include "compare/icinga.h"
#include "memory/remember.h"

namespace probewise {
namespace {

// What the state store keeps of one vantage read from the engine.
Observation observe_seen(const VantageSeen& s) {
  Observation o;
  o.status = s.status;
  o.status_text = s.status_text;
  o.reason = s.reason;
  o.state = s.state;
  o.success = s.state == State::ok && s.status > 0;
  return o;
}

// The API's answer in words: its own "status" message when it gives one.
std::string api_failure(const ProbeResult& r) {
  if (r.transport != Transport::ok) return r.error;
  const auto doc = nlohmann::json::parse(r.body, nullptr, false);
  std::string said;
  if (doc.is_object() && doc.contains("status") && doc["status"].is_string())
    said = doc["status"].get<std::string>();
  return "HTTP " + std::to_string(r.status) + (said.empty() ? "" : ": " + said);
}

VantageResult vantage_of(const IcingaVantage& v) {
  VantageResult out;
  out.seen = v.seen;
  out.definition = "icinga2:" + v.service;
  out.result.status = v.seen.status;
  if (auto space = v.seen.status_text.find(' '); space != std::string::npos)
    out.result.reason_phrase = v.seen.status_text.substr(space + 1);
  if (v.seen.total_ms) out.result.timings.total_us = static_cast<std::int64_t>(*v.seen.total_ms * 1000.0);
  Verdict& verdict = out.verdict;
  verdict.state = v.seen.ran ? v.seen.state : State::unknown;
  verdict.reason = v.seen.reason;
  verdict.basis = v.seen.basis;
  verdict.reasons = {v.seen.reason};
  if (v.checked > 0)
    verdict.evidence.push_back("Icinga 2 service " + v.service + ", checked " + format_utc_minute(v.checked) +
                               (v.checked_by.empty() ? "" : " on " + v.checked_by));
  if (!v.seen.detail.empty()) verdict.evidence.push_back("its output: " + v.seen.detail);
  return out;
}

}  // namespace

RequestSpec icinga_services_request(const IcingaCompareJob& job) {
  RequestSpec spec = job.api;
  while (!spec.url.empty() && spec.url.back() == '/') spec.url.pop_back();
  spec.url += "/v1/objects/services";
  spec.method = "POST";
  spec.has_body = true;
  spec.content_type = "application/json";
  spec.body = nlohmann::json{{"filter", job.filter}, {"attrs", icinga_service_attrs()}}.dump();
  spec.headers.emplace_back("Accept: application/json");
  spec.headers.emplace_back("X-HTTP-Method-Override: GET");
  spec.proxy_from_env = false;
  return spec;
}

Expected<VantagesResult> compare_icinga(const IcingaCompareJob& job, const Perform& perform_fn,
                                        std::time_t now) {
  const ProbeResult answer = perform_fn(icinga_services_request(job));
  if (answer.status != 200)
    return Error{"cannot read the Icinga 2 API at " + job.api.url + ": " + api_failure(answer)};
  auto services = read_icinga_services(answer.body, now);
  if (!services) return Error{services.error()};
  if (services->empty()) return Error{"no service matches the filter " + job.filter};

  VantagesResult out;
  std::vector<VantageSeen> seen;
  for (const auto& v : *services) {
    seen.push_back(v.seen);
    out.vantages.push_back(vantage_of(v));
  }
  out.combined = combine_vantages(seen, job.rule);
  if (!job.state.enabled) return out;
  auto opened = StateStore::open(job.state.dir.empty() ? default_state_dir() : job.state.dir);
  if (!opened) {
    out.notes.push_back("change detection is off: " + opened.error());
    return out;
  }
  const std::string identity = job.state.key.empty() ? "icinga2-compare|" + std::to_string(geteuid()) + "|" +
                                                           job.api.url + "|" + job.filter
                                                     : "key|" + job.state.key;
  std::string error;
  for (std::size_t i = 0; i < services->size(); ++i) {
    const IcingaVantage& v = (*services)[i];
    if (!v.seen.ran) continue;  // nothing new from it: its last state stands
    Remembered r =
        remember(*opened, state_key(identity + "|vantage|" + v.service), observe_seen(v.seen), now);
    out.vantages[i].verdict.change = std::move(r.change);
    if (!r.load_note.empty()) out.notes.push_back("state file " + r.load_note);
    if (error.empty()) error = r.error;
  }
  Remembered r =
      remember(*opened, state_key(identity + "|vantages"), observe_combined(out.combined, ""), now);
  out.change = std::move(r.change);
  if (!r.load_note.empty()) out.notes.push_back("state file " + r.load_note);
  if (error.empty()) error = r.error;
  if (!error.empty()) out.notes.push_back("change detection is off: " + error);
  return out;
}

}  // namespace probewise
