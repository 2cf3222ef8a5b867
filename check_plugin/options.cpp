// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <sstream>

#include "command_line.h"
#include "option_readers.h"
#include "secrets/redact.h"

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
      "source-address", str(), "Leave from this source address of the host")(
      "interface", str(), "Leave through this network interface")(
      "vantage", po::value<Strings>()->composing(),
      "Probe from several vantages at once and compare their answers: NAME=source:ADDRESS, "
      "NAME=interface:IF, NAME=via:PROXY_URL[,proxy-auth-file=FILE][,proxy-ca-cert=FILE] (http, https, "
      "socks4, "
      "socks4a, socks5, socks5h; the auth file holds user:password, the CA verifies an https proxy), or "
      "NAME=direct (the check's own way out); repeat for each")(
      "vantage-quorum", po::value<int>(),
      "How many vantages must fail on the network path for CRITICAL (default: all of them)")("use-ipv6,6",
                                                                                             "Use IPv6 only")(
      "url,u", str(),
      "Path to request (default: /); a full URL sends the request through -H/-I:-p as a proxy")(
      "ssl,S", po::value<std::string>()->implicit_value(""),
      "Connect with TLS; VERSION (1, 1.1, 1.2, 1.3) pins the version, VERSION+ sets the minimum")(
      "sni", "Send SNI (always on with libcurl; accepted for compatibility)")(
      "certificate,C", str(),
      "Days the certificate must still be valid: WARN[,CRIT]; checks only the "
      "certificate unless --continue-after-certificate")("continue-after-certificate",
                                                         "With -C, also run the HTTP checks")(
      "client-cert,J", str(), "Client certificate file (PEM); implies -S")(
      "private-key,K", str(), "Private key of the client certificate (PEM); implies -S")(
      "ca-cert", str(), "CA certificate file to verify the peer against; implies -S")(
      "verify-cert,D", "Verify the peer's certificate and host name; implies -S (as current check_curl)")(
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
      "useragent,A", str(), "User-Agent to send")(
      "header,k", po::value<Strings>()->composing(),
      "Extra request header, may be repeated; unless it is a standard header without secrets (see below) it "
      "goes only to the URL's origin and its value is never shown")(
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
      "also the port); curl follows as libcurl does (POST becomes GET on 301-303). "
      "Credentials go only to the URL's origin")("max-redirs", po::value<int>(),
                                                 "Maximum redirects to follow (default: 15)")(
      "http-version", str(), "HTTP version: 1.0, 1.1, 2, 2.0 or 3")("enable-automatic-decompression",
                                                                    "Ask for and decode compressed bodies")(
      "haproxy-protocol", "Send a HAProxy PROXY protocol v1 header")(
      "cookie-jar", str(), "Keep cookies in FILE (an empty name turns on cookies without a file)")(
      "warning,w", str(), "Response time range (seconds) for WARNING")(
      "critical,c", str(),
      "Response time range (seconds) for CRITICAL (beyond -t, it raises -t to one second past it)")(
      "timeout,t", str(),
      "Seconds before the check gives up (default: 10); N:STATE also sets the timeout state")(
      "connect-timeout", po::value<double>(), "Seconds allowed for connecting (default: the whole timeout)")(
      "timeout-result", str(), "State on a timeout: ok|warning|critical|unknown (default: critical)")(
      "output-format", str(),
      "nagios (default); json: one JSON object on stdout, same exit code; multi-line and "
      "mp-test-json: current upstream check_curl's formats, a tree of subchecks as text or as JSON "
      "(mp-test-json exits 0)")(
      "compat", str(),
      "Whose words the status line speaks where check_curl and check_http differ: check_curl "
      "(default) or check_http (the default when the binary runs under the name check_http)")(
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
      "Judge the body as a health document: auto (default), health+json, spring, microprofile, aspnet, k8s, "
      "terminus, elasticsearch, etcd, consul, vault, text, generic");
  return d;
}

Expected<ParsedOptions> run_parser(const std::vector<std::string>& args) {
  ParsedOptions p;
  po::options_description d = describe();
  auto sliced = parse_command_line(
      args, d, po::command_line_style::default_style & ~po::command_line_style::allow_guessing);
  if (!sliced) return Error{sliced.error()};
  po::parsed_options parsed = std::move(sliced).value();
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
  store_options(parsed, p.vm);
  po::notify(p.vm);
  return p;
}

// Words into lines of at most `width` characters.
std::string wrapped(const std::string& text, std::size_t width) {
  std::string out, line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line + "\n";
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
      << "       [--output-format nagios|json|multi-line|mp-test-json] [--compat check_curl|check_http]\n"
      << "       [--connect-timeout SECONDS]\n\n"
      << describe() << "\n"
      << "Ranges (-w, -c) use the Nagios syntax: 10, 10:, ~:10, 10:20, @10:20.\n"
      << "Verdicts: a status line that -e does not match is CRITICAL, 4xx WARNING, 5xx\n"
      << "CRITICAL, 3xx as -f says, connection failures and timeouts CRITICAL, bad\n"
      << "arguments UNKNOWN. --expect-status and --status-state change them.\n"
      << "Certificates are only verified with -D (as check_curl); --sni and -n are\n"
      << "always in effect with libcurl and -L is ignored.\n"
      << "Credentials and the headers of -k and --header-file go only to the URL's\n"
      << "origin (scheme, host, port); a redirect elsewhere is followed without them.\n"
      << "Of the -k headers only these standard ones, which carry no secret, go along\n"
      << "(the lines of a header file never do):\n"
      << wrapped(public_header_names() + ".", 78);
  return out.str();
}

Expected<CheckConfig> parse_check_options(const std::vector<std::string>& args,
                                          const std::string& invoked_as) {
  ParsedOptions parsed;
  try {
    auto r = run_parser(args);
    if (!r) return Error{r.error()};
    parsed = std::move(r).value();
  } catch (const po::error& e) {
    return Error{e.what()};
  }
  CheckConfig c;
  if (invoked_as == "check_http") c.render.dialect = Dialect::check_http;
  if (parsed.has("help")) {
    c.action = Action::help;
    return c;
  }
  if (parsed.has("version")) {
    c.action = Action::version;
    return c;
  }
  // In this order: the first bad option is the one named.
  static constexpr OptionReader kReaders[] = {
      read_line_breaks, read_output_basics, read_target,   read_tls,          read_request,
      read_redirects,   read_thresholds,    read_timeouts, read_expectations, read_output_format,
      read_credentials, read_auth_checks,   read_health,   read_state,        read_vantages,
  };
  for (OptionReader read : kReaders)
    if (auto read_ok = read(parsed, c); !read_ok) return Error{read_ok.error()};
  c.spec.want_certificate =
      c.policy.certificate.has_value() || c.format == OutputFormat::json || c.render.verbosity > 0;
  return c;
}

}  // namespace probewise
