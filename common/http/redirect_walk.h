// SPDX-License-Identifier: GPL-2.0-or-later
// The redirect walk: from one answer to the next request, for both drivers
// (the blocking perform() and the ConcurrentProber). It decides where the
// next hop goes (the Location as libcurl resolved it, and the CONNECT_TO
// entry of the -f mode), whether libcurl's method change applies (-f curl:
// POST becomes GET on 301/302/303), which credentials go along (all of them
// to the URL's origin, none elsewhere: SPEC 1.6), and when to stop (a loop,
// --max-redirs, the -t budget). No libcurl here beyond URL parsing, so the
// walk is tested without a network.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http/probe_result.h"
#include "http/request_spec.h"
#include "http/url.h"

namespace probewise {

// What one request of the walk sends.
struct HopPlan {
  std::string url;
  std::string connect_to;   // CURLOPT_CONNECT_TO entry, "" = none
  bool credentials = true;  // the URL's origin: -a, credential and secret headers, cookies, a custom Host
  bool drop_body = false;   // libcurl switched POST to GET (-f curl after 301/302/303)
};

class RedirectWalk {
 public:
  using Clock = std::chrono::steady_clock;

  // `spec` must outlive the walk.
  explicit RedirectWalk(const RequestSpec& spec);

  // Starts the walk (and the -t budget) at `now`: the first hop. False when
  // the URL has no scheme; the result then says so and is final. (A URL
  // libcurl cannot parse fails the first transfer with CURLE_URL_MALFORMAT;
  // the front ends validate URLs before.)
  bool begin(ProbeResult& r, Clock::time_point now = Clock::now());

  // The request to make now.
  const HopPlan& hop() const { return hop_; }

  // After each hop's answer, in r, with the absolute URL its Location leads
  // to ("" when none). True when another hop follows (hop() describes it);
  // false when r is final (a loop or the maximum recorded in it).
  bool next(const std::string& location, ProbeResult& r);

  // What is left of the -t budget; at or below 0, time_out() makes r final.
  long time_left_ms(Clock::time_point now = Clock::now()) const;
  void time_out(ProbeResult& r) const;

  // Cookies the origin set, carried from one of its hops to the next.
  std::vector<std::string>& cookies() { return cookies_; }

 private:
  bool follows() const;
  bool carries_credentials() const;
  bool stop_at_maximum(const std::string& location, ProbeResult& r) const;
  const std::optional<Origin>& origin();
  std::string connect_to_for_next();
  bool drops_body(int status) const;

  const RequestSpec& spec_;
  HopPlan hop_;
  // The URL's origin, parsed at the first redirect: most walks never follow
  // one, and a libcurl URL parse costs about 7% of a collectd probe.
  bool origin_parsed_ = false;
  std::optional<Origin> origin_;
  int sticky_port_ = 0;
  int followed_ = 0;
  std::set<std::string> seen_;  // url|connect_to of every hop (own modes: a loop)
  std::vector<std::string> cookies_;
  Clock::time_point deadline_;
};

}  // namespace probewise
