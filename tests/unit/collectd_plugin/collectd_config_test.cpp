// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/config: <Plugin probewise> trees (as collectd's parser
// builds them) to endpoints, and the errors a bad block gives.
#include "config.h"
#include "report.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <functional>

#include "collectd_plugin/collectd_tree.h"

namespace probewise {
namespace {

using testing::Endpoint;
using testing::Key;
using testing::Node;
using testing::Plugin;
using testing::Tree;

ConfigResult read(const Node& plugin, double interval = 10) {
  Tree tree(plugin);
  return read_config(tree.root(), interval);
}

std::string all(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

const EndpointConfig& only(const ConfigResult& r) {
  EXPECT_EQ(r.config.endpoints.size(), 1u) << all(r.errors);
  static EndpointConfig none;
  return r.config.endpoints.empty() ? none : r.config.endpoints.front();
}

// SPEC 2's example block.
TEST(CollectdConfig, SpecExample) {
  auto r = read(Plugin(
      {Key("MaxConcurrency", 256),
       Endpoint("api", {Key("URL", "https://api.example.com/v1/health"),
                        Key("BearerTokenFile", "/etc/collectd/api.token"), Key("ExpectStatus", "200-299"),
                        Key("Health", true), Key("Timeout", 5), Key("Interval", 30)})}));
  EXPECT_TRUE(r.errors.empty()) << all(r.errors);
  const EndpointConfig& e = only(r);
  EXPECT_EQ(r.config.max_concurrency, 256);
  EXPECT_EQ(e.name, "api");
  EXPECT_EQ(e.url, "https://api.example.com/v1/health");
  EXPECT_EQ(e.credentials().bearer_token_file, "/etc/collectd/api.token");
  ASSERT_TRUE(e.job().policy.expect_status);
  EXPECT_TRUE(e.job().policy.expect_status->contains(204));
  EXPECT_FALSE(e.job().policy.expect_status->contains(401));
  ASSERT_TRUE(e.job().policy.health);
  EXPECT_EQ(*e.job().policy.health, HealthFormat::auto_detect);
  EXPECT_EQ(e.job().spec.max_body_bytes, kMaxHealthBodyBytes) << "a health document may be larger";
  EXPECT_EQ(e.job().spec.timeout_ms, 5000);
  EXPECT_EQ(e.job().policy.timeout_seconds, 5);
  EXPECT_EQ(e.interval_s(), 30);
  EXPECT_TRUE(e.job().spec.want_certificate) << "timeleft-tls needs the certificate";
}

TEST(CollectdConfig, Defaults) {
  auto r = read(Plugin({Endpoint("web", {Key("URL", "http://127.0.0.1:8080/")})}), 2.5);
  const EndpointConfig& e = only(r);
  EXPECT_EQ(r.config.max_concurrency, 0) << "not set: it follows the load";
  EXPECT_EQ(e.interval_s(), 2.5) << "collectd's interval for the plugin";
  EXPECT_EQ(e.job().spec.timeout_ms, 2500) << "no longer than the interval, at most 10 s";
  EXPECT_EQ(e.job().spec.max_body_bytes, kDefaultMaxBodyBytes);
  EXPECT_EQ(e.job().spec.method, "");
  EXPECT_TRUE(e.job().spec.verify_peer) << "collectd's curl plugins verify by default";
  EXPECT_TRUE(e.job().spec.verify_host);
  EXPECT_EQ(e.job().spec.redirects, RedirectMode::none);
  EXPECT_FALSE(e.job().spec.want_certificate);
  EXPECT_EQ(e.job().spec.user_agent, default_user_agent());
  EXPECT_TRUE(e.job().state.enabled);
  EXPECT_EQ(e.job().state.dir, "");
  EXPECT_FALSE(e.job().oauth2);
  EXPECT_EQ(e.url, "http://127.0.0.1:8080/");
  EXPECT_EQ(e.spec().url, e.url);
  EXPECT_EQ(e.job().policy.display_url, "") << "messages name the URL asked";
  auto slow = read(Plugin({Endpoint("web", {Key("URL", "http://127.0.0.1:8080/")})}), 60);
  EXPECT_EQ(only(slow).job().spec.timeout_ms, 10000);
}

// Blocks that say the same apart from their URL share one copy of their
// settings (100,000 endpoints written alike); any other difference, the
// URL's scheme included, gives them their own.
TEST(CollectdConfig, BlocksWrittenAlikeShareTheirSettings) {
  auto r = read(Plugin({
      Endpoint("a", {Key("URL", "http://127.0.0.1:8080/a"), Key("Timeout", 3)}),
      Endpoint("b", {Key("URL", "http://127.0.0.1:8081/b"), Key("Timeout", 3)}),
      Endpoint("c", {Key("Timeout", 3), Key("URL", "http://127.0.0.1:8080/c")}),
      Endpoint("d", {Key("URL", "http://127.0.0.1:8080/d"), Key("Timeout", 4)}),
      Endpoint("e", {Key("URL", "HTTPS://127.0.0.1:8443/e"), Key("Timeout", 3)}),
      Endpoint("f", {Key("URL", "https://127.0.0.1:8443/f"), Key("Timeout", 3)}),
      Endpoint("g", {Key("URL", "not a url"), Key("Timeout", 3)}),
      Endpoint("h", {Key("Timeout", 3)}),
  }));
  ASSERT_EQ(r.config.endpoints.size(), 6u) << all(r.errors);
  const auto& e = r.config.endpoints;
  EXPECT_EQ(e[0].settings, e[1].settings);
  EXPECT_NE(e[0].settings, e[2].settings) << "the keys in another order: read again";
  EXPECT_NE(e[0].settings, e[3].settings);
  EXPECT_NE(e[0].settings, e[4].settings) << "https asks for the certificate";
  EXPECT_EQ(e[4].settings, e[5].settings) << "the scheme in any case";
  EXPECT_TRUE(e[5].job().spec.want_certificate);
  EXPECT_FALSE(e[1].job().spec.want_certificate);
  EXPECT_EQ(e[1].url, "http://127.0.0.1:8081/b");
  EXPECT_EQ(e[1].spec().url, "http://127.0.0.1:8081/b");
  EXPECT_EQ(e[1].job().spec.url, "") << "the URL is each endpoint's own";
  EXPECT_EQ(e[1].job().spec.timeout_ms, 3000);
  const std::string text = all(r.errors);
  EXPECT_NE(text.find("<Endpoint \"g\">: URL: expected an absolute http:// or https:// URL"),
            std::string::npos)
      << "a block read like an earlier one still has its URL checked\n"
      << text;
  EXPECT_NE(text.find("<Endpoint \"h\">: URL: missing"), std::string::npos) << text;
}

// Every key of an <Endpoint> block, with what it sets (table: key, value, check).
struct KeyCase {
  const char* name;
  Node key;
  std::function<void(const EndpointConfig&)> check;
};

TEST(CollectdConfig, EveryKeyMaps) {
  const std::vector<KeyCase> cases = {
      {"Address", Key("Address", "10.0.0.1"),
       [](auto& e) { EXPECT_EQ(e.job().spec.connect_host, "10.0.0.1"); }},
      {"Method", Key("Method", "HEAD"), [](auto& e) { EXPECT_EQ(e.job().spec.method, "HEAD"); }},
      {"Header", Key("Header", "X-Probe: 1"),
       [](auto& e) { EXPECT_EQ(e.job().spec.headers, std::vector<std::string>{"X-Probe: 1"}); }},
      {"Post", Key("Post", "a=1"),
       [](auto& e) {
         EXPECT_TRUE(e.job().spec.has_body);
         EXPECT_EQ(e.job().spec.body, "a=1");
         EXPECT_EQ(e.job().spec.method, "POST");
       }},
      {"ContentType", Key("ContentType", "application/json"),
       [](auto& e) { EXPECT_EQ(e.job().spec.content_type, "application/json"); }},
      {"UserAgent", Key("UserAgent", "mon/1"), [](auto& e) { EXPECT_EQ(e.job().spec.user_agent, "mon/1"); }},
      {"NoBody", Key("NoBody", true), [](auto& e) { EXPECT_TRUE(e.job().spec.no_body); }},
      {"FollowRedirects", Key("FollowRedirects", true),
       [](auto& e) { EXPECT_EQ(e.job().spec.redirects, RedirectMode::curl); }},
      {"MaxRedirects", Key("MaxRedirects", 3), [](auto& e) { EXPECT_EQ(e.job().spec.max_redirects, 3); }},
      {"HTTPVersion", Key("HTTPVersion", "1.1"),
       [](auto& e) { EXPECT_EQ(e.job().spec.http_version, HttpVersion::v1_1); }},
      {"HTTPVersion number", Key("HTTPVersion", 2),
       [](auto& e) { EXPECT_EQ(e.job().spec.http_version, HttpVersion::v2_tls); }},
      {"AddressFamily", Key("AddressFamily", "ipv6"),
       [](auto& e) { EXPECT_EQ(e.job().spec.ip_family, IpFamily::v6); }},
      {"Proxy", Key("Proxy", "http://proxy:3128"),
       [](auto& e) {
         EXPECT_EQ(e.job().spec.proxy, "http://proxy:3128");
         EXPECT_FALSE(e.job().spec.proxy_from_env);
       }},
      {"NoProxy", Key("NoProxy", "localhost"), [](auto& e) { EXPECT_EQ(e.job().spec.noproxy, "localhost"); }},
      {"Timeout", Key("Timeout", 0.5),
       [](auto& e) {
         EXPECT_EQ(e.job().spec.timeout_ms, 500);
         EXPECT_EQ(e.job().policy.timeout_seconds, 0.5);
       }},
      {"ConnectTimeout", Key("ConnectTimeout", 2),
       [](auto& e) { EXPECT_EQ(e.job().spec.connect_timeout_ms, 2000); }},
      {"TimeoutState", Key("TimeoutState", "warning"),
       [](auto& e) { EXPECT_EQ(e.job().policy.timeout_state, State::warning); }},
      {"Interval", Key("Interval", 60), [](auto& e) { EXPECT_EQ(e.interval_s(), 60); }},
      {"VerifyPeer", Key("VerifyPeer", false), [](auto& e) { EXPECT_FALSE(e.job().spec.verify_peer); }},
      {"VerifyHost", Key("VerifyHost", "false"), [](auto& e) { EXPECT_FALSE(e.job().spec.verify_host); }},
      {"CACert", Key("CACert", "/etc/ssl/ca.pem"),
       [](auto& e) { EXPECT_EQ(e.job().spec.ca_file, "/etc/ssl/ca.pem"); }},
      {"CAPath", Key("CAPath", "/etc/ssl/certs"),
       [](auto& e) { EXPECT_EQ(e.job().spec.ca_path, "/etc/ssl/certs"); }},
      {"ClientCert", Key("ClientCert", "/c.pem"),
       [](auto& e) { EXPECT_EQ(e.job().spec.client_cert, "/c.pem"); }},
      {"ClientKey", Key("ClientKey", "/k.pem"),
       [](auto& e) { EXPECT_EQ(e.job().spec.client_key, "/k.pem"); }},
      {"CertificateExpiry", Node{"CertificateExpiry", {30.0, 14.0}, {}},
       [](auto& e) {
         ASSERT_TRUE(e.job().policy.certificate);
         EXPECT_EQ(e.job().policy.certificate->warn_days, 30);
         EXPECT_EQ(e.job().policy.certificate->crit_days, 14);
         EXPECT_TRUE(e.job().policy.certificate->continue_after);
       }},
      {"BasicAuthFile", Key("BasicAuthFile", "/etc/collectd/basic"),
       [](auto& e) { EXPECT_EQ(e.credentials().basic_auth_file, "/etc/collectd/basic"); }},
      {"BearerTokenEnv", Key("BearerTokenEnv", "API_TOKEN"),
       [](auto& e) { EXPECT_EQ(e.credentials().bearer_token_env, "API_TOKEN"); }},
      {"HeaderFile", Key("HeaderFile", "/etc/collectd/headers"),
       [](auto& e) { EXPECT_EQ(e.credentials().header_file, "/etc/collectd/headers"); }},
      {"TokenExpiry", Node{"TokenExpiry", {14.0, 2.0}, {}},
       [](auto& e) {
         EXPECT_TRUE(e.job().policy.token_expiry.enabled);
         EXPECT_EQ(e.job().policy.token_expiry.warn_days, 14);
         EXPECT_EQ(e.job().policy.token_expiry.crit_days, 2);
       }},
      {"TokenExpiry one value", Key("TokenExpiry", 7),
       [](auto& e) { EXPECT_DOUBLE_EQ(e.job().policy.token_expiry.crit_days, 1) << "the check's WARN/7"; }},
      {"TokenExpiry off", Key("TokenExpiry", false),
       [](auto& e) { EXPECT_FALSE(e.job().policy.token_expiry.enabled); }},
      {"CheckAuthEnforced", Key("CheckAuthEnforced", true),
       [](auto& e) { EXPECT_TRUE(e.job().policy.check_auth_enforced); }},
      {"StatusState", Key("StatusState", "401=critical,4xx=warning"),
       [](auto& e) {
         ASSERT_NE(e.job().policy.status_states.find(401), nullptr);
         EXPECT_EQ(e.job().policy.status_states.find(401)->state, State::critical);
         EXPECT_EQ(e.job().policy.status_states.find(404)->state, State::warning);
       }},
      {"ExpectString", Key("ExpectString", "pass"),
       [](auto& e) { EXPECT_EQ(e.job().policy.body_string, "pass"); }},
      {"ExpectHeader", Key("ExpectHeader", "X-Ok"),
       [](auto& e) { EXPECT_EQ(e.job().policy.header_string, "X-Ok"); }},
      {"ExpectRegex", Key("ExpectRegex", "\"status\": *\"(UP|pass)\""),
       [](auto& e) {
         ASSERT_TRUE(e.job().policy.regex);
         EXPECT_EQ(e.job().policy.regex->state, State::critical);
       }},
      {"ResponseTimeWarning", Key("ResponseTimeWarning", 0.5),
       [](auto& e) {
         ASSERT_TRUE(e.job().policy.time.warning);
         EXPECT_TRUE(e.job().policy.time.warning->alerts(0.6));
       }},
      {"ResponseTimeCritical", Key("ResponseTimeCritical", "~:2"),
       [](auto& e) {
         ASSERT_TRUE(e.job().policy.time.critical);
         EXPECT_TRUE(e.job().policy.time.critical->alerts(3));
       }},
      {"Health format", Key("Health", "spring"),
       [](auto& e) { EXPECT_EQ(e.job().policy.health, HealthFormat::spring); }},
      {"MaxBodySize", Key("MaxBodySize", 1024),
       [](auto& e) { EXPECT_EQ(e.job().spec.max_body_bytes, 1024u); }},
      {"StateDir", Key("StateDir", "/var/lib/probewise"),
       [](auto& e) { EXPECT_EQ(e.job().state.dir, "/var/lib/probewise"); }},
      {"StateKey", Key("StateKey", "api-prod"), [](auto& e) { EXPECT_EQ(e.job().state.key, "api-prod"); }},
      {"PersistState", Key("PersistState", false), [](auto& e) { EXPECT_FALSE(e.job().state.enabled); }},
      {"keys ignore case", Key("followredirects", true),
       [](auto& e) { EXPECT_EQ(e.job().spec.redirects, RedirectMode::curl); }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = read(Plugin({Endpoint("e", {Key("URL", "http://127.0.0.1/"), c.key})}));
    EXPECT_TRUE(r.errors.empty()) << all(r.errors);
    if (r.config.endpoints.size() == 1) c.check(r.config.endpoints.front());
  }
}

TEST(CollectdConfig, OAuth2) {
  auto r = read(Plugin({Endpoint(
      "api", {Key("URL", "https://api.example.com/"), Key("OAuth2TokenURL", "https://auth.example.com/token"),
              Key("OAuth2ClientID", "mon"), Key("OAuth2ClientSecretFile", "/etc/collectd/secret"),
              Key("OAuth2Scope", "read")})}));
  const EndpointConfig& e = only(r);
  ASSERT_TRUE(e.job().oauth2);
  EXPECT_EQ(e.job().oauth2->token_url, "https://auth.example.com/token");
  EXPECT_EQ(e.job().oauth2->client_id, "mon");
  EXPECT_EQ(e.job().oauth2->client_secret_file, "/etc/collectd/secret");
  EXPECT_EQ(e.job().oauth2->scope, "read");

  auto partial =
      read(Plugin({Endpoint("api", {Key("URL", "https://api.example.com/"), Key("OAuth2ClientID", "mon")})}));
  EXPECT_TRUE(partial.config.endpoints.empty());
  EXPECT_NE(all(partial.errors).find("OAuth2TokenURL, OAuth2ClientID and OAuth2ClientSecretFile"),
            std::string::npos)
      << all(partial.errors);
}

// SPEC 1.6: one warning per credential file that others may read, naming
// the first endpoint that uses it; never an error.
TEST(CollectdConfig, CredentialFilesOthersMayRead) {
  char tmpl[] = "/tmp/probewise-config-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  auto file = [&](const std::string& name, mode_t mode) {
    std::string path = dir + "/" + name;
    std::ofstream(path) << "secret\n";
    chmod(path.c_str(), mode);
    return path;
  };
  const std::string open_token = file("token", 0644), private_key = file("basic", 0600),
                    headers = file("headers", 0640), client = file("client", 0604);
  auto r =
      read(Plugin({Endpoint("a", {Key("URL", "https://a.example/"), Key("BearerTokenFile", open_token),
                                  Key("BasicAuthFile", private_key), Key("HeaderFile", headers)}),
                   Endpoint("b", {Key("URL", "https://b.example/"), Key("BearerTokenFile", open_token),
                                  Key("OAuth2TokenURL", "https://auth.example/token"),
                                  Key("OAuth2ClientID", "mon"), Key("OAuth2ClientSecretFile", client)})}));
  EXPECT_TRUE(r.errors.empty()) << all(r.errors);
  EXPECT_EQ(r.config.endpoints.size(), 2u);
  ASSERT_EQ(r.warnings.size(), 3u) << all(r.warnings);
  EXPECT_EQ(r.warnings[0].rfind(
                "<Plugin probewise> <Endpoint \"a\">: credential file " + open_token + " can be read by ", 0),
            0u)
      << r.warnings[0];
  EXPECT_NE(r.warnings[0].find(": chmod 600 " + open_token + "; it is 0644, owner "), std::string::npos);
  EXPECT_NE(r.warnings[1].find(headers), std::string::npos);
  EXPECT_EQ(r.warnings[2].rfind("<Plugin probewise> <Endpoint \"b\">: credential file " + client, 0), 0u);
  EXPECT_EQ(all(r.warnings).find(private_key), std::string::npos);
  (void)std::system(("rm -rf '" + dir + "'").c_str());
}

// An unknown key names itself, the block and a near key; the other
// endpoints are still probed.
TEST(CollectdConfig, UnknownKeyDisablesOnlyItsBlock) {
  auto r = read(Plugin({Endpoint("good", {Key("URL", "http://127.0.0.1/")}),
                        Endpoint("bad", {Key("URL", "http://127.0.0.1/"), Key("Timeou", 5)}),
                        Endpoint("good2", {Key("URL", "http://127.0.0.1/x")})}));
  ASSERT_EQ(r.config.endpoints.size(), 2u);
  EXPECT_EQ(r.config.endpoints[0].name, "good");
  EXPECT_EQ(r.config.endpoints[1].name, "good2");
  ASSERT_EQ(r.errors.size(), 2u) << all(r.errors);
  EXPECT_EQ(r.errors[0],
            "<Plugin probewise> <Endpoint \"bad\">: unknown key \"Timeou\" (did you mean Timeout?)");
  EXPECT_EQ(r.errors[1], "<Plugin probewise> <Endpoint \"bad\">: not probed because of the errors above");
}

// Bad values: the error says which key, where, what was expected and what
// was given.
TEST(CollectdConfig, BadValuesSayWhatWasExpected) {
  struct Case {
    Node key;
    std::string expected_text;
  };
  const std::vector<Case> cases = {
      {Key("Timeout", "5s"),
       "Timeout: expected a number of seconds greater than 0 and at most 86400, got \"5s\""},
      {Key("Timeout", -1), "Timeout: expected a number of seconds greater than 0 and at most 86400, got -1"},
      {Key("Interval", 0), "Interval: expected a number of seconds greater than 0"},
      {Key("VerifyPeer", "maybe"), "VerifyPeer: expected true or false, got \"maybe\""},
      {Key("ExpectStatus", "2xx,abc"), "ExpectStatus: expected a list of status codes such as"},
      {Key("StatusState", "401=fatal"), "StatusState: expected per-status states"},
      {Key("Health", "xml"), "Health: expected true, false or a format"},
      {Key("CACert", "relative.pem"),
       "CACert: expected one absolute file name in quotes, got \"relative.pem\""},
      {Key("ExpectRegex", "(unclosed"), "ExpectRegex: expected an extended regular expression ("},
      {Key("MaxRedirects", 2.5), "MaxRedirects: expected a whole number from 0 to 1000, got 2.5"},
      {Node{"Header", {std::string("a"), std::string("b")}, {}},
       "Header: expected one \"Name: value\" header line"},
      {Key("TimeoutState", "bad"), "TimeoutState: expected \"ok\", \"warning\", \"critical\" or \"unknown\""},
      {Node{"CertificateExpiry", {1.0, 2.0, 3.0}, {}},
       "CertificateExpiry: expected one or two numbers of days"},
      {Key("URL", "ftp://x/"),
       "URL: expected an absolute http:// or https:// URL in quotes, got \"ftp://x/\""},
      {Node{"Values", {std::string("response_time"), std::string("latency")}, {}},
       "Values: expected one or more of \"response_time\", \"duration-dns\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.key.key);
    auto r = read(Plugin({Endpoint("api", {Key("URL", "http://127.0.0.1/"), c.key})}));
    EXPECT_TRUE(r.config.endpoints.empty());
    ASSERT_FALSE(r.errors.empty());
    EXPECT_EQ(r.errors[0].rfind("<Plugin probewise> <Endpoint \"api\">: ", 0), 0u) << r.errors[0];
    EXPECT_NE(r.errors[0].find(c.expected_text), std::string::npos) << r.errors[0];
  }
}

// Values chooses which of SPEC 2's values are dispatched; by default all.
TEST(CollectdConfig, ValuesChooseWhatIsDispatched) {
  const auto& names = value_names();
  ASSERT_EQ(names.size(), 10u);
  EXPECT_EQ(names.front(), "response_time");
  EXPECT_EQ(names.back(), "timeleft-token");
  auto all_of = read(Plugin({Endpoint("api", {Key("URL", "http://127.0.0.1/")})}));
  EXPECT_EQ(only(all_of).values(), ~std::uint32_t{0});
  auto two = read(Plugin(
      {Endpoint("api", {Key("URL", "http://127.0.0.1/"),
                        Node{"Values", {std::string("Response_Time"), std::string("bool-up")}, {}}})}));
  ASSERT_EQ(value_index("bool-up"), 6u);
  EXPECT_EQ(value_index("BOOL-UP"), 6u);
  EXPECT_FALSE(value_index("latency"));
  EXPECT_EQ(only(two).values(), (1u << 0) | (1u << 6));
}

// No secret in a message: a bad header line, a Post body, a URL password.
TEST(CollectdConfig, ErrorsDoNotRepeatSecrets) {
  auto r =
      read(Plugin({Endpoint("api", {Key("URL", "http://127.0.0.1/"), Key("Header", "Bearer s3cr3t-token"),
                                    Node{"Post", {1.0}, {}}, Key("Proxy", 5)}),
                   Endpoint("pw", {Key("URL", "http://user:hunter2@127.0.0.1/"), Key("Bogus", 1)}),
                   Endpoint("url", {Key("URL", "ftp://user:hunter2@127.0.0.1/")})}));
  const std::string text = all(r.errors);
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos) << text;
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_NE(text.find("Header: expected one \"Name: value\" header line"), std::string::npos) << text;
}

TEST(CollectdConfig, NoValidEndpoint) {
  auto none = read(Plugin({Key("MaxConcurrency", 10)}));
  EXPECT_TRUE(none.config.endpoints.empty());
  EXPECT_NE(all(none.errors).find("no <Endpoint \"name\"> block"), std::string::npos);
  auto missing_url = read(Plugin({Endpoint("api", {Key("Timeout", 1)})}));
  EXPECT_TRUE(missing_url.config.endpoints.empty());
  EXPECT_NE(all(missing_url.errors).find("URL: missing"), std::string::npos);
}

TEST(CollectdConfig, EndpointNames) {
  auto r = read(Plugin({Endpoint("a", {Key("URL", "http://127.0.0.1/")}),
                        Endpoint("a", {Key("URL", "http://127.0.0.1/2")}),
                        Endpoint("x/y", {Key("URL", "http://127.0.0.1/")}),
                        Endpoint(std::string(128, 'n'), {Key("URL", "http://127.0.0.1/")}),
                        Node{"Endpoint", {}, {Key("URL", "http://127.0.0.1/")}}}));
  ASSERT_EQ(r.config.endpoints.size(), 1u);
  EXPECT_EQ(r.errors.size(), 4u) << all(r.errors);
  EXPECT_NE(all(r.errors).find("the name is taken"), std::string::npos);
  // A name taken by an earlier <Plugin probewise> block.
  Tree tree(Plugin({Endpoint("a", {Key("URL", "http://127.0.0.1/")})}));
  auto again = read_config(tree.root(), 10, {"a"});
  EXPECT_TRUE(again.config.endpoints.empty());
}

TEST(CollectdConfig, PluginKeys) {
  auto r = read(Plugin({Key("MaxConcurrency", 1000), Key("MaxConnectionsPerHost", 8),
                        Endpoint("a", {Key("URL", "http://127.0.0.1/")}),
                        Endpoint("b", {Key("URL", "http://127.0.0.1/"), Key("StateDir", "/srv/state")}),
                        Key("StateDir", "/var/lib/probewise"), Key("PersistState", "no")}));
  EXPECT_TRUE(r.errors.empty()) << all(r.errors);
  EXPECT_EQ(r.config.max_concurrency, 1000);
  EXPECT_EQ(r.config.max_connections_per_host, 8);
  ASSERT_EQ(r.config.endpoints.size(), 2u);
  EXPECT_EQ(r.config.endpoints[0].job().state.dir, "/var/lib/probewise") << "the plugin-wide default";
  EXPECT_EQ(r.config.endpoints[1].job().state.dir, "/srv/state");
  EXPECT_FALSE(r.config.endpoints[0].job().state.enabled);

  auto misplaced = read(Plugin({Key("URL", "http://127.0.0.1/"), Key("MaxConcurrency", 0),
                                Endpoint("a", {Key("URL", "http://127.0.0.1/")})}));
  EXPECT_EQ(misplaced.config.endpoints.size(), 1u);
  const std::string text = all(misplaced.errors);
  EXPECT_NE(text.find("unknown key \"URL\" (an endpoint key: put it inside <Endpoint \"name\">)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("MaxConcurrency: expected a whole number from 1 to 100000, got 0"), std::string::npos)
      << text;
}

TEST(CollectdConfig, NestedBlockInsideEndpoint) {
  auto r = read(Plugin(
      {Endpoint("a", {Key("URL", "http://127.0.0.1/"), testing::Block("Match", "x", {Key("Regex", "a")})})}));
  EXPECT_TRUE(r.config.endpoints.empty());
  EXPECT_NE(all(r.errors).find("<Match> is not a block the plugin knows"), std::string::npos)
      << all(r.errors);
}

}  // namespace
}  // namespace probewise
