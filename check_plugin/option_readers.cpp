// SPDX-License-Identifier: GPL-2.0-or-later
#include "option_readers.h"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <set>

#include "base/text.h"
#include "base/version.h"
#include "credentials/credentials.h"
#include "http/request.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

using Strings = std::vector<std::string>;

// libcurl's largest request head (its DYN_HTTP_REQUEST).
constexpr std::size_t kMaxRequestHead = 1024 * 1024;

Error bad(const std::string& option, const std::string& why) {
  return Error{"invalid value for " + option + ": " + why};
}

Expected<int> to_int(const std::string& option, const std::string& text, int low, int high) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < low || v > high)
    return bad(option, "'" + text + "' is not a whole number from " + std::to_string(low) + " to " +
                           std::to_string(high));
  return static_cast<int>(v);
}

// -M: SECONDS, or Nm / Nh / Nd.
Expected<long long> parse_age(const std::string& text) {
  std::string digits = text;
  long long unit = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 's': unit = 1; break;
      default: unit = 0;
    }
    if (unit)
      digits = text.substr(0, text.size() - 1);
    else
      unit = 1;
  }
  auto n = to_int("-M/--max-age", digits, 0, 1 << 30);
  if (!n) return Error{n.error()};
  return *n * unit;
}

struct HostPort {
  std::string host;
  int port = 0;  // 0 = none given
};

// "example.com", "example.com:8080", "[::1]:8080", "::1"
Expected<HostPort> parse_host(const std::string& text) {
  HostPort hp;
  if (text.empty()) return bad("-H/--hostname", "empty host name");
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) return bad("-H/--hostname", "unclosed '[' in '" + text + "'");
    hp.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return bad("-H/--hostname", "'" + text + "'");
      auto p = to_int("-H/--hostname port", text.substr(close + 2), 1, 65535);
      if (!p) return Error{p.error()};
      hp.port = *p;
    }
    return hp;
  }
  auto colon = text.find(':');
  if (colon != std::string::npos && text.find(':', colon + 1) == std::string::npos) {
    hp.host = text.substr(0, colon);
    auto p = to_int("-H/--hostname port", text.substr(colon + 1), 1, 65535);
    if (!p) return Error{p.error()};
    hp.port = *p;
  } else {
    hp.host = text;
  }
  if (hp.host.find_first_of(" /?#@") != std::string::npos)
    return bad("-H/--hostname", "'" + text + "' is not a host name");
  return hp;
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// Options that only make sense over TLS turn it on, as in check_http and
// check_curl: -C, -J, -K, --ca-cert (and -D in current check_curl).
bool wants_tls(const ParsedOptions& o) {
  for (const char* option : {"ssl", "certificate", "client-cert", "private-key", "ca-cert", "verify-cert"})
    if (o.has(option)) return true;
  return false;
}

// -S[VERSION[+]]: the TLS version pinned, or the minimum with +.
Expected<bool> read_tls_version(const std::string& given, RequestSpec& s) {
  std::string v = given;
  s.tls_exact = !v.empty() && v.back() != '+';
  if (!v.empty() && v.back() == '+') v.pop_back();
  if (v.empty())
    s.tls_min = TlsVersion::any, s.tls_exact = false;
  else if (v == "1" || v == "1.0")
    s.tls_min = TlsVersion::v1_0;
  else if (v == "1.1")
    s.tls_min = TlsVersion::v1_1;
  else if (v == "1.2")
    s.tls_min = TlsVersion::v1_2;
  else if (v == "1.3")
    s.tls_min = TlsVersion::v1_3;
  else if (v == "2" || v == "3")
    return bad("-S/--ssl", "SSLv" + v + " is not supported by libcurl");
  else
    return bad("-S/--ssl", "'" + given + "' (expected 1, 1.1, 1.2 or 1.3, optionally with +)");
  return true;
}

