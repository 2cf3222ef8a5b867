// SPDX-License-Identifier: GPL-2.0-or-later
#include "options.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

CheckConfig parse_ok(const std::vector<std::string>& args) {
  auto c = parse_check_options(args);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error());
  return c.ok() ? *c : CheckConfig{};
}

std::string parse_error(const std::vector<std::string>& args) {
  auto c = parse_check_options(args);
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : c.error();
}

TEST(Options, HostOnly) {
  auto c = parse_ok({"-H", "example.com"});
  EXPECT_EQ(c.spec.url, "http://example.com:80/");
  EXPECT_EQ(c.spec.connect_host, "");
  EXPECT_EQ(c.spec.connect_port, 0);
  EXPECT_EQ(c.policy.display_url, "http://example.com:80/");
}

// check_curl's virtual host handling: the Host header carries -H's port (or
// -p's), the connection goes to -I:-p.
TEST(Options, VirtualHostWithAddressAndPort) {
  auto c = parse_ok({"-H", "www.example.com:42", "-I", "127.0.0.1", "-p", "8080", "-u", "/v"});
  EXPECT_EQ(c.spec.url, "http://www.example.com:42/v");
  EXPECT_EQ(c.spec.connect_host, "127.0.0.1");
  EXPECT_EQ(c.spec.connect_port, 8080);
  c = parse_ok({"-H", "www.example.com", "-I", "127.0.0.1", "-p", "8080"});
  EXPECT_EQ(c.spec.url, "http://www.example.com:8080/");
  c = parse_ok({"-H", "www.example.com:443", "-I", "::1", "-S", "-p", "8443"});
  EXPECT_EQ(c.spec.url, "https://www.example.com:443/");
  EXPECT_EQ(c.spec.connect_host, "::1");
  c = parse_ok({"-I", "::1", "-p", "81"});
  EXPECT_EQ(c.spec.url, "http://[::1]:81/");
}

TEST(Options, HostPortWithoutDashPUsesIt) {
  auto c = parse_ok({"-H", "example.com:8080"});
  EXPECT_EQ(c.spec.url, "http://example.com:8080/");
  EXPECT_EQ(c.spec.connect_port, 0);
}

TEST(Options, AbsoluteUrlGoesThroughTheHostAsProxy) {
  auto c = parse_ok({"-I", "10.0.0.1", "-p", "3128", "-u", "http://example.com/x"});
  EXPECT_EQ(c.spec.url, "http://example.com/x");
  EXPECT_EQ(c.spec.proxy, "http://10.0.0.1:3128");
}

TEST(Options, SslVersions) {
  auto c = parse_ok({"-H", "h", "-S"});
  EXPECT_EQ(c.spec.url, "https://h:443/");
  EXPECT_EQ(c.spec.tls_min, TlsVersion::any);
  c = parse_ok({"-H", "h", "-S1.2"});
  EXPECT_EQ(c.spec.tls_min, TlsVersion::v1_2);
  EXPECT_TRUE(c.spec.tls_exact);
  c = parse_ok({"-H", "h", "--ssl=1.3+"});
  EXPECT_EQ(c.spec.tls_min, TlsVersion::v1_3);
  EXPECT_FALSE(c.spec.tls_exact);
  EXPECT_NE(parse_error({"-H", "h", "-S4"}).find("-S/--ssl"), std::string::npos);
  c = parse_ok({"-H", "h", "-C", "30,14"});
  EXPECT_EQ(c.spec.url, "https://h:443/");
  ASSERT_TRUE(c.policy.certificate.has_value());
  EXPECT_EQ(c.policy.certificate->warn_days, 30);
  EXPECT_EQ(c.policy.certificate->crit_days, 14);
  EXPECT_FALSE(c.policy.certificate->continue_after);
}

TEST(Options, VerboseCountsAndStickyShortOptions) {
  EXPECT_EQ(parse_ok({"-H", "h", "-vvv"}).render.verbosity, 3);
  EXPECT_EQ(parse_ok({"-H", "h", "-v", "-v"}).render.verbosity, 2);
  EXPECT_EQ(parse_ok({"-Hh", "-p8080"}).spec.url, "http://h:8080/");
}

