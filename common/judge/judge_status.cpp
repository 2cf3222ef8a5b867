// SPDX-License-Identifier: GPL-2.0-or-later
// What failed before an answer arrived, and the judgement by status class.
#include "judge/reason.h"

#include "judge/judge.h"

namespace probewise::judge_detail {

void Judge::oauth_failed() {
  const OAuthFailure& f = *c_.oauth_failure;
  State state = f.reason == "auth.service_unavailable" ? State::critical : State::warning;
  v_.shape = Shape::auth_failure;
  const ReasonInfo* info = find_reason(f.reason);
  // The token endpoint's own error code names the cause; a failing endpoint is what the check saw.
  add(f.reason, state, (info ? std::string(info->label) + ": " : "") + f.detail,
      f.reason == "auth.service_unavailable" ? Basis::local : Basis::explicit_);
  v_.headline = v_.findings.back().message;
  for (const auto& e : f.evidence) v_.evidence.push_back(e);
}

// The diagnosis of a denial, as a finding with the state the status gave.
void Judge::status_finding(State state, std::string_view fallback_reason, std::string fallback_message) {
  if (diagnosis_) {
    const Diagnosis& d = *diagnosis_;
    std::string words = reason_words(d.reason, d.basis);
    if (!d.detail.empty()) words += ": " + d.detail;
    // Nothing in the answer to explain it: the status line stays check_curl's.
    if (is_guess(d.basis) && d.detail.empty()) words = fallback_message;
    if (d.reason == "auth.service_unavailable") state = worst(state, State::critical);
    add(d.reason, state, words, d.basis);
  } else {
    add(fallback_reason, state, std::move(fallback_message), Basis::status);
  }
}

void Judge::transport() {
  State state = r_.transport == Transport::timeout ? p_.timeout_state : State::critical;
  v_.shape = Shape::transport;
  // libcurl's own redirect limit (-f curl) fails the transfer, as in check_curl.
  std::string_view reason = r_.redirect_problem == RedirectProblem::none ? transport_reason(r_.transport)
                                                                         : std::string_view("http.redirect");
  add(reason, state, r_.error);
  v_.headline = "Invalid HTTP response received from host on port " + std::to_string(r_.port) +
                ": cURL returned " + std::to_string(r_.curl_code) + " - " + r_.error;
}

void Judge::redirect_problem() {
  v_.shape = Shape::redirect_abort;
  std::string where = r_.redirects.empty() ? r_.effective_url : r_.redirects.back();
  if (r_.redirect_problem == RedirectProblem::loop) {
    add("http.redirect", State::critical, "redirection creates an infinite loop");
    v_.headline = "redirection creates an infinite loop - " + where;
  } else {
    add("http.redirect", State::warning, "maximum redirection depth exceeded");
    v_.headline =
        "maximum redirection depth " + std::to_string(r_.redirects.size() - 1) + " exceeded - " + where;
  }
}

bool Judge::certificate_checked(Finding& f) {
  if (!r_.certificate) {
    f = {"tls.handshake", State::critical, "Cannot retrieve server certificate."};
    return false;
  }
  long days = 0;
  f = certificate_finding(*r_.certificate, *p_.certificate, now_, days);
  v_.tls_days_left = days;
  return true;
}

void Judge::certificate_only() {
  v_.shape = Shape::certificate;
  Finding f;
  certificate_checked(f);
  v_.headline = f.message;
  v_.findings.push_back(std::move(f));
}

void Judge::certificate_too() {
  Finding f;
  certificate_checked(f);
  if (f.state != State::ok) v_.findings.push_back(std::move(f));
}

// Returns false when the status alone decides (check_curl stops there).
bool Judge::status() {
  const int code = r_.status;
  diagnosis_ = diagnose(r_, c_.sent, now_);
  if (!p_.expect_status_line.empty()) {
    for (const auto& want : p_.expect_status_line) {
      if (r_.status_line.find(want) != std::string::npos) {
        std::string list;
        for (const auto& w : p_.expect_status_line) list += (list.empty() ? "" : ",") + w;
        add("ok", State::ok, "Status line output matched \"" + list + "\"");
        v_.status_line_matched = true;
        return true;
      }
    }
    v_.shape = Shape::status_mismatch;
    status_finding(State::critical, "http.unexpected_status");
    v_.headline = "Invalid HTTP response received from host" +
                  (r_.port == 80 ? std::string() : " on port " + std::to_string(r_.port)) + ": " +
                  r_.status_line;
    return false;
  }
  if (const StatusRule* rule = p_.status_states.find(code)) {
    if (rule->state != State::ok) status_finding(rule->state, class_reason(code));
    return true;
  }
  if (p_.expect_status) {
    if (!p_.expect_status->contains(code))
      status_finding(State::critical, "http.unexpected_status",
                     "status " + std::to_string(code) + " is not in " + p_.expect_status->text);
    return true;
  }
  const StatusClass* c = status_class(code);
  if (!c) {
    add("http.unexpected_status", State::critical, "Invalid Status " + std::to_string(code), Basis::status);
    return true;
  }
  State state = c->redirect ? p_.redirect_state : c->state;
  // A health document speaks for itself: a DOWN service answering 503 is
  // health.failing, not a bare server error.
  if (health_read() && (v_.health->status == HealthStatus::warn || v_.health->status == HealthStatus::fail) &&
      (code < 300 || code >= 500))
    return true;
  if (state != State::ok || c->reason != "ok") {
    status_finding(state, c->reason);
  } else if (diagnosis_) {  // a 2xx whose body says the request was refused
    status_finding(State::warning, "ok");
  }
  return true;
}

}  // namespace probewise::judge_detail
