// SPDX-License-Identifier: GPL-2.0-or-later
// The expectations beyond the status: the health document, dates, strings,
// regex, page size, and --check-auth-enforced.
#include <regex.h>

#include <cmath>

#include "base/text.h"
#include "http/http_date.h"

#include "judge/judge.h"

namespace probewise::judge_detail {

// --health: read the document once; true when it was read.
bool Judge::health_read() {
  if (!p_.health || !r_.has_answer()) return false;
  if (!health_tried_) {
    health_tried_ = true;
    // A ping endpoint that answers 204 No Content (InfluxDB's /ping) says it
    // is alive by the status alone; an empty 200 stays "no health document".
    if (*p_.health == HealthFormat::auto_detect && r_.status == 204 && trim(r_.body).empty()) {
      HealthReport alive;
      alive.format = HealthFormat::text;
      alive.status = HealthStatus::pass;
      alive.raw_status = "HTTP " + std::to_string(r_.status) + " with no body";
      v_.health = alive;
      return true;
    }
    auto report = parse_health(*p_.health, r_.headers, r_.body);
    if (report) {
      v_.health = *report;
    } else {
      health_error_ = report.error();
    }
  }
  return v_.health.has_value();
}

void Judge::health() {
  if (!p_.health) return;
  if (!health_read()) {
    if (health_error_.empty()) return;
    // A down service's error page is no health document: its 5xx speaks
    // (SPEC 1.2.1), as does a denial's 4xx; never UNKNOWN for it.
    if (r_.status >= 400)
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
    names +=
        (names.empty() ? "" : ", ") + c.name + (c.output.empty() ? "" : " (" + c.output.substr(0, 80) + ")");
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

void Judge::auth_enforced() {
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

void Judge::dates() {
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

void Judge::header_string() {
  if (p_.header_string.empty() || r_.header_block.find(p_.header_string) != std::string::npos) return;
  add("content.mismatch", State::critical,
      "header '" + shown_search(p_.header_string) + "' not found on '" + shown_url() + "'");
}

void Judge::body_string() {
  if (p_.body_string.empty() || r_.body.find(p_.body_string) != std::string::npos) return;
  add("content.mismatch", State::critical,
      "string '" + shown_search(p_.body_string) + "' not found on '" + shown_url() + "'");
}

void Judge::regex() {
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

void Judge::page_size() {
  long long size = static_cast<long long>(r_.header_bytes) + static_cast<long long>(r_.body_bytes);
  if (p_.max_size && size > *p_.max_size)
    add("content.mismatch", State::warning, "page size " + std::to_string(size) + " too large");
  else if (p_.min_size && size < *p_.min_size)
    add("content.mismatch", State::warning, "page size " + std::to_string(size) + " too small");
}

}  // namespace probewise::judge_detail
