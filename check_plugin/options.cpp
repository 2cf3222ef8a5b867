// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <regex.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include "base/text.h"
#include "base/version.h"
#include "http/request.h"

namespace po = boost::program_options;

namespace probewise {
namespace {

using Strings = std::vector<std::string>;

// One description serves parsing and --help. Options that make no sense
// with libcurl are accepted and say so.
po::options_description describe() {
  po::options_description d("Options");
  auto str = [] { return po::value<std::string>(); };
  d.add_options()("help,h", "Print detailed help and exit (state UNKNOWN, as the guidelines say)")(
      "version,V", "Print the version, with the libcurl line, and exit")(
      "verbose,v",
      "Trace the request and response on stdout (-vv headers and body, -vvv libcurl); "
      "credentials are shown as [redacted]")("extra-opts", po::value<std::string>()->implicit_value(""),
                                             "Read options from an ini file: --extra-opts=[section][@file]")(
      "hostname,H", str(), "Host name for the Host header and SNI; append :PORT to put a port in the header")(
      "IP-address,I", str(), "Address to connect to, leaving the Host header as it is")(
      "port,p", po::value<int>(), "Port (default: 80, or 443 with -S)")("use-ipv4,4", "Use IPv4 only")(
      "use-ipv6,6", "Use IPv6 only")(
      "url,u", str(),
      "Path to request (default: /); a full URL sends the request through -H/-I:-p as a proxy")(
      "ssl,S", po::value<std::string>()->implicit_value(""),
      "Connect with TLS; VERSION (1, 1.1, 1.2, 1.3) pins the version, VERSION+ sets the minimum")(
      "sni", "Send SNI (always on with libcurl; accepted for compatibility)")(
      "certificate,C", str(),
      "Days the certificate must still be valid: WARN[,CRIT]; checks only the "
      "certificate unless --continue-after-certificate")("continue-after-certificate",
                                                         "With -C, also run the HTTP checks")(
      "client-cert,J", str(), "Client certificate file (PEM)")("private-key,K", str(),
                                                               "Private key of the client certificate (PEM)")(
      "ca-cert", str(), "CA certificate file to verify the peer against")(
      "verify-cert,D", "Verify the peer's certificate and host name")(
      "expect,e", str(),
      "Comma-separated strings, one of which must be in the status line "
      "(skips all other status logic)")(
      "expect-status", str(),
      "Status codes that count as OK: codes, ranges and classes, e.g. 200-299,401 or 2xx,304")(
      "status-state", str(), "Per-status verdicts, e.g. 401=critical,403=ok,4xx=critical,503=warning")(
      "header-string,d", str(), "String to expect in the response headers")(
      "string,s", str(), "String to expect in the body")("regex,r", str(),
                                                         "Extended regular expression to expect in the body")(
      "ereg", str(), "Same as --regex")("eregi,R", str(),
                                        "Case-insensitive regular expression to expect in the body")(
      "linespan,l", "Let the regular expression span lines (give it before -r/-R)")(
      "invert-regex", "Return the --state-regex state if the expression is found, OK if not")(
      "state-regex", str(), "State for a regular expression mismatch: critical (default) or warning")(
      "authorization,a", str(), "user:password for Basic authentication")("proxy-authorization,b", str(),
                                                                          "user:password for the proxy")(
      "proxy,x", str(),
      "Proxy as scheme://host:port (http, https, socks4, socks4a, socks5, socks5h); "
      "overrides http_proxy/https_proxy")(
      "noproxy", str(),
      "Comma-separated hosts, domains, addresses and CIDR blocks that bypass the proxy; * for all")(
      "useragent,A", str(), "User-Agent to send")("header,k", po::value<Strings>()->composing(),
                                                  "Extra request header, may be repeated")(
      "post,P", str(), "Request body (makes the method POST unless -j says otherwise)")(
      "method,j", str(), "HTTP method, e.g. HEAD, OPTIONS, PUT, DELETE")(
      "no-body,N", "Do not wait for the body: stop after the headers")(
      "max-age,M", str(), "Warn if the document is older than SECONDS (or Nm, Nh, Nd)")(
      "content-type,T", str(), "Content-Type of the request body")("pagesize,m", str(),
                                                                   "Page size in bytes: MIN[:MAX]")(
      "extended-perfdata,E",
      "Add time_connect, time_ssl, time_headers, time_firstbyte, time_transfer perfdata")(
      "show-body,B", "Print the body below the status line")(
      "link,L", "Wrap output in an HTML link (obsolete; accepted and ignored)")(
      "nohtml,n", "No HTML in the output (always so; accepted for compatibility)")(
      "onredirect,f", str(),
      "On a redirect: ok|warning|critical|unknown report it with that state; "
      "follow|sticky|stickyport follow it (sticky keeps the address, stickyport "
      "also the port); curl lets libcurl follow")("max-redirs", po::value<int>(),
                                                  "Maximum redirects to follow (default: 15)")(
      "http-version", str(), "HTTP version: 1.0, 1.1, 2, 2.0 or 3")("enable-automatic-decompression",
                                                                    "Ask for and decode compressed bodies")(
      "haproxy-protocol", "Send a HAProxy PROXY protocol v1 header")(
      "cookie-jar", str(), "Keep cookies in FILE (an empty name turns on cookies without a file)")(
      "warning,w", str(), "Response time range (seconds) for WARNING")(
      "critical,c", str(), "Response time range (seconds) for CRITICAL")(
      "timeout,t", str(),
      "Seconds before the check gives up (default: 10); N:STATE also sets the timeout state")(
      "connect-timeout", po::value<double>(), "Seconds allowed for connecting (default: the whole timeout)")(
      "timeout-result", str(), "State on a timeout: ok|warning|critical|unknown (default: critical)")(
      "output-format", str(), "nagios (default) or json: one JSON object on stdout, same exit code")(
      "bearer-token-file", str(),
      "Send 'Authorization: Bearer <token>' with the token from the first line of FILE")(
      "bearer-token-env", str(),
      "Send 'Authorization: Bearer <token>' with the token from environment variable VAR")(
      "basic-auth-file", str(), "Basic authentication with user:password from the first line of FILE")(
      "header-file", str(), "Extra request headers from FILE, one 'Name: value' per line (for secrets)")(
      "oauth2-token-url", str(),
      "Fetch the bearer token from this OAuth 2.0 token endpoint (client credentials)")(
      "oauth2-client-id", str(), "OAuth 2.0 client id")("oauth2-client-secret-file", str(),
                                                        "OAuth 2.0 client secret, first line of FILE")(
      "oauth2-scope", str(), "OAuth 2.0 scope to ask for")(
      "token-expiry", str(),
      "Days before the monitor's own token expires to warn: WARN[,CRIT] (default 7,1; 'off' disables)")(
      "check-auth-enforced",
      "Also send the request without credentials: CRITICAL unless refused with 401/403")(
      "state-dir", str(), "Where the last result of each check is kept, for change detection")(
      "state-key", str(), "Name this check's state (default: derived from the request)")(
      "no-state", "Do not remember results (no change detection)")(
      "health", po::value<std::string>()->implicit_value("auto"),
      "Judge the body as a health document: auto (default), health+json, spring, microprofile, aspnet, k8s");
  return d;
}

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

struct Parsed {
  po::variables_map vm;
  int verbosity = 0;
  std::vector<std::string> positional;
};

Expected<Parsed> run_parser(const std::vector<std::string>& args) {
  Parsed p;
  po::options_description d = describe();
  po::parsed_options parsed =
      po::command_line_parser(args)
          .options(d)
          .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
          .allow_unregistered()
          .run();
  for (const auto& o : parsed.options) {
    if (o.unregistered) {
      if (o.position_key >= 0 || (!o.original_tokens.empty() && o.original_tokens[0].front() != '-')) {
        p.positional.insert(p.positional.end(), o.original_tokens.begin(), o.original_tokens.end());
        continue;
      }
      return Error{"unknown option '" + (o.original_tokens.empty() ? o.string_key : o.original_tokens[0]) +
                   "'"};
    }
    if (o.string_key == "verbose") ++p.verbosity;
  }
  // -v counts; store each other option as given.
  bool kept = false;
  auto& opts = parsed.options;
  opts.erase(std::remove_if(opts.begin(), opts.end(),
                            [&](const po::option& o) {
                              if (o.unregistered) return true;
                              if (o.string_key != "verbose") return false;
                              bool drop = kept;
                              kept = true;
                              return drop;
                            }),
             opts.end());
  po::store(parsed, p.vm);
  po::notify(p.vm);
  return p;
}

}  // namespace

std::string check_help_text() {
  std::ostringstream out;
  out << "check_probewise - HTTP(S) endpoint check that explains its verdict\n\n"
      << "A drop-in for monitoring-plugins' check_curl and check_http: the same options,\n"
      << "exit codes and status line, plus a diagnosis of denials, change detection and\n"
      << "JSON output. One or both of -H and -I must be given.\n\n"
      << "Usage: check_probewise -H <vhost> | -I <IP-address> [-u <uri>] [-p <port>]\n"
      << "       [-J <client certificate file>] [-K <private key>] [--ca-cert <file>] [-D]\n"
      << "       [-w <warn time>] [-c <critical time>] [-t <timeout>] [-L] [-E] [-a auth]\n"
      << "       [-b proxy_auth] [-f <ok|warning|critical|follow|sticky|stickyport|curl>]\n"
      << "       [-e <expect>] [-d string] [-s string] [-l] [-r <regex> | -R <case-insensitive regex>]\n"
      << "       [-P string] [-m <min_pg_size>:<max_pg_size>] [-4|-6] [-N] [-M <age>]\n"
      << "       [-A string] [-k string] [-S <version>] [--sni] [-C <warn_age>[,<crit_age>]]\n"
      << "       [-T <content-type>] [-j method] [--expect-status LIST] [--status-state LIST]\n"
      << "       [--output-format nagios|json] [--connect-timeout SECONDS]\n\n"
      << describe() << "\n"
      << "Ranges (-w, -c) use the Nagios syntax: 10, 10:, ~:10, 10:20, @10:20.\n"
      << "Verdicts: a status line that -e does not match is CRITICAL, 4xx WARNING, 5xx\n"
      << "CRITICAL, 3xx as -f says, connection failures and timeouts CRITICAL, bad\n"
      << "arguments UNKNOWN. --expect-status and --status-state change them.\n"
      << "Certificates are only verified with -D (as check_curl); --sni and -n are\n"
      << "always in effect with libcurl and -L is ignored.\n";
  return out.str();
}

Expected<CheckConfig> parse_check_options(const std::vector<std::string>& args) {
  Parsed p;
  try {
    auto r = run_parser(args);
    if (!r) return Error{r.error()};
    p = std::move(r).value();
  } catch (const po::error& e) {
    return Error{e.what()};
  }
  const po::variables_map& vm = p.vm;
  auto has = [&](const char* name) { return vm.count(name) > 0; };
  auto get = [&](const char* name) { return vm[name].as<std::string>(); };

  CheckConfig c;
  if (has("help")) {
    c.action = Action::help;
    return c;
  }
  if (has("version")) {
    c.action = Action::version;
    return c;
  }
  RequestSpec& s = c.spec;
  Policy& pol = c.policy;
  c.render.verbosity = s.verbosity = p.verbosity;
  c.render.extended_perfdata = has("extended-perfdata");
  c.render.show_body = has("show-body");

  // Where to connect and what to ask for.
  HostPort vhost;
  if (has("hostname")) {
    auto h = parse_host(get("hostname"));
    if (!h) return Error{h.error()};
    vhost = *h;
  } else if (!p.positional.empty()) {
    auto h = parse_host(p.positional.front());
    if (!h) return Error{h.error()};
    vhost = *h;
  }
  std::string address = has("IP-address") ? get("IP-address") : "";
  if (!address.empty() && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  if (vhost.host.empty() && address.empty())
    return Error{"you must specify a host name (-H) or an address (-I)"};

  bool ssl = has("ssl") || has("certificate");
  if (has("ssl")) {
    std::string v = get("ssl");
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
      return bad("-S/--ssl", "'" + get("ssl") + "' (expected 1, 1.1, 1.2 or 1.3, optionally with +)");
  }
  int port = ssl ? 443 : 80;
  if (has("port")) {
    port = vm["port"].as<int>();
    if (port < 1 || port > 65535) return bad("-p/--port", std::to_string(port) + " is not a port number");
  } else if (vhost.port) {
    port = vhost.port;
  }
  const std::string scheme = ssl ? "https" : "http";
  std::string path = has("url") ? get("url") : "/";
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
  pol.display_url = scheme + "://" + host + ":" + std::to_string(port) + path;

  if (has("use-ipv4")) s.ip_family = IpFamily::v4;
  if (has("use-ipv6")) s.ip_family = IpFamily::v6;

  // TLS
  if (has("verify-cert")) s.verify_peer = s.verify_host = true;
  if (has("ca-cert")) s.ca_file = get("ca-cert");
  if (has("client-cert")) s.client_cert = get("client-cert");
  if (has("private-key")) s.client_key = get("private-key");
  if (has("certificate")) {
    const std::string days = get("certificate");
    auto parts = split(days, ',');
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
    ce.continue_after = has("continue-after-certificate");
    pol.certificate = ce;
  }

  // Request
  if (has("method")) s.method = get("method");
  if (has("post")) {
    s.has_body = true;
    s.body = get("post");
    if (s.method.empty()) s.method = "POST";
  }
  if (has("content-type")) s.content_type = get("content-type");
  if (has("no-body")) s.no_body = true;
  if (has("header")) s.headers = vm["header"].as<Strings>();
  s.user_agent = has("useragent") ? get("useragent")
                                  : "check_probewise/v" PROBEWISE_VERSION
                                    " (probewise; monitoring-plugins compatible)";
  if (has("authorization")) s.basic_auth = get("authorization");
  if (has("proxy-authorization")) s.proxy_auth = get("proxy-authorization");
  if (has("proxy")) s.proxy = get("proxy");
  if (has("noproxy")) s.noproxy = get("noproxy");
  s.haproxy_protocol = has("haproxy-protocol");
  s.decompress = has("enable-automatic-decompression");
  if (has("cookie-jar")) {
    s.cookie_engine = true;
    s.cookie_jar = get("cookie-jar");
  }
  if (has("http-version")) {
    std::string v = get("http-version");
    if (v == "1.0")
      s.http_version = HttpVersion::v1_0;
    else if (v == "1.1")
      s.http_version = HttpVersion::v1_1;
    else if (v == "2" || v == "2.0")
      s.http_version = ssl ? HttpVersion::v2_tls : HttpVersion::v2;
    else if (v == "3")
      s.http_version = HttpVersion::v3;
    else
      return bad("--http-version", "'" + v + "' (expected 1.0, 1.1, 2, 2.0 or 3)");
  }

  // Redirects
  if (has("onredirect")) {
    std::string v = to_lower(get("onredirect"));
    if (v == "follow")
      s.redirects = RedirectMode::follow;
    else if (v == "sticky")
      s.redirects = RedirectMode::sticky;
    else if (v == "stickyport")
      s.redirects = RedirectMode::stickyport;
    else if (v == "curl")
      s.redirects = RedirectMode::curl;
    else if (auto st = parse_state(v))
      pol.redirect_state = *st;
    else
      return bad("-f/--onredirect",
                 "'" + v + "' (expected ok, warning, critical, unknown, follow, sticky, stickyport or curl)");
  }
  if (has("max-redirs")) {
    s.max_redirects = vm["max-redirs"].as<int>();
    if (s.max_redirects < 0) return bad("--max-redirs", "must not be negative");
  }

  // Timeouts
  if (has("timeout")) {
    std::string v = get("timeout");
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
  if (has("timeout-result")) {
    auto st = parse_state(get("timeout-result"));
    if (!st)
      return bad("--timeout-result",
                 "'" + get("timeout-result") + "' (expected ok, warning, critical or unknown)");
    pol.timeout_state = *st;
  }
  s.timeout_ms = c.timeout_seconds * 1000L;
  pol.timeout_seconds = c.timeout_seconds;
  if (has("connect-timeout")) {
    double v = vm["connect-timeout"].as<double>();
    if (!(v > 0)) return bad("--connect-timeout", "must be more than 0 seconds");
    s.connect_timeout_ms = static_cast<long>(v * 1000);
  }

  // Expectations
  if (has("expect")) {
    const std::string expect = get("expect");
    for (auto item : split(expect, ',')) pol.expect_status_line.emplace_back(item);
    if (pol.expect_status_line.empty()) return bad("-e/--expect", "empty list");
  }
  if (has("expect-status")) {
    auto set = parse_status_set(get("expect-status"));
    if (!set) return bad("--expect-status", set.error());
    pol.expect_status = *set;
  }
  if (has("status-state")) {
    auto st = parse_status_states(get("status-state"));
    if (!st) return bad("--status-state", st.error());
    pol.status_states = *st;
  }
  if (has("header-string")) pol.header_string = get("header-string");
  if (has("string")) pol.body_string = get("string");
  const char* regex_option = has("eregi") ? "eregi" : has("regex") ? "regex" : has("ereg") ? "ereg" : nullptr;
  if (regex_option) {
    RegexExpectation rx;
    rx.pattern = get(regex_option);
    rx.icase = std::string(regex_option) == "eregi";
    rx.linespan = has("linespan");
    rx.invert = has("invert-regex");
    if (has("state-regex")) {
      auto st = parse_state(get("state-regex"));
      if (!st || *st == State::ok || *st == State::unknown)
        return bad("--state-regex", "'" + get("state-regex") + "' (expected critical or warning)");
      rx.state = *st;
    }
    regex_t re;
    int flags = REG_EXTENDED | REG_NOSUB | (rx.icase ? REG_ICASE : 0) | (rx.linespan ? 0 : REG_NEWLINE);
    if (int err = regcomp(&re, rx.pattern.c_str(), flags); err != 0) {
      char msg[256];
      regerror(err, &re, msg, sizeof msg);
      return bad(std::string("--") + regex_option, "'" + rx.pattern + "': " + msg);
    }
    regfree(&re);
    pol.regex = rx;
  }
  if (has("pagesize")) {
    std::string v = get("pagesize");
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
  }
  if (has("max-age")) {
    auto age = parse_age(get("max-age"));
    if (!age) return Error{age.error()};
    pol.max_age_seconds = *age;
  }
  if (has("warning")) {
    auto r = parse_range(get("warning"));
    if (!r) return bad("-w/--warning", r.error());
    pol.time.warning = *r;
  }
  if (has("critical")) {
    auto r = parse_range(get("critical"));
    if (!r) return bad("-c/--critical", r.error());
    pol.time.critical = *r;
  }
  if (has("output-format")) {
    std::string f = to_lower(get("output-format"));
    if (f == "nagios")
      c.format = OutputFormat::nagios;
    else if (f == "json")
      c.format = OutputFormat::json;
    else
      return bad("--output-format", "'" + f + "' (expected nagios or json)");
  }
  // Credentials, state and the monitor's own token.
  auto opt_or_empty = [&](const char* name) { return has(name) ? get(name) : std::string(); };
  c.credentials.bearer_token_file = opt_or_empty("bearer-token-file");
  c.credentials.bearer_token_env = opt_or_empty("bearer-token-env");
  c.credentials.basic_auth_file = opt_or_empty("basic-auth-file");
  c.credentials.header_file = opt_or_empty("header-file");
  if (has("oauth2-token-url")) {
    OAuth2Config o{get("oauth2-token-url"), opt_or_empty("oauth2-client-id"),
                   opt_or_empty("oauth2-client-secret-file"), opt_or_empty("oauth2-scope")};
    if (!valid_url(o.token_url))
      return bad("--oauth2-token-url", "'" + o.token_url + "' is not a valid http(s) URL");
    if (o.client_id.empty() || o.client_secret_file.empty())
      return bad("--oauth2-token-url", "needs --oauth2-client-id and --oauth2-client-secret-file");
    c.oauth2 = o;
  } else if (has("oauth2-client-id") || has("oauth2-client-secret-file") || has("oauth2-scope")) {
    return bad("--oauth2-client-id", "the OAuth 2.0 options need --oauth2-token-url");
  }
  if (has("token-expiry")) {
    std::string v = get("token-expiry");
    if (to_lower(v) == "off") {
      pol.token_expiry.enabled = false;
    } else {
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
    }
  }
  pol.check_auth_enforced = has("check-auth-enforced");
  if (has("health")) {
    auto format = parse_health_format(get("health"));
    if (!format)
      return bad("--health",
                 "'" + get("health") + "' (expected auto, health+json, spring, microprofile, aspnet or k8s)");
    pol.health = *format;
  }
  c.state.enabled = !has("no-state");
  c.state.dir = opt_or_empty("state-dir");
  c.state.key = opt_or_empty("state-key");
  // What this check checks: its options, less those that only change how it
  // reports or where it keeps state.
  for (const auto& o : p.vm) {
    static const std::set<std::string> ignored{
        "verbose",        "output-format",     "state-dir", "state-key", "no-state", "timeout",
        "timeout-result", "extended-perfdata", "show-body", "link",      "nohtml"};
    if (ignored.count(o.first)) continue;
    c.state.identity += o.first + "=";
    if (o.second.value().type() == typeid(std::string))
      c.state.identity += o.second.as<std::string>();
    else if (o.second.value().type() == typeid(int))
      c.state.identity += std::to_string(o.second.as<int>());
    else if (o.second.value().type() == typeid(Strings))
      for (const auto& item : o.second.as<Strings>()) c.state.identity += item + "\n";
    c.state.identity += ";";
  }
  if (!c.state.dir.empty() && c.state.dir.front() != '/')
    return bad("--state-dir", "'" + c.state.dir + "' is not an absolute path");

  s.want_certificate =
      pol.certificate.has_value() || c.format == OutputFormat::json || c.render.verbosity > 0;
  return c;
}

}  // namespace probewise
