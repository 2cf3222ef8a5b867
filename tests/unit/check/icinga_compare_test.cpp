// SPDX-License-Identifier: GPL-2.0-or-later
// The compare check's run (check/icinga_compare.h) with a stand-in for the
// master's REST API: the one request it makes, the combined verdict, the
// change of the combination, and the API's refusals.
#include "check/icinga_compare.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "compare_options.h"

namespace probewise {
namespace {

constexpr std::time_t kNow = 1795824000;

ProbeResult api_answer(int status, const std::string& body) {
  ProbeResult r;
  r.status = status;
  r.body = body;
  return r;
}

std::string services(int eu1_state, const std::string& eu1_output) {
  auto one = [](const std::string& name, int state, const std::string& output) {
    return nlohmann::json{{"attrs",
                           {{"name", "api-" + name},
                            {"host_name", "api"},
                            {"check_interval", 60},
                            {"command_endpoint", name},
                            {"vars", {{"probewise_endpoint", "api"}}},
                            {"last_check_result",
                             {{"state", state},
                              {"output", output},
                              {"performance_data", {"time=0.002s;;;0;10"}},
                              {"check_source", name},
                              {"execution_end", kNow - 10}}}}}};
  };
  return nlohmann::json{{"results",
                         {one("eu1", eu1_state, eu1_output),
                          one("us1", 0, "HTTP OK: HTTP/1.1 200 OK - 2 bytes in 0.002 second response time")}}}
      .dump();
}

class IcingaCompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/probewise-compare-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto c =
        parse_compare_options({"--api-url", "https://master:5665", "--api-address", "127.0.0.1", "--api-user",
                               "probewise-compare", "--api-password-file", "/dev/null", "--filter",
                               "service.vars.probewise_endpoint == \"api\"", "--state-dir", dir_});
    ASSERT_TRUE(c.ok()) << c.error();
    job_ = c->job;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  Expected<VantagesResult> run(const ProbeResult& answer, std::time_t now = kNow) {
    return compare_icinga(
        job_,
        [&](const RequestSpec& r) {
          asked_.push_back(r);
          return answer;
        },
        now);
  }

  std::string dir_;
  IcingaCompareJob job_;
  std::vector<RequestSpec> asked_;
};

TEST_F(IcingaCompareTest, OneRequestForTheServicesWithTheFilter) {
  auto r =
      run(api_answer(200, services(0, "HTTP OK: HTTP/1.1 200 OK - 2 bytes in 0.002 second response time")));
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(asked_.size(), 1u);
  const RequestSpec& q = asked_.front();
  EXPECT_EQ(q.url, "https://master:5665/v1/objects/services");
  EXPECT_EQ(q.method, "POST");
  EXPECT_EQ(q.connect_host, "127.0.0.1");
  EXPECT_EQ(q.connect_port, 5665);
  EXPECT_TRUE(q.verify_peer && q.verify_host);
  EXPECT_EQ(q.ca_file, "/var/lib/icinga2/certs/ca.crt");
  EXPECT_NE(std::find(q.headers.begin(), q.headers.end(), "X-HTTP-Method-Override: GET"), q.headers.end());
  const auto body = nlohmann::json::parse(q.body);
  EXPECT_EQ(body["filter"], "service.vars.probewise_endpoint == \"api\"");
  EXPECT_NE(std::find(body["attrs"].begin(), body["attrs"].end(), "last_check_result"), body["attrs"].end());
  EXPECT_EQ(r->combined.state, State::ok);
  EXPECT_EQ(r->combined.summary, "200 OK from every vantage (eu1 and us1)");
}

TEST_F(IcingaCompareTest, RegionalDenialAndItsChange) {
  ASSERT_TRUE(
      run(api_answer(200, services(0, "HTTP OK: HTTP/1.1 200 OK - 2 bytes in 0.002 second response time")))
          .ok());
  auto r =
      run(api_answer(200, services(1,
                                   "HTTP WARNING: HTTP/1.1 403 Forbidden - forbidden, cause unknown - 2 "
                                   "bytes in 0.002 second response time\nReason: forbidden.unspecified "
                                   "(forbidden, cause unknown)\nBasis: status (the status code alone)\n")),
          kNow + 60);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->combined.state, State::warning);
  EXPECT_EQ(r->combined.reason, "forbidden.ip");
  EXPECT_EQ(
      r->combined.summary,
      "refused from eu1 only (403), answered from us1: likely an IP allowlist or geo rule for eu1's address");
  ASSERT_TRUE(r->change.has_value());
  EXPECT_EQ(r->change->message.rfind("changed from 200 from every vantage (for 1m, since ", 0), 0u)
      << r->change->message;
  EXPECT_NE(r->change->message.find(") to 403 from eu1; 200 from us1"), std::string::npos)
      << r->change->message;
  ASSERT_TRUE(r->vantages[0].verdict.change.has_value()) << "each vantage's change too";
  EXPECT_NE(r->vantages[0].verdict.change->message.find("to 403 Forbidden"), std::string::npos);
  EXPECT_FALSE(r->vantages[1].verdict.change.has_value());
}