TEST(Options, RequestShape) {
  auto c = parse_ok({"-H", "h", "-P", "a=b", "-T", "application/json", "-k", "X-A: 1", "-k", "X-B: 2", "-A",
                     "ua", "-a", "u:p", "-j", "PUT", "-N"});
  EXPECT_EQ(c.spec.method, "PUT");
  EXPECT_TRUE(c.spec.has_body);
  EXPECT_EQ(c.spec.body, "a=b");
  EXPECT_EQ(c.spec.content_type, "application/json");
  EXPECT_EQ(c.spec.headers, (std::vector<std::string>{"X-A: 1", "X-B: 2"}));
  EXPECT_EQ(c.spec.user_agent, "ua");
  EXPECT_EQ(c.spec.basic_auth, "u:p");
  EXPECT_TRUE(c.spec.no_body);
  EXPECT_EQ(parse_ok({"-H", "h", "-P", "x"}).spec.method, "POST");
}

TEST(Options, RedirectModes) {
  EXPECT_EQ(parse_ok({"-H", "h", "-f", "follow"}).spec.redirects, RedirectMode::follow);
  EXPECT_EQ(parse_ok({"-H", "h", "-f", "sticky"}).spec.redirects, RedirectMode::sticky);
  EXPECT_EQ(parse_ok({"-H", "h", "-f", "stickyport"}).spec.redirects, RedirectMode::stickyport);
  EXPECT_EQ(parse_ok({"-H", "h", "--onredirect=curl"}).spec.redirects, RedirectMode::curl);
  auto c = parse_ok({"-H", "h", "-f", "critical"});
  EXPECT_EQ(c.spec.redirects, RedirectMode::none);
  EXPECT_EQ(c.policy.redirect_state, State::critical);
  EXPECT_NE(parse_error({"-H", "h", "-f", "sideways"}).find("sideways"), std::string::npos);
}

// check_curl (2.3.3 and master, check_curl.c's 'C', 'J', 'K',
// CA_CERT_OPTION and, in master, 'D') and check_http turn TLS on for options
// that only mean something over TLS; port 443 unless -p says otherwise.
TEST(Options, TlsOnlyOptionsImplyTls) {
  for (const std::vector<std::string>& extra :
       std::vector<std::vector<std::string>>{{"-J", "c.pem", "-K", "k.pem"},
                                             {"-J", "c.pem"},
                                             {"--private-key", "k.pem"},
                                             {"--ca-cert", "ca.pem"},
                                             {"-D"},
                                             {"-C", "30"}}) {
    std::vector<std::string> args{"-H", "h", "-u", "/x"};
    args.insert(args.end(), extra.begin(), extra.end());
    EXPECT_EQ(parse_ok(args).spec.url, "https://h:443/x") << extra[0];
    args.insert(args.end(), {"-p", "8443"});
    EXPECT_EQ(parse_ok(args).spec.url, "https://h:8443/x") << extra[0];
  }
  // An -S version stays whatever comes after it.
  auto c = parse_ok({"-H", "h", "-S1.2", "-J", "c.pem", "-K", "k.pem"});
  EXPECT_EQ(c.spec.tls_min, TlsVersion::v1_2);
  EXPECT_EQ(c.spec.client_cert, "c.pem");
  EXPECT_EQ(c.spec.client_key, "k.pem");
  EXPECT_EQ(parse_ok({"-H", "h"}).spec.url, "http://h:80/");
}

// check_http and check_curl 2.3.3: a critical response time past the
// timeout raises the timeout to one second beyond it.
TEST(Options, CriticalBeyondTheTimeoutRaisesIt) {
  auto c = parse_ok({"-H", "h", "-t", "5", "-c", "12.5"});
  EXPECT_EQ(c.timeout_seconds, 13);
  EXPECT_EQ(c.spec.timeout_ms, 13000);
  EXPECT_DOUBLE_EQ(c.policy.timeout_seconds, 13);
  EXPECT_EQ(parse_ok({"-H", "h", "-t", "5", "-c", "4"}).timeout_seconds, 5);
  EXPECT_EQ(parse_ok({"-H", "h", "-t", "5", "-c", "20:"}).timeout_seconds, 5);  // no end to reach
  EXPECT_EQ(parse_ok({"-H", "h", "-c", "30"}).timeout_seconds, 31);
}

// check_http's words under that name (a link) or --compat; the option wins.
TEST(Options, CompatDialect) {
  EXPECT_EQ(parse_ok({"-H", "h"}).render.dialect, Dialect::check_curl);
  auto c = parse_check_options({"-H", "h"}, "check_http");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->render.dialect, Dialect::check_http);
  EXPECT_EQ(c->render.server_address, "h");
  c = parse_check_options({"-H", "h", "--compat=check_curl"}, "check_http");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->render.dialect, Dialect::check_curl);
  c = parse_check_options({"-H", "h", "-I", "192.0.2.1", "--compat", "CHECK_HTTP"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->render.dialect, Dialect::check_http);
  EXPECT_EQ(c->render.server_address, "192.0.2.1");
  EXPECT_NE(parse_error({"-H", "h", "--compat=nagios"}).find("--compat"), std::string::npos);
}