// -r/-R/--ereg with -l, --invert-regex and --state-regex; the expression
// is compiled once here so that a bad one is an argument error.
Expected<bool> read_regex(const ParsedOptions& o, Policy& pol) {
  const char* option = o.has("eregi") ? "eregi" : o.has("regex") ? "regex" : o.has("ereg") ? "ereg" : nullptr;
  if (!option) return true;
  RegexExpectation rx;
  rx.pattern = o.get(option);
  rx.icase = std::string(option) == "eregi";
  rx.linespan = o.has("linespan");
  rx.invert = o.has("invert-regex");
  if (o.has("state-regex")) {
    auto st = parse_state(o.get("state-regex"));
    if (!st || *st == State::ok || *st == State::unknown)
      return bad("--state-regex", "'" + o.get("state-regex") + "' (expected critical or warning)");
    rx.state = *st;
  }
  if (std::string why = regex_error(rx); !why.empty())
    return bad(std::string("--") + option, "'" + rx.pattern + "': " + why);
  pol.regex = rx;
  return true;
}

// -m MIN[:MAX], each with an optional b/B.
Expected<bool> read_pagesize(const std::string& v, Policy& pol) {
  auto colon = v.find(':');
  auto strip = [](std::string x) {
    if (!x.empty() && (x.back() == 'b' || x.back() == 'B')) x.pop_back();
    return x;
  };
  auto lo = to_int("-m/--pagesize", strip(v.substr(0, colon)), 0, 1 << 30);
  if (!lo) return Error{lo.error()};
  if (*lo > 0) pol.min_size = *lo;
  if (colon != std::string::npos) {
    auto hi = to_int("-m/--pagesize", strip(v.substr(colon + 1)), 0, 1 << 30);
    if (!hi) return Error{hi.error()};
    if (*hi > 0) pol.max_size = *hi;
  }
  return true;
}

// --token-expiry WARN[,CRIT] days (CRIT defaults to a seventh of WARN), or off.
Expected<bool> read_token_expiry(const std::string& v, Policy& pol) {
  if (to_lower(v) == "off") {
    pol.token_expiry.enabled = false;
    return true;
  }
  auto parts = split(v, ',');
  auto number = [](std::string_view t) -> std::optional<double> {
    std::string text(t);
    char* end = nullptr;
    double d = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(d >= 0) || d > 36500) return std::nullopt;
    return d;
  };
  auto w = parts.empty() ? std::nullopt : number(parts[0]);
  auto cr = parts.size() > 1 ? number(parts[1]) : std::optional<double>(w ? *w / 7 : 0);
  if (!w || !cr || parts.size() > 2)
    return bad("--token-expiry", "'" + v + "' (expected WARN[,CRIT] days, or off)");
  pol.token_expiry.warn_days = *w;
  pol.token_expiry.crit_days = *cr;
  return true;
}

// The options whose values go into the request line, a header or a URL:
// a CR, LF or NUL in one would end it and smuggle in another (SPEC 1.6).
struct SentOption {
  const char* key;   // as described to Boost
  const char* name;  // as the message names it
  const char* what;
};
constexpr SentOption kSentOptions[] = {
    {"hostname", "-H/--hostname", "a host name"},
    {"IP-address", "-I/--IP-address", "an address"},
    {"url", "-u/--url", "a URL"},
    {"header", "-k/--header", "a header name or value"},
    {"useragent", "-A/--useragent", "a User-Agent"},
    {"authorization", "-a/--authorization", "a user name or password"},
    {"proxy-authorization", "-b/--proxy-authorization", "a user name or password"},
    {"proxy", "-x/--proxy", "a proxy URL"},
    {"noproxy", "--noproxy", "a host list"},
    {"method", "-j/--method", "a method"},
    {"content-type", "-T/--content-type", "a Content-Type"},
    {"oauth2-token-url", "--oauth2-token-url", "a URL"},
    {"oauth2-client-id", "--oauth2-client-id", "a client id"},
    {"oauth2-scope", "--oauth2-scope", "a scope"},
    {"vantage", "--vantage", "a vantage"},
    {"source-address", "--source-address", "an address"},
    {"interface", "--interface", "an interface"},
};

// A header the user gave whose value is a secret: every one but the public
// standard headers (and a custom Host, which names where the request goes).
bool secret_header(const std::string& header) {
  const std::string_view name = trim(std::string_view(header).substr(0, header.find(':')));
  return !is_public_header(name) && !iequals(name, "host");
}

}  // namespace