TEST_F(IcingaCompareTest, TheApiRefusesOrAnswersNothing) {
  auto r = run(
      api_answer(401, "{\"error\":401,\"status\":\"Unauthorized. Please check your user credentials.\"}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "cannot read the Icinga 2 API at https://master:5665: HTTP 401: Unauthorized. Please check "
            "your user credentials.");
  ProbeResult refused;
  refused.transport = Transport::refused;
  refused.error = "Failed to connect to 127.0.0.1 port 5665 after 0 ms: Couldn't connect to server";
  r = run(refused);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            "cannot read the Icinga 2 API at https://master:5665: Failed to connect to 127.0.0.1 port "
            "5665 after 0 ms: Couldn't connect to server");
  r = run(api_answer(200, "{\"results\":[]}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "no service matches the filter service.vars.probewise_endpoint == \"api\"");
}

TEST(CompareOptions, BadValuesNameTheOption) {
  struct Bad {
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<std::string> auth{"--api-user", "u", "--api-password-file", "/p"};
  auto with_auth = [&](std::vector<std::string> more) {
    more.insert(more.begin(), auth.begin(), auth.end());
    return more;
  };
  const Bad cases[] = {
      {{"--service", "a!b"}, "--api-user and --api-password-file are needed to read the Icinga 2 API"},
      {with_auth({}), "the vantages: give --service HOST!SERVICE (repeated) or --filter"},
      {with_auth({"--service", "nohost"}), "invalid value for --service: 'nohost' (expected HOST!SERVICE)"},
      {with_auth({"--service", "a!b", "--filter", "x"}), "give --service or --filter, not both"},
      {with_auth({"--filter", "x", "--api-url", "http://master:5665"}),
       "invalid value for --api-url: 'http://master:5665' is not an https:// URL"},
      {with_auth({"--filter", "x", "--vantage-quorum", "0"}),
       "invalid value for --vantage-quorum: 0 (expected 1 or more)"},
      {with_auth({"--filter", "x", "--output-format", "xml"}),
       "invalid value for --output-format: 'xml' (expected nagios or json)"},
  };
  for (const auto& bad : cases) {
    auto c = parse_compare_options(bad.args);
    ASSERT_FALSE(c.ok()) << bad.message;
    EXPECT_EQ(c.error(), bad.message);
  }
  auto c = parse_compare_options(with_auth({"--service", "agent-eu1!api", "--service", "agent-us1!api"}));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->job.filter,
            "(host.name == \"agent-eu1\" && service.name == \"api\") || (host.name == \"agent-us1\" && "
            "service.name == "
            "\"api\")");
  EXPECT_EQ(c->job.api.basic_auth, "u:") << "the password comes from its file, at run time";
}

}  // namespace
}  // namespace probewise