TEST(Options, OutputFormats) {
  const std::pair<const char*, OutputFormat> cases[] = {
      {"nagios", OutputFormat::nagios},
      {"json", OutputFormat::json},
      {"multi-line", OutputFormat::multi_line},
      {"Multi-Line", OutputFormat::multi_line},
      {"mp-test-json", OutputFormat::mp_test_json},
  };
  for (const auto& [name, format] : cases)
    EXPECT_EQ(parse_ok({"-H", "h", "--output-format", name}).format, format) << name;
}

TEST(Options, TimeoutsAndThresholds) {
  auto c = parse_ok({"-H", "h", "-t", "5", "-w", "1.5", "-c", "3", "--connect-timeout", "0.5",
                     "--timeout-result", "warning"});
  EXPECT_EQ(c.spec.timeout_ms, 5000);
  EXPECT_EQ(c.spec.connect_timeout_ms, 500);
  EXPECT_EQ(c.policy.timeout_state, State::warning);
  EXPECT_DOUBLE_EQ(c.policy.time.warning->end, 1.5);
  EXPECT_EQ(parse_ok({"-H", "h", "-t", "7:unknown"}).policy.timeout_state, State::unknown);
}

TEST(Options, Expectations) {
  auto c = parse_ok({"-H",
                     "h",
                     "-e",
                     "200,201",
                     "-s",
                     "x",
                     "-d",
                     "y",
                     "-R",
                     "a.*b",
                     "--invert-regex",
                     "--state-regex",
                     "warning",
                     "-m",
                     "10:20000",
                     "-M",
                     "2h",
                     "--expect-status",
                     "2xx,304",
                     "--status-state",
                     "401=critical"});
  EXPECT_EQ(c.policy.expect_status_line, (std::vector<std::string>{"200", "201"}));
  EXPECT_EQ(c.policy.body_string, "x");
  EXPECT_EQ(c.policy.header_string, "y");
  ASSERT_TRUE(c.policy.regex);
  EXPECT_TRUE(c.policy.regex->icase);
  EXPECT_TRUE(c.policy.regex->invert);
  EXPECT_EQ(c.policy.regex->state, State::warning);
  EXPECT_EQ(*c.policy.min_size, 10);
  EXPECT_EQ(*c.policy.max_size, 20000);
  EXPECT_EQ(*c.policy.max_age_seconds, 7200);
  EXPECT_TRUE(c.policy.expect_status->contains(304));
  EXPECT_EQ(c.policy.status_states.find(401)->state, State::critical);
}

TEST(Options, ErrorsNameTheOption) {
  EXPECT_NE(parse_error({"-H", "h", "--bogus"}).find("--bogus"), std::string::npos);
  EXPECT_NE(parse_error({"-H", "h", "-w", "x"}).find("-w/--warning"), std::string::npos);
  EXPECT_NE(parse_error({"-H", "h", "-p", "70000"}).find("-p/--port"), std::string::npos);
  EXPECT_NE(parse_error({"-H", "h", "-r", "("}).find("--regex"), std::string::npos);
  EXPECT_NE(parse_error({"-H", "h", "--expect-status", "2yy"}).find("--expect-status"), std::string::npos);
  EXPECT_NE(parse_error({"-H", "h", "--output-format", "xml"}).find("--output-format"), std::string::npos);
  EXPECT_NE(parse_error({"-H", "h", "-t", "0"}).find("-t/--timeout"), std::string::npos);
  EXPECT_NE(parse_error({"-u", "/"}).find("-H"), std::string::npos);
  EXPECT_NE(parse_error({"-H", "h", "-p"}).find("port"), std::string::npos);
}

TEST(Options, HelpAndVersionWin) {
  EXPECT_EQ(parse_ok({"-h"}).action, Action::help);
  EXPECT_EQ(parse_ok({"--version"}).action, Action::version);
  std::string help = check_help_text();
  for (const char* opt :
       {"--hostname", "--onredirect", "--expect-status", "--status-state", "--output-format",
        "--connect-timeout", "--haproxy-protocol", "--cookie-jar", "--noproxy"})
    EXPECT_NE(help.find(opt), std::string::npos) << opt;
}

}  // namespace
}  // namespace probewise
