// SPDX-License-Identifier: GPL-2.0-or-later
// What to ask: everything perform() needs to make the request, and nothing
// about how to judge the answer (that is Policy's).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/proxy.h"

namespace probewise {

// Every mode that follows sends the credentials only to the URL's origin
// (SPEC 1.6): see http/redirect_walk.h.
enum class RedirectMode {
  none,        // report the 3xx itself
  follow,      // follow Location (check_http's algorithm)
  sticky,      // follow, but keep connecting to the original address
  stickyport,  // follow, but keep the original address and port
  curl,        // follow as libcurl's CURLOPT_FOLLOWLOCATION does (POST -> GET on 301-303, -I on every hop)
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
  std::string body;          // sent with POST/PUT and any method when has_body
  std::string content_type;  // "" = libcurl's default for POST
  // "Name: value", sent as given; all but the standard ones that carry no
  // secret (is_public_header: Accept, User-Agent, ...) only to the origin.
  std::vector<std::string> headers;
  // "Name: value" lines that are credentials whatever their name (bearer
  // tokens, --header-file lines, the OAuth token): only to the origin (secret).
  std::vector<std::string> credential_headers;
  std::string user_agent;
  std::string basic_auth;      // "user:password", only to the origin (secret)
  std::string proxy;           // "" = none, unless proxy_from_env
  bool proxy_from_env = true;  // take http(s)_proxy / no_proxy from the environment
  std::string noproxy;
  std::string proxy_auth;     // "user:password" for the proxy, on every hop that uses it (secret)
  std::string proxy_ca_file;  // the CA of an https:// proxy ("" = the system's; libcurl always verifies it)
  // Where the request leaves this host (CURLOPT_INTERFACE): "host!192.0.2.10"
  // (a source address), "if!eth1" (an interface); "" = the system's choice.
  std::string interface;
  bool haproxy_protocol = false;
  std::string cookie_jar;  // "" = cookies off; cookie_engine turns on without a file; only to the origin
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

// The method the request goes out with: "GET", or "POST" when a body is set.
inline std::string method_of(const RequestSpec& s) {
  return s.method.empty() ? (s.has_body ? "POST" : "GET") : s.method;
}

// Whether the request carries a body (libcurl's POSTFIELDS).
inline bool sends_body(const RequestSpec& s) {
  const std::string method = method_of(s);
  return method != "HEAD" && (s.has_body || method == "POST" || method == "PUT");
}

// A cookie engine keeps what a server set, in the easy handle.
inline bool cookies_on(const RequestSpec& s) {
  return s.cookie_engine || !s.cookie_jar.empty();
}

// What in `spec` holds a CR, LF or NUL (a header, the URL, the method, the
// User-Agent, credentials), "" when nothing: such a value would smuggle a
// second header or request line into the request (SPEC 1.6). The front
// ends refuse them where they enter; the request is never sent with one.
std::string line_break_problem(const RequestSpec& spec);

// Whether a request made from `spec` may speak TLS: an https URL, a redirect
// it may follow (to anywhere), or an https proxy (given, or taken from the
// environment through `env`).
bool may_use_tls(const RequestSpec& spec, const EnvLookup& env);

}  // namespace probewise
