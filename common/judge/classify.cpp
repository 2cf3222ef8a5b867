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
#include "judge/reason.h"

namespace probewise {
namespace {

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

// check_curl's default verdict by status class, when no expectation applies.
struct StatusClass {
  int low, high;
  std::string_view reason;
  State state;
  bool redirect;  // the state comes from -f instead
};
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

std::string format(const char* fmt, double a, double b = 0, double c = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}

class Judge {
 public:
  Judge(const ProbeResult& r, const Policy& p, const Context& c) : r_(r), p_(p), c_(c), now_(c.now) {}

  Verdict run() {
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

 private:
  void add(std::string_view reason, State state, std::string message, Basis basis = Basis::local) {
    v_.findings.push_back({std::string(reason), state, std::move(message), basis});
  }

  void oauth_failed() {
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
  void status_finding(State state, std::string_view fallback_reason, std::string fallback_message = "") {
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

  void transport() {
    State state = r_.transport == Transport::timeout ? p_.timeout_state : State::critical;
    v_.shape = Shape::transport;
    // libcurl's own redirect limit (-f curl) fails the transfer, as in check_curl.
    std::string_view reason = r_.redirect_problem == RedirectProblem::none
                                  ? transport_reason(r_.transport)
                                  : std::string_view("http.redirect");
    add(reason, state, r_.error);
    v_.headline = "Invalid HTTP response received from host on port " + std::to_string(r_.port) +
                  ": cURL returned " + std::to_string(r_.curl_code) + " - " + r_.error;
  }

  void redirect_problem() {
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

  bool certificate_checked(Finding& f) {
    if (!r_.certificate) {
      f = {"tls.handshake", State::critical, "Cannot retrieve server certificate."};
      return false;
    }
    long days = 0;
    f = certificate_finding(*r_.certificate, *p_.certificate, now_, days);
    v_.tls_days_left = days;
    return true;
  }

  void certificate_only() {
    v_.shape = Shape::certificate;
    Finding f;
    certificate_checked(f);
    v_.headline = f.message;
    v_.findings.push_back(std::move(f));
  }

  void certificate_too() {
    Finding f;
    certificate_checked(f);
    if (f.state != State::ok) v_.findings.push_back(std::move(f));
  }

  // Returns false when the status alone decides (check_curl stops there).
  bool status() {
    const int code = r_.status;
    diagnosis_ = diagnose(r_, c_.sent, now_);
    if (!p_.expect_status_line.empty()) {
      for (const auto& want : p_.expect_status_line) {
        if (r_.status_line.find(want) != std::string::npos) {
          std::string list;
          for (const auto& w : p_.expect_status_line) list += (list.empty() ? "" : ",") + w;
          add("ok", State::ok, "Status line output matched \"" + list + "\"");
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
    if (health_read() &&
        (v_.health->status == HealthStatus::warn || v_.health->status == HealthStatus::fail) &&
        (code < 300 || code >= 500))
      return true;
    if (state != State::ok || c->reason != "ok") {
      status_finding(state, c->reason);
    } else if (diagnosis_) {  // a 2xx whose body says the request was refused
      status_finding(State::warning, "ok");
    }
    return true;
  }

  // --health: read the document once; true when it was read.
  bool health_read() {
    if (!p_.health || !r_.has_answer()) return false;
    if (!health_tried_) {
      health_tried_ = true;
      auto report = parse_health(*p_.health, r_.headers, r_.body);
      if (report) {
        v_.health = *report;
      } else {
        health_error_ = report.error();
      }
    }
    return v_.health.has_value();
  }

  void health() {
    if (!p_.health) return;
    if (!health_read()) {
      if (health_error_.empty()) return;
      // A down service's error page is no health document: its 5xx speaks
      // (SPEC 1.2.1), the check never turns it into UNKNOWN.
      if (r_.status >= 500)
        v_.notes.push_back("the answer is not a health document: " + health_error_);
      else
        add("content.mismatch", State::unknown, "not a health document: " + health_error_);
      return;
    }
    const HealthReport& h = *v_.health;
    if (h.status == HealthStatus::pass) return;
    std::string names;
    int listed = 0;
    for (const auto& c : h.components) {
      if (c.status != HealthStatus::warn && c.status != HealthStatus::fail) continue;
      if (++listed > 5) {
        names += ", ...";
        break;
      }
      names += (names.empty() ? "" : ", ") + c.name +
               (c.output.empty() ? "" : " (" + c.output.substr(0, 80) + ")");
    }
    if (names.empty() && !h.output.empty()) names = h.output.substr(0, 120);
    switch (h.status) {
      case HealthStatus::warn:
        add("health.degraded", State::warning, "health degraded" + (names.empty() ? "" : ": " + names),
            Basis::explicit_);
        break;
      case HealthStatus::fail:
        add("health.failing", State::critical, "health failing" + (names.empty() ? "" : ": " + names),
            Basis::explicit_);
        break;
      // The document does not say (Spring UNKNOWN, a custom code): the HTTP
      // verdict stands and the long output shows the document.
      case HealthStatus::unknown:
      case HealthStatus::pass: break;
    }
  }

  void auth_enforced() {
    if (!c_.unauthenticated) return;
    const ProbeResult& u = *c_.unauthenticated;
    if (!u.has_answer()) {
      v_.notes.push_back("--check-auth-enforced: the request without credentials failed: " + u.error);
      return;
    }
    v_.evidence.push_back("without credentials: " + u.status_line);
    if (u.status == 401 || u.status == 403) return;
    add("auth.not_enforced", State::critical,
        "authentication not enforced: the endpoint answered " + std::to_string(u.status) + " " +
            u.reason_phrase + " without credentials");
  }

  void token_expiry() {
    const TokenExpiry& t = p_.token_expiry;
    if (!t.enabled || !c_.sent.expires_at) return;
    const double left_days = std::difftime(*c_.sent.expires_at, now_) / 86400.0;
    // A token whose whole life is shorter than the warning window is meant
    // to be short-lived (and renewed): no nagging.
    if (c_.sent.issued_at && std::difftime(*c_.sent.expires_at, *c_.sent.issued_at) / 86400.0 < t.warn_days)
      return;
    if (left_days <= 0 || left_days > t.warn_days) return;  // expired: the diagnosis speaks of it
    State s = left_days <= t.crit_days ? State::critical : State::warning;
    add("token.expiring", s,
        "token expiring: the monitor's " + c_.sent.kind + " expires in " +
            format_duration(static_cast<long long>(left_days * 86400)));
  }

  void dates() {
    if (!p_.max_age_seconds) return;
    auto server = r_.headers.get("Date");
    auto document = r_.headers.get("Last-Modified");
    if (!server || server->empty()) {
      add("content.mismatch", State::unknown, "Server date unknown");
      return;
    }
    if (!document || document->empty()) {
      add("content.mismatch", State::critical, "Document modification date unknown");
      return;
    }
    auto srv = parse_http_date(*server);
    auto doc = parse_http_date(*document);
    if (!srv) {
      add("content.mismatch", State::critical, "Server date \"" + std::string(*server) + "\" unparsable");
    } else if (!doc) {
      add("content.mismatch", State::critical, "Document date \"" + std::string(*document) + "\" unparsable");
    } else if (*doc > *srv + 30) {
      add("content.mismatch", State::critical,
          "Document is " + std::to_string(*doc - *srv) + " seconds in the future");
    } else if (*doc < *srv - *p_.max_age_seconds) {
      long long n = *srv - *doc;
      add("content.mismatch", State::critical,
          n > 2 * 86400 ? format("Last modified %.1f days ago", n / 86400.0)
                        : format("Last modified %.0f:%02.0f:%02.0f ago", std::floor(n / 3600.0),
                                 static_cast<double>((n / 60) % 60), static_cast<double>(n % 60)));
    }
  }

  void header_string() {
    if (p_.header_string.empty() || r_.header_block.find(p_.header_string) != std::string::npos) return;
    add("content.mismatch", State::critical,
        "header '" + shown_search(p_.header_string) + "' not found on '" + p_.display_url + "'");
  }

  void body_string() {
    if (p_.body_string.empty() || r_.body.find(p_.body_string) != std::string::npos) return;
    add("content.mismatch", State::critical,
        "string '" + shown_search(p_.body_string) + "' not found on '" + p_.display_url + "'");
  }

  void regex() {
    if (!p_.regex) return;
    const RegexExpectation& x = *p_.regex;
    regex_t re;
    int flags = REG_EXTENDED | REG_NOSUB | (x.icase ? REG_ICASE : 0) | (x.linespan ? 0 : REG_NEWLINE);
    if (regcomp(&re, x.pattern.c_str(), flags) != 0) {
      add("content.mismatch", State::unknown, "Could not compile regular expression");
      return;
    }
    bool found = regexec(&re, r_.body.c_str(), 0, nullptr, 0) == 0;
    regfree(&re);
    if (found == !x.invert) return;
    add("content.mismatch", x.state, x.invert ? "pattern found" : "pattern not found");
  }

  void page_size() {
    long long size = static_cast<long long>(r_.header_bytes + r_.body_bytes);
    if (p_.max_size && size > *p_.max_size)
      add("content.mismatch", State::warning, "page size " + std::to_string(size) + " too large");
    else if (p_.min_size && size < *p_.min_size)
      add("content.mismatch", State::warning, "page size " + std::to_string(size) + " too small");
  }

  void response_time() {
    State s = p_.time.evaluate(static_cast<double>(r_.timings.total_us) / 1e6);
    if (s != State::ok) add("slow", s, "");
  }

  void finish() {
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
  void detect() {
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

  void gather_evidence() {
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

  const ProbeResult& r_;
  const Policy& p_;
  const Context& c_;
  std::time_t now_;
  Verdict v_;
  std::optional<Diagnosis> diagnosis_;
  bool health_tried_ = false;
  std::string health_error_;
};

}  // namespace

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