Expected<bool> read_line_breaks(const ParsedOptions& o, CheckConfig&) {
  for (const auto& option : kSentOptions) {
    if (!o.has(option.key)) continue;
    const auto& value = o.vm[option.key].value();
    const Strings values =
        value.type() == typeid(Strings) ? o.vm[option.key].as<Strings>() : Strings{o.get(option.key)};
    for (const auto& v : values)
      if (breaks_line(v))
        return bad(option.name,
                   std::string(option.what) + " must not contain a line break (CR or LF) or NUL");
  }
  for (const auto& host : o.positional)
    if (breaks_line(host)) return bad("the host name", "it must not contain a line break (CR or LF) or NUL");
  return true;
}

Expected<bool> read_output_basics(const ParsedOptions& o, CheckConfig& c) {
  c.render.verbosity = c.spec.verbosity = o.verbosity;
  c.render.secrets = c.secrets.get();  // shared by every copy of the config
  c.render.extended_perfdata = o.has("extended-perfdata");
  c.render.show_body = o.has("show-body");
  if (o.has("compat")) {
    const std::string dialect = to_lower(o.get("compat"));
    if (dialect == "check_curl")
      c.render.dialect = Dialect::check_curl;
    else if (dialect == "check_http")
      c.render.dialect = Dialect::check_http;
    else
      return bad("--compat", "'" + o.get("compat") + "' (expected check_curl or check_http)");
  }
  return true;
}

