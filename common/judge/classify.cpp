// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/classify.h"

#include <regex.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "base/text.h"
#include "http/http_date.h"
#include "judge/diagnose.h"
#include "judge/judge.h"
#include "judge/reason.h"

namespace probewise {
namespace judge_detail {

std::string_view transport_reason(Transport t) {
  switch (t) {
    case Transport::ok: return "ok";
    case Transport::dns: return "net.dns";
    case Transport::refused: return "net.refused";
    case Transport::timeout: return "net.timeout";
    case Transport::unreachable: return "net.unreachable";
    case Transport::tls_handshake: return "tls.handshake";
    case Transport::tls_untrusted: return "tls.untrusted";
    case Transport::error: return "net.error";
  }
  return "net.error";
}

constexpr std::array<StatusClass, 4> kStatusClasses{{
    {100, 299, "ok", State::ok, false},
    {300, 399, "http.redirect", State::ok, true},
    {400, 499, "http.client_error", State::warning, false},
    {500, 599, "http.server_error", State::critical, false},
}};

const StatusClass* status_class(int status) {
  for (const auto& c : kStatusClasses)
    if (status >= c.low && status <= c.high) return &c;
  return nullptr;
}

std::string_view class_reason(int status) {
  const StatusClass* c = status_class(status);
  return c && c->reason != "ok" ? c->reason : "http.unexpected_status";
}

// check_curl shows search strings of 30 characters or more cut to 26 and "...".
std::string shown_search(const std::string& s) {
  return s.size() >= 30 ? s.substr(0, 26) + "..." : s;
}

// check_curl's "%c %z" in the C locale, in GMT: "Thu Nov 28 21:02:11 2030 +0000"
std::string gmt_stamp(std::time_t t) {
  return format_utc(t, "%a %b %e %H:%M:%S %Y +0000");
}

void add_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

std::string format(const char* fmt, double a, double b, double c) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}

Verdict Judge::run() {
  v_.notes = c_.notes;
  if (c_.oauth_failure) {
    oauth_failed();
  } else if (r_.transport != Transport::ok) {
    transport();
  } else if (r_.redirect_problem != RedirectProblem::none) {
    redirect_problem();
  } else if (p_.certificate && !p_.certificate->continue_after) {
    certificate_only();
  } else {
    if (status()) {
      if (p_.certificate) certificate_too();
      health();
      dates();
      header_string();
      body_string();
      regex();
      page_size();
      response_time();
      auth_enforced();
      token_expiry();
    }
  }
  finish();
  return std::move(v_);
}

void Judge::add(std::string_view reason, State state, std::string message, Basis basis) {
  v_.findings.push_back({std::string(reason), state, std::move(message), basis});
}

void Judge::finish() {
  for (const auto& f : v_.findings) {
    if (f.reason == "ok") continue;
    bool seen = false;
    for (const auto& r : v_.reasons) seen = seen || r == f.reason;
    if (!seen) v_.reasons.push_back(f.reason);
    State before = v_.state;
    v_.state = worst(v_.state, f.state);
    if (v_.state != before || (v_.reason == "ok" && f.state == v_.state)) {
      v_.reason = f.reason;
      v_.basis = f.basis;
    }
  }
  if (v_.state == State::ok) {
    v_.reason = "ok";
    v_.basis = v_.health ? Basis::explicit_ : Basis::status;
  }
  if (v_.reasons.empty()) v_.reasons.push_back(v_.reason);
  // Primary reason first.
  for (std::size_t i = 0; i < v_.reasons.size(); ++i)
    if (v_.reasons[i] == v_.reason && i > 0) std::swap(v_.reasons[0], v_.reasons[i]);
  v_.token_expires_at = c_.sent.expires_at;
  detect();
  if (diagnosis_) {
    for (const auto& h : diagnosis_->hints) add_unique(v_.hints, h);
    for (const auto& e : diagnosis_->evidence) add_unique(v_.evidence, e);
  }
  if (const ReasonInfo* info = find_reason(v_.reason))
    for (auto h : info->hints) add_unique(v_.hints, std::string(h));
  gather_evidence();
}

// Change detection: the change goes on the status line; a flip from
// success to a denial with the very credentials that worked is a hint of
// its own.
void Judge::detect() {
  if (!c_.previous) return;
  v_.change = detect_change(c_.previous, observe(r_, v_, c_.sent), now_);
  if (!v_.change) return;
  v_.findings.push_back({"ok", State::ok, v_.change->message});
  const bool denied = r_.status == 401 || r_.status == 403;
  const bool expired = c_.sent.expires_at && *c_.sent.expires_at <= now_;
  if (denied && v_.change->previous_reason == "ok" && v_.change->same_credentials_as_success && !expired)
    v_.hints.push_back("The same credentials worked " + format_utc_minute(v_.change->last_success) +
                       " and have not expired: suspect a revoked or rotated key, a changed permission, "
                       "or a failing authentication service.");
}

void Judge::gather_evidence() {
  auto& e = v_.evidence;
  if (!r_.peer_ip.empty())
    e.push_back("connected to " + r_.peer_ip + ":" + std::to_string(r_.peer_port) + " from " + r_.local_ip +
                ":" + std::to_string(r_.local_port));
  if (r_.transport != Transport::ok)
    e.push_back("libcurl error " + std::to_string(r_.curl_code) + ": " + r_.error);
  if (!r_.status_line.empty()) e.push_back("status line: " + r_.status_line);
  if (!r_.redirects.empty())
    e.push_back("redirects followed: " + std::to_string(r_.redirects.size()) + ", ending at " +
                r_.effective_url);
  if (r_.certificate && r_.certificate->not_after)
    e.push_back("certificate '" + r_.certificate->common_name + "' issued by '" + r_.certificate->issuer +
                "' expires " + gmt_stamp(r_.certificate->not_after));
}

}  // namespace judge_detail

