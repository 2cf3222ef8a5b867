// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/redirect_walk.h"

#include <curl/curl.h>  // the CURLE_* codes the walk reports as libcurl would

#include <algorithm>

#include "base/text.h"
#include "http/answer.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

std::string key_of(const HopPlan& hop) {
  return hop.url + "|" + hop.connect_to;
}

}  // namespace

RedirectWalk::RedirectWalk(const RequestSpec& spec) : spec_(spec) {}

bool RedirectWalk::begin(ProbeResult& r, Clock::time_point now) {
  deadline_ = now + std::chrono::milliseconds(spec_.timeout_ms);
  r.url = spec_.url;
  if (std::string problem = line_break_problem(spec_); !problem.empty()) {
    // Refused where it entered; this guards whatever path let one through.
    r.transport = Transport::error;
    r.curl_code = CURLE_BAD_FUNCTION_ARGUMENT;
    r.error = "request not sent: " + problem;
    return false;
  }
  const int url_port = port_of(spec_.url);
  if (url_port == 0) {
    r.transport = Transport::error;
    r.curl_code = CURLE_URL_MALFORMAT;
    r.error = "malformed URL '" + spec_.url + "'";  // redacted where it is written
    return false;
  }
  r.port = spec_.connect_port ? spec_.connect_port : url_port;
  sticky_port_ = r.port;  // where stickyport keeps connecting
  hop_.url = spec_.url;
  hop_.connect_to = connect_to_entry(spec_.connect_host, spec_.connect_port);
  return true;
}

const std::optional<Origin>& RedirectWalk::origin() {
  if (!origin_parsed_) {
    origin_ = origin_of(spec_.url);
    origin_parsed_ = true;
  }
  return origin_;
}

bool RedirectWalk::follows() const {
  return spec_.redirects != RedirectMode::none;
}

long RedirectWalk::time_left_ms(Clock::time_point now) const {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - now).count());
}

void RedirectWalk::time_out(ProbeResult& r) const {
  r.transport = Transport::timeout;
  r.curl_code = CURLE_OPERATION_TIMEDOUT;
  r.error = "Operation timed out after " + std::to_string(spec_.timeout_ms) + " milliseconds";
}

// Anything of SPEC 1.6's list configured for the origin: every header the
// user gave but the public ones (and a custom Host, which is no credential).
bool RedirectWalk::carries_credentials() const {
  return !spec_.basic_auth.empty() || !spec_.credential_headers.empty() || cookies_on(spec_) ||
         has_userinfo(spec_.url) ||
         std::any_of(spec_.headers.begin(), spec_.headers.end(), [](const auto& h) {
           const std::string_view name = trim(std::string_view(h).substr(0, h.find(':')));
           return !is_public_header(name) && !iequals(name, "host");
         });
}

// --max-redirs reached: libcurl fails the transfer (-f curl, as check_curl
// reports it); our own modes name where it would have gone next.
bool RedirectWalk::stop_at_maximum(const std::string& location, ProbeResult& r) const {
  if (followed_ < spec_.max_redirects) return false;
  if (spec_.redirects == RedirectMode::curl) {
    r.transport = Transport::error;
    r.curl_code = CURLE_TOO_MANY_REDIRECTS;
    r.error = "Maximum (" + std::to_string(spec_.max_redirects) + ") redirects followed";
    trace(r, spec_.verbosity, 3, "* " + r.error);
  } else {
    r.redirects.push_back(location);
  }
  r.redirect_problem = RedirectProblem::too_many;
  return true;
}

std::string RedirectWalk::connect_to_for_next() {
  // The sticky modes keep connecting to the original address (and port).
  const std::string sticky_host =
      spec_.connect_host.empty() && origin() ? origin()->host : spec_.connect_host;
  switch (spec_.redirects) {
    case RedirectMode::sticky: return connect_to_entry(sticky_host, 0);
    case RedirectMode::stickyport: return connect_to_entry(sticky_host, sticky_port_);
    case RedirectMode::curl: return hop_.connect_to;  // CURLOPT_CONNECT_TO applies to every hop
    case RedirectMode::follow:
    case RedirectMode::none: return "";
  }
  return "";
}

// libcurl (without CURLOPT_POSTREDIR) turns a POST into a GET on 301, 302
// and 303; a custom method stays, without its body.
bool RedirectWalk::drops_body(int status) const {
  return spec_.redirects == RedirectMode::curl && (status == 301 || status == 302 || status == 303) &&
         sends_body(spec_);
}

bool RedirectWalk::next(const std::string& location, ProbeResult& r) {
  if (r.transport != Transport::ok || !follows() || location.empty()) return false;
  if (stop_at_maximum(location, r)) return false;
  if (seen_.empty()) seen_.insert(key_of(hop_));
  const auto to = origin_of(location);
  const bool same_origin = to && origin() && *to == *origin();
  HopPlan next;
  next.credentials = same_origin;
  next.url = same_origin ? location : without_userinfo(location);
  next.connect_to = connect_to_for_next();
  next.drop_body = hop_.drop_body || drops_body(r.status);
  ++followed_;
  r.redirects.push_back(location);
  const bool curl = spec_.redirects == RedirectMode::curl;
  if (!curl && !seen_.insert(key_of(next)).second) {
    r.redirect_problem = RedirectProblem::loop;
    return false;
  }
  if (curl) {
    if (next.drop_body && !hop_.drop_body) trace(r, spec_.verbosity, 3, "* Switch from POST to GET");
    trace(r, spec_.verbosity, 3, "* Issue another request to this URL: '" + next.url + "'");
  } else {
    trace(r, spec_.verbosity, 1, "* following redirect to " + next.url);
  }
  r.credentials_withheld.clear();
  if (!same_origin && carries_credentials()) {
    r.credentials_withheld = to ? to->text() : next.url;
    trace(r, spec_.verbosity, 1,
          "* credentials withheld from " + r.credentials_withheld + ": they are for " +
              (origin() ? origin()->text() : spec_.url));
  }
  hop_ = std::move(next);
  return true;
}

}  // namespace probewise
