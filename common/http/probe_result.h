// SPDX-License-Identifier: GPL-2.0-or-later
// What happened: a plain, copyable record of one check's request(s) and the
// answer. No libcurl types in here, so classification can be tested on
// recorded results alone.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "http/header_map.h"

namespace probewise {

// Why no (complete) HTTP answer arrived. Kept small on purpose; the raw curl
// code and message stay beside it for the output.
enum class Transport {
  ok,             // an HTTP answer arrived
  dns,            // name (or proxy name) did not resolve
  refused,        // connection refused
  timeout,        // the -t or connect timeout ran out
  unreachable,    // no route / network unreachable
  tls_handshake,  // TLS negotiation failed
  tls_untrusted,  // peer certificate not trusted or wrong name (-D)
  error,          // anything else: reset, garbage, too large headers, ...
};

// Phases in microseconds, derived once from libcurl's cumulative timers.
// A reused connection shows (near) zero dns/connect/tls: see new_connections.
struct Timings {
  std::int64_t dns_us = 0;
  std::int64_t connect_us = 0;   // TCP handshake
  std::int64_t tls_us = 0;       // TLS handshake (0 over plain HTTP)
  std::int64_t headers_us = 0;   // from connected to request sent (check_curl's time_headers)
  std::int64_t ttfb_us = 0;      // from request sent to the first response byte
  std::int64_t transfer_us = 0;  // from the first byte to the end
  std::int64_t total_us = 0;     // whole check, every redirect hop included
};

struct Certificate {
  std::string subject;      // as libcurl prints it
  std::string common_name;  // CN of the subject, "" when none
  std::string issuer;
  std::time_t not_before = 0;
  std::time_t not_after = 0;
};

enum class RedirectProblem { none, loop, too_many };

struct ProbeResult {
  Transport transport = Transport::ok;
  int curl_code = 0;  // CURLcode, 0 when fine
  std::string error;  // libcurl's message when transport != ok

  int status = 0;             // 0 when no HTTP answer
  std::string http_version;   // "HTTP/1.1", "HTTP/2"
  std::string reason_phrase;  // "Unauthorized"
  std::string status_line;    // "HTTP/1.1 401 Unauthorized"
  HeaderMap headers;
  std::string header_block;        // raw headers of the final answer (check_curl's -d searches it)
  std::string body;                // up to RequestSpec::max_body_bytes
  std::uint64_t body_bytes = 0;    // every body byte received
  std::uint64_t header_bytes = 0;  // header bytes of the final answer
  bool body_truncated = false;

  std::string url;                     // what was asked first
  std::string user_agent;              // the User-Agent the request carried
  std::string effective_url;           // the final URL after redirects
  int port = 0;                        // the port of the first request's connection
  std::vector<std::string> redirects;  // each Location followed, in order
  RedirectProblem redirect_problem = RedirectProblem::none;
  // The origin ("https://other.example:8443") the final request went to
  // without the credentials configured for `url`'s origin (SPEC 1.6); ""
  // when none were withheld.
  std::string credentials_withheld;
  long new_connections = 0;  // CURLINFO_NUM_CONNECTS summed over hops
  // The way out itself failed, so the request never reached the target: the
  // proxy (not reached, its TLS or handshake failed, it would not open a
  // tunnel: 403/407), or the source address or interface (not usable here).
  bool egress_failed = false;

  std::string local_ip;
  int local_port = 0;
  std::string peer_ip;
  int peer_port = 0;

  std::optional<Certificate> certificate;  // TLS peer certificate, when read
  Timings timings;
  std::vector<std::string> trace;  // -v lines, secrets already redacted

  bool has_answer() const { return status > 0; }
};

}  // namespace probewise
