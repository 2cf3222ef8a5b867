// SPDX-License-Identifier: GPL-2.0-or-later
// The request: make what a RequestSpec describes and record what happened,
// blocking (perform(), for the check) or many at once (ConcurrentProber, for
// the collectd plugin). Both drive the same steps (http/transfer.h for one
// exchange, http/redirect_walk.h from one hop to the next); http/ is the only
// part of probewise that talks to libcurl. The front end calls
// global_init() once before the first request.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "http/probe_result.h"
#include "http/request_spec.h"

namespace probewise {

// curl_global_init(), for the front end to call once at start-up, and
// curl_global_cleanup() for a front end that unloads (the collectd plugin).
bool global_init();
void global_cleanup();

// True for an absolute http:// or https:// URL that libcurl can parse.
bool valid_url(const std::string& url);

// Never throws for anything the network or the server does: a failure is a
// ProbeResult with transport != ok.
ProbeResult perform(const RequestSpec& spec);

// Many probes at once on one libcurl multi handle, for the collectd plugin:
// one thread calls start() and run(); nothing here blocks longer than run()'s
// wait. Event driven (curl_multi_socket_action on an epoll set): a wake-up
// costs what became ready, not what is in flight. Redirects are followed as
// in perform(), every hop on the multi handle. Connections are reused where
// the target allows, and a new TLS connection resumes a session of its host.
class ConcurrentProber {
 public:
  using Done = std::vector<std::pair<std::uint64_t, ProbeResult>>;

  // 0 = libcurl's defaults: no limit per host; idle connections kept: four
  // per transfer in flight.
  explicit ConcurrentProber(int max_connections_per_host = 0, int max_idle_connections = 0);
  ~ConcurrentProber();
  ConcurrentProber(const ConcurrentProber&) = delete;
  ConcurrentProber& operator=(const ConcurrentProber&) = delete;

  // Starts a probe; its result comes back from run() under `id`.
  void start(std::uint64_t id, RequestSpec spec);
  // Drives every transfer for at most wait_ms (returning at once when none
  // is in flight) and returns those that finished.
  Done run(int wait_ms);
  // The same into `done` (cleared first), so that its buffer serves again.
  void run(int wait_ms, Done& done);
  // Ends run()'s wait early; the only call another thread may make.
  void wake();
  std::size_t in_flight() const;
  // Stops every transfer in flight (shutdown); their results are dropped.
  void cancel_all();
  // Idle connections kept open for later transfers (0 = leave as is).
  void set_max_idle_connections(int n);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 ..." from curl_version_info(),
// which, unlike curl_version(), does not initialise LDAP and SASL.
std::string libcurl_version_line();

}  // namespace probewise
