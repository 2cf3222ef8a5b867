// SPDX-License-Identifier: GPL-2.0-or-later
// What to ask: everything perform() needs to make the request, and nothing
// about how to judge the answer (that is Policy's).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace probewise {

enum class RedirectMode {
  none,        // report the 3xx itself
  follow,      // follow Location ourselves (check_http's algorithm)
  sticky,      // follow, but keep connecting to the original address
  stickyport,  // follow, but keep the original address and port
  curl,        // let libcurl follow (CURLOPT_FOLLOWLOCATION)
};

enum class TlsVersion { any, v1_0, v1_1, v1_2, v1_3 };
enum class HttpVersion { any, v1_0, v1_1, v2, v2_tls, v3 };
// "1.0", "1.1", "2" or "2.0", "3". HTTP/2 is asked for with TLS only when
// `tls_only_for_2` (HTTP/1.1 stays over plain HTTP), else also in clear.
std::optional<HttpVersion> parse_http_version(std::string_view text, bool tls_only_for_2);
enum class IpFamily { any, v4, v6 };

struct RequestSpec {
  std::string url;           // absolute http:// or https:// URL
  std::string connect_host;  // connect here instead of the URL's host ("" = the URL's)
  int connect_port = 0;      // and to this port (0 = the URL's)
  std::string method;        // "" = GET, or POST when body is set
  bool has_body = false;
  std::string body;                  // sent with POST/PUT and any method when has_body
  std::string content_type;          // "" = libcurl's default for POST
  std::vector<std::string> headers;  // "Name: value", sent as given
  std::string user_agent;
  std::string basic_auth;      // "user:password" (secret)
  std::string proxy;           // "" = none, unless proxy_from_env
  bool proxy_from_env = true;  // take http(s)_proxy / no_proxy from the environment
  std::string noproxy;
  std::string proxy_auth;  // "user:password" (secret)
  bool haproxy_protocol = false;
  std::string cookie_jar;  // "" = cookies off; cookie_engine turns on without a file
  bool cookie_engine = false;
  bool decompress = false;  // CURLOPT_ACCEPT_ENCODING ""
  bool no_body = false;     // stop after the headers

  // TLS
  TlsVersion tls_min = TlsVersion::any;
  bool tls_exact = false;    // -S1.2 without '+': exactly that version
  bool verify_peer = false;  // check_curl verifies only with -D
  bool verify_host = false;
  std::string ca_file;
  std::string ca_path;
  std::string client_cert;
  std::string client_key;
  // Read the peer certificate (subject, expiry). CERTINFO costs ~0.6 M
  // instructions a check, so front ends ask for it only when they use it.
  bool want_certificate = false;

  HttpVersion http_version = HttpVersion::any;
  IpFamily ip_family = IpFamily::any;
  RedirectMode redirects = RedirectMode::none;
  int max_redirects = 15;  // check_curl's DEFAULT_MAX_REDIRS

  long timeout_ms = 10000;               // whole check, all redirects included
  long connect_timeout_ms = 0;           // 0 = bounded by timeout_ms only
  std::size_t max_body_bytes = 1 << 20;  // kept in memory; every byte is still counted
  int verbosity = 0;                     // 1-3: fill ProbeResult::trace
};

}  // namespace probewise