using judge_detail::gmt_stamp;
using judge_detail::Judge;

Finding certificate_finding(const Certificate& cert, const CertificateExpectation& expect, std::time_t now,
                            long& days_left) {
  const std::string cn = cert.common_name.empty() ? "Unknown CN" : cert.common_name;
  const std::string stamp = gmt_stamp(cert.not_after);
  const double time_left = std::difftime(cert.not_after, now);
  const long days = static_cast<long>(time_left / 86400);
  days_left = days;
  auto level = [&](long d) { return d > expect.crit_days ? State::warning : State::critical; };
  if (days > 0 && days <= expect.warn_days) {
    State s = level(days);
    return {"tls.expiring", s,
            "Certificate '" + cn + "' expires in " + std::to_string(days) + " day(s) (" + stamp + ")."};
  }
  if (days == 0 && time_left > 0) {
    State s = level(0);
    bool hours = time_left >= 3600;
    long left = static_cast<long>(hours ? time_left / 3600 : time_left / 60);
    return {"tls.expiring", s,
            "Certificate '" + cn + "' expires in " + std::to_string(left) + (hours ? " hours" : " minutes") +
                " (" + stamp + ")"};
  }
  if (time_left <= 0)
    return {"tls.expired", State::critical, "Certificate '" + cn + "' expired on " + stamp + "."};
  return {"ok", State::ok, "Certificate '" + cn + "' will expire on " + stamp + "."};
}

Verdict classify(const ProbeResult& result, const Policy& policy, const Context& context) {
  return Judge(result, policy, context).run();
}

Observation observe(const ProbeResult& r, const Verdict& v, const SentAuth& sent) {
  Observation o;
  o.status = r.status;
  o.status_text =
      r.has_answer() ? std::to_string(r.status) + (r.reason_phrase.empty() ? "" : " " + r.reason_phrase) : "";
  o.reason = v.reason;
  o.state = v.state;
  o.credentials = sent.fingerprint;
  o.success = r.has_answer() && v.state == State::ok;
  return o;
}

}  // namespace probewise