Expected<bool> read_target(const ParsedOptions& o, CheckConfig& c) {
  RequestSpec& s = c.spec;
  HostPort vhost;
  if (o.has("hostname") || !o.positional.empty()) {
    auto h = parse_host(o.has("hostname") ? o.get("hostname") : o.positional.front());
    if (!h) return Error{h.error()};
    vhost = *h;
  }
  std::string address = o.get_or_empty("IP-address");
  if (!address.empty() && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  if (vhost.host.empty() && address.empty())
    return Error{"you must specify a host name (-H) or an address (-I)"};
  c.render.server_address = address.empty() ? vhost.host : address;

  const bool ssl = wants_tls(o);
  if (o.has("ssl"))
    if (auto read = read_tls_version(o.get("ssl"), s); !read) return read;
  int port = ssl ? 443 : 80;
  if (o.has("port")) {
    port = o.vm["port"].as<int>();
    if (port < 1 || port > 65535) return bad("-p/--port", std::to_string(port) + " is not a port number");
  } else if (vhost.port) {
    port = vhost.port;
  }
  const std::string scheme = ssl ? "https" : "http";
  std::string path = o.has("url") ? o.get("url") : "/";
  const std::string host = vhost.host.empty() ? address : vhost.host;
  const int header_port = vhost.port ? vhost.port : port;
  if (starts_with(to_lower(path), "http://") || starts_with(to_lower(path), "https://")) {
    // check_curl's legacy proxy request: -H/-I and -p name the proxy.
    s.url = path;
    s.proxy = "http://" + url_host(address.empty() ? host : address) + ":" + std::to_string(port);
  } else {
    if (path.empty() || path.front() != '/') path = "/" + path;
    s.url = scheme + "://" + url_host(host) + ":" + std::to_string(header_port) + path;
    if (!vhost.host.empty() && !address.empty()) s.connect_host = address;
    if (header_port != port || !s.connect_host.empty()) s.connect_port = port;
  }
  if (!valid_url(s.url)) return bad("-u/--url", "'" + s.url + "' is not a valid http(s) URL");
  if (auto userinfo = userinfo_secrets(s.url); !userinfo.empty()) c.secrets->put("-u", std::move(userinfo));
  c.policy.display_url = scheme + "://" + host + ":" + std::to_string(port) + path;

  if (o.has("use-ipv4")) s.ip_family = IpFamily::v4;
  if (o.has("use-ipv6")) s.ip_family = IpFamily::v6;
  return true;
}

Expected<bool> read_tls(const ParsedOptions& o, CheckConfig& c) {
  RequestSpec& s = c.spec;
  if (o.has("verify-cert")) s.verify_peer = s.verify_host = true;
  if (o.has("ca-cert")) s.ca_file = o.get("ca-cert");
  if (o.has("client-cert")) s.client_cert = o.get("client-cert");
  if (o.has("private-key")) s.client_key = o.get("private-key");
  if (!o.has("certificate")) return true;
  auto parts = split(o.get("certificate"), ',');
  if (parts.empty() || parts.size() > 2) return bad("-C/--certificate", "expected WARN[,CRIT] days");
  CertificateExpectation ce;
  auto w = to_int("-C/--certificate", std::string(parts[0]), 0, 1 << 20);
  if (!w) return Error{w.error()};
  ce.warn_days = *w;
  if (parts.size() == 2) {
    auto cr = to_int("-C/--certificate", std::string(parts[1]), 0, 1 << 20);
    if (!cr) return Error{cr.error()};
    ce.crit_days = *cr;
  }
  ce.continue_after = o.has("continue-after-certificate");
  c.policy.certificate = ce;
  return true;
}

Expected<bool> read_request(const ParsedOptions& o, CheckConfig& c) {
  RequestSpec& s = c.spec;
  if (o.has("method")) s.method = o.get("method");
  if (o.has("post")) {
    s.has_body = true;
    s.body = o.get("post");
    c.secrets->put("-P", form_secrets(s.body));  // a login form's password
    if (s.method.empty()) s.method = "POST";
  }
  if (o.has("content-type")) s.content_type = o.get("content-type");
  if (o.has("no-body")) s.no_body = true;
  if (o.has("header")) {
    s.headers = o.vm["header"].as<Strings>();
    // libcurl refuses a request head over 1 MiB ("out of memory"): say why here.
    std::size_t head = s.url.size() + 512;  // the request line, Host, User-Agent, Accept
    for (const auto& header : s.headers) head += header.size() + 2;
    if (head > kMaxRequestHead)
      return bad("-k/--header", std::to_string(s.headers.size()) + " headers make a request head of " +
                                    std::to_string(head) + " bytes, more than the " +
                                    std::to_string(kMaxRequestHead) + " libcurl sends");
    std::vector<std::string> values;
    for (const auto& header : s.headers)
      if (secret_header(header))
        for (auto& v : header_secrets(header)) values.push_back(std::move(v));
    c.secrets->put("-k", std::move(values));
  }
  s.user_agent = o.has("useragent") ? o.get("useragent")
                                    : "check_probewise/v" PROBEWISE_VERSION
                                      " (probewise; monitoring-plugins compatible)";
  if (o.has("authorization")) {
    s.basic_auth = o.get("authorization");
    c.secrets->put("-a", basic_secrets(s.basic_auth));
  }
  if (o.has("proxy-authorization")) {
    s.proxy_auth = o.get("proxy-authorization");
    c.secrets->put("-b", basic_secrets(s.proxy_auth));
  }
  if (o.has("proxy")) {
    s.proxy = o.get("proxy");
    c.secrets->put("-x", userinfo_secrets(s.proxy));
  } else {
    register_proxy_environment(*c.secrets, process_environment());
  }
  if (o.has("noproxy")) s.noproxy = o.get("noproxy");
  s.haproxy_protocol = o.has("haproxy-protocol");
  s.decompress = o.has("enable-automatic-decompression");
  if (o.has("cookie-jar")) {
    s.cookie_engine = true;
    s.cookie_jar = o.get("cookie-jar");
  }
  if (o.has("http-version")) {
    auto v = parse_http_version(o.get("http-version"), wants_tls(o));
    if (!v) return bad("--http-version", "'" + o.get("http-version") + "' (expected 1.0, 1.1, 2, 2.0 or 3)");
    s.http_version = *v;
  }
  return true;
}

Expected<bool> read_redirects(const ParsedOptions& o, CheckConfig& c) {
  RequestSpec& s = c.spec;
  if (o.has("onredirect")) {
    std::string v = to_lower(o.get("onredirect"));
    if (v == "follow")
      s.redirects = RedirectMode::follow;
    else if (v == "sticky")
      s.redirects = RedirectMode::sticky;
    else if (v == "stickyport")
      s.redirects = RedirectMode::stickyport;
    else if (v == "curl")
      s.redirects = RedirectMode::curl;
    else if (auto st = parse_state(v))
      c.policy.redirect_state = *st;
    else
      return bad("-f/--onredirect",
                 "'" + v + "' (expected ok, warning, critical, unknown, follow, sticky, stickyport or curl)");
  }
  if (o.has("max-redirs")) {
    s.max_redirects = o.vm["max-redirs"].as<int>();
    if (s.max_redirects < 0) return bad("--max-redirs", "must not be negative");
  }
  return true;
}

Expected<bool> read_timeouts(const ParsedOptions& o, CheckConfig& c) {
  Policy& pol = c.policy;
  if (o.has("timeout")) {
    std::string v = o.get("timeout");
    auto colon = v.find(':');
    if (colon != std::string::npos) {
      auto st = parse_state(v.substr(colon + 1));
      if (!st) return bad("-t/--timeout", "'" + v + "' (expected SECONDS[:STATE])");
      pol.timeout_state = *st;
      v = v.substr(0, colon);
    }
    auto t = to_int("-t/--timeout", v, 1, 86400);
    if (!t) return Error{t.error()};
    c.timeout_seconds = *t;
  }
  // A critical response time beyond the timeout could never be reached:
  // check_http and check_curl 2.3.3 then wait one second past it.
  if (const auto& crit = pol.time.critical; crit && !crit->end_infinite && crit->end > c.timeout_seconds)
    c.timeout_seconds = static_cast<int>(crit->end) + 1;
  if (o.has("timeout-result")) {
    auto st = parse_state(o.get("timeout-result"));
    if (!st)
      return bad("--timeout-result",
                 "'" + o.get("timeout-result") + "' (expected ok, warning, critical or unknown)");
    pol.timeout_state = *st;
  }
  c.spec.timeout_ms = c.timeout_seconds * 1000L;
  pol.timeout_seconds = c.timeout_seconds;
  c.render.timeout_seconds = c.timeout_seconds;
  if (o.has("connect-timeout")) {
    double v = o.vm["connect-timeout"].as<double>();
    if (!(v > 0)) return bad("--connect-timeout", "must be more than 0 seconds");
    c.spec.connect_timeout_ms = static_cast<long>(v * 1000);
  }
  return true;
}

Expected<bool> read_expectations(const ParsedOptions& o, CheckConfig& c) {
  Policy& pol = c.policy;
  if (o.has("expect")) {
    for (auto item : split(o.get("expect"), ',')) pol.expect_status_line.emplace_back(item);
    if (pol.expect_status_line.empty()) return bad("-e/--expect", "empty list");
  }
  if (o.has("expect-status")) {
    auto set = parse_status_set(o.get("expect-status"));
    if (!set) return bad("--expect-status", set.error());
    pol.expect_status = *set;
  }
  if (o.has("status-state")) {
    auto st = parse_status_states(o.get("status-state"));
    if (!st) return bad("--status-state", st.error());
    pol.status_states = *st;
  }
  if (o.has("header-string")) pol.header_string = o.get("header-string");
  if (o.has("string")) pol.body_string = o.get("string");
  if (auto read = read_regex(o, pol); !read) return read;
  if (o.has("pagesize"))
    if (auto read = read_pagesize(o.get("pagesize"), pol); !read) return read;
  if (o.has("max-age")) {
    auto age = parse_age(o.get("max-age"));
    if (!age) return Error{age.error()};
    pol.max_age_seconds = *age;
  }
  return true;
}

Expected<bool> read_thresholds(const ParsedOptions& o, CheckConfig& c) {
  if (o.has("warning")) {
    auto r = parse_range(o.get("warning"));
    if (!r) return bad("-w/--warning", r.error());
    c.policy.time.warning = *r;
  }
  if (o.has("critical")) {
    auto r = parse_range(o.get("critical"));
    if (!r) return bad("-c/--critical", r.error());
    c.policy.time.critical = *r;
  }
  return true;
}

Expected<bool> read_output_format(const ParsedOptions& o, CheckConfig& c) {
  if (!o.has("output-format")) return true;
  static constexpr std::pair<const char*, OutputFormat> kFormats[] = {
      {"nagios", OutputFormat::nagios},
      {"json", OutputFormat::json},
      {"multi-line", OutputFormat::multi_line},
      {"mp-test-json", OutputFormat::mp_test_json},
  };
  const std::string f = to_lower(o.get("output-format"));
  for (const auto& [name, format] : kFormats)
    if (f == name) {
      c.format = format;
      return true;
    }
  return bad("--output-format",
             "'" + o.get("output-format") + "' (expected nagios, json, multi-line or mp-test-json)");
}

Expected<bool> read_credentials(const ParsedOptions& o, CheckConfig& c) {
  c.credentials.bearer_token_file = o.get_or_empty("bearer-token-file");
  c.credentials.bearer_token_env = o.get_or_empty("bearer-token-env");
  c.credentials.basic_auth_file = o.get_or_empty("basic-auth-file");
  c.credentials.header_file = o.get_or_empty("header-file");
  if (o.has("oauth2-token-url")) {
    OAuth2Config oauth{o.get("oauth2-token-url"), o.get_or_empty("oauth2-client-id"),
                       o.get_or_empty("oauth2-client-secret-file"), o.get_or_empty("oauth2-scope")};
    if (!valid_url(oauth.token_url))
      return bad("--oauth2-token-url", "'" + oauth.token_url + "' is not a valid http(s) URL");
    if (oauth.client_id.empty() || oauth.client_secret_file.empty())
      return bad("--oauth2-token-url", "needs --oauth2-client-id and --oauth2-client-secret-file");
    c.oauth2 = oauth;
  } else if (o.has("oauth2-client-id") || o.has("oauth2-client-secret-file") || o.has("oauth2-scope")) {
    return bad("--oauth2-client-id", "the OAuth 2.0 options need --oauth2-token-url");
  }
  return true;
}

Expected<bool> read_auth_checks(const ParsedOptions& o, CheckConfig& c) {
  if (o.has("token-expiry"))
    if (auto read = read_token_expiry(o.get("token-expiry"), c.policy); !read) return read;
  c.policy.check_auth_enforced = o.has("check-auth-enforced");
  return true;
}

Expected<bool> read_health(const ParsedOptions& o, CheckConfig& c) {
  if (!o.has("health")) return true;
  auto format = parse_health_format(o.get("health"));
  if (!format)
    return bad("--health", "'" + o.get("health") +
                               "' (expected auto, health+json, spring, microprofile, aspnet, k8s, terminus, "
                               "elasticsearch, etcd, consul, vault, text or generic)");
  c.policy.health = *format;
  return true;
}

Expected<bool> read_state(const ParsedOptions& o, CheckConfig& c) {
  c.state.enabled = !o.has("no-state");
  c.state.dir = o.get_or_empty("state-dir");
  c.state.key = o.get_or_empty("state-key");
  // What this check checks: its options, less those that only change how it
  // reports or where it keeps state.
  static const std::set<std::string> ignored{
      "verbose", "output-format", "state-dir", "state-key", "no-state", "timeout", "timeout-result",
      "extended-perfdata", "show-body", "link", "nohtml",
      // Each vantage and their combination are keyed by their own definitions.
      "vantage", "vantage-quorum"};
  for (const auto& option : o.vm) {
    if (ignored.count(option.first)) continue;
    c.state.identity += option.first + "=";
    const auto& value = option.second;
    if (value.value().type() == typeid(std::string))
      c.state.identity += value.as<std::string>();
    else if (value.value().type() == typeid(int))
      c.state.identity += std::to_string(value.as<int>());
    else if (value.value().type() == typeid(Strings))
      for (const auto& item : value.as<Strings>()) c.state.identity += item + "\n";
    c.state.identity += ";";
  }
  if (!c.state.dir.empty() && c.state.dir.front() != '/')
    return bad("--state-dir", "'" + c.state.dir + "' is not an absolute path");
  return true;
}

}  // namespace probewise
