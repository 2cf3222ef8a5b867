// SPDX-License-Identifier: GPL-2.0-or-later
// One request/response exchange on a libcurl easy handle, as a hop of the
// redirect walk plans it: the handle's setup, then the answer collected into
// the ProbeResult. Both drivers (perform(), ConcurrentProber) use it.
#pragma once

#include <curl/curl.h>

#include <string>
#include <vector>

#include "http/answer.h"
#include "http/curl_handles.h"
#include "http/probe_result.h"
#include "http/redirect_walk.h"
#include "http/request_spec.h"

namespace probewise {

class Transfer {
 public:
  // `spec`, `r` and `cookies` (carried between the origin's hops) must
  // outlive the transfer.
  Transfer(const RequestSpec& spec, HopPlan plan, ProbeResult& r, std::vector<std::string>& cookies);

  // Prepares the transfer on `reuse` (an idle handle, curl_easy_reset
  // already) or a new handle; nullptr when libcurl could not make one (the
  // result then says so).
  CURL* start(long timeout_ms, CURL* reuse = nullptr);
  // Records the outcome once libcurl is done with the transfer.
  void complete(CURLcode code);
  // start() and curl_easy_perform(), blocking.
  void run(long timeout_ms, CURL* reuse = nullptr);

  CURL* handle() const { return easy_.get(); }
  // The absolute Location of a 3xx answer, "" otherwise (after complete()).
  const std::string& redirect_url() const { return redirect_url_; }

  // Takes the handle back for another transfer, its options cleared (they
  // point into this object); nullptr when it must not serve another: a
  // cookie engine keeps what one server set.
  CURL* release();

 private:
  void setup(CURL* h, long timeout_ms);
  void set_basics(CURL* h, long timeout_ms);
  void set_method(CURL* h);
  void set_headers(CURL* h);
  void set_origin_credentials(CURL* h);
  void set_proxy(CURL* h);
  void set_trace(CURL* h);
  std::string hop_host() const;

  const RequestSpec& spec_;
  const HopPlan plan_;
  ProbeResult& r_;
  std::vector<std::string>& cookies_;
  Sink sink_;
  SlistBuilder headers_;
  Slist connect_to_;
  Easy easy_;  // declared after the lists it points at, so it is cleaned up first
  bool https_ = false;
  bool proxy_used_ = false;   // a proxy carries this hop
  bool proxy_https_ = false;  // and is reached over TLS
  std::string redirect_url_;
  char errbuf_[CURL_ERROR_SIZE];
};

}  // namespace probewise
