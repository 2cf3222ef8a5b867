// SPDX-License-Identifier: GPL-2.0-or-later
// Icinga 2 services as vantages (compare/icinga.h): an /v1/objects/services
// answer of Icinga 2 2.13 (the attributes as tests/distributed reads them).
#include "compare/icinga.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace probewise {
namespace {

constexpr std::time_t kNow = 1795824000;

nlohmann::json service(const std::string& host, const std::string& name, nlohmann::json vars,
                       const std::string& endpoint, nlohmann::json result, double interval = 60) {
  nlohmann::json attrs = {{"name", name},
                          {"host_name", host},
                          {"check_interval", interval},
                          {"command_endpoint", endpoint},
                          {"vars", std::move(vars)},
                          {"last_check_result", std::move(result)}};
  return {{"name", host + "!" + name}, {"type", "Service"}, {"attrs", attrs}};
}

nlohmann::json result(int state, const std::string& output, double age, const std::string& source) {
  return {{"state", state},         {"exit_status", state},
          {"output", output},       {"performance_data", {"time=0.004s;;;0;10"}},
          {"check_source", source}, {"execution_end", static_cast<double>(kNow) - age},
          {"type", "CheckResult"}};
}

std::string answer(std::vector<nlohmann::json> services) {
  return nlohmann::json{{"results", services}}.dump();
}

TEST(Icinga, ServicesAreVantagesNamedAndSorted) {
  auto v = read_icinga_services(
      answer(
          {service("api", "api-us1", {{"probewise_vantage", "us1"}}, "us1",
                   result(0, "HTTP OK: HTTP/1.1 200 OK - 5 bytes in 0.004 second response time", 30, "us1")),
           service(
               "api", "api-eu1", {{"probewise_endpoint", "api"}}, "probe-eu1",
               result(1,
                      "HTTP WARNING: HTTP/1.1 403 Forbidden - forbidden, cause unknown - 5 bytes in 0.004 "
                      "second response time\nReason: forbidden.unspecified (forbidden, cause unknown)\n",
                      30, "probe-eu1"))}),
      kNow);
  ASSERT_TRUE(v.ok()) << v.error();
  ASSERT_EQ(v->size(), 2u);
  EXPECT_EQ((*v)[0].seen.name, "probe-eu1") << "no vars.probewise_vantage: the command endpoint";
  EXPECT_EQ((*v)[0].seen.reason, "forbidden.unspecified");
  EXPECT_EQ((*v)[0].seen.via, "api!api-eu1 on probe-eu1");
  EXPECT_EQ((*v)[1].seen.name, "us1");
  EXPECT_EQ((*v)[1].service, "api!api-us1");
  EXPECT_EQ((*v)[1].checked, kNow - 30);
  EXPECT_TRUE((*v)[1].seen.ran);
}

TEST(Icinga, AResultOlderThanTwiceItsIntervalIsStale) {
  auto v = read_icinga_services(
      answer(
          {service("api", "api-eu1", nlohmann::json::object(), "eu1",
                   result(2, "HTTP CRITICAL - ...: cURL returned 28\nReason: net.timeout (timed out)\n", 121,
                          "eu1"),
                   60),
           service("api", "api-us1", nlohmann::json::object(), "us1",
                   result(0, "HTTP OK: HTTP/1.1 200 OK - 5 bytes in 0.004 second response time", 119, "us1"),
                   60)}),
      kNow);
  ASSERT_TRUE(v.ok());
  const VantageSeen& eu1 = (*v)[0].seen;
  EXPECT_FALSE(eu1.ran);
  EXPECT_TRUE(eu1.stale);
  EXPECT_EQ(eu1.why_not, "its last result is 2m 1s old, more than twice its check interval of 1m");
  EXPECT_EQ(eu1.reason, "net.timeout") << "what it said last, kept for the record";
  EXPECT_TRUE((*v)[1].seen.ran) << "119 s is within twice 60 s";
  // Never read as the endpoint down.
  CombinedVerdict c = combine_vantages({eu1, (*v)[1].seen}, {});
  EXPECT_NE(c.state, State::critical);
  EXPECT_EQ(c.summary,
            "200 OK from us1; eu1 is stale: its last result is 2m 1s old, more than twice its check "
            "interval of 1m");
}

TEST(Icinga, NoResultYetAndRepeatedNames) {
  auto v = read_icinga_services(
      answer({service("api", "a", nlohmann::json::object(), "", nullptr),
              service("api", "b", nlohmann::json::object(), "",
                      result(0, "HTTP OK: HTTP/1.1 200 OK - 1 bytes in 0.001 second response time", 1,
                             "master"))}),
      kNow);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)[0].seen.name, "api!a") << "the host twice: the services' own names";
  EXPECT_FALSE((*v)[0].seen.ran);
  EXPECT_EQ((*v)[0].seen.why_not, "it has no result yet");
  EXPECT_EQ((*v)[1].seen.name, "api!b");
}

TEST(Icinga, NotTheServicesAnswer) {
  EXPECT_FALSE(read_icinga_services("<html>", kNow).ok());
  EXPECT_FALSE(read_icinga_services("{\"error\":404}", kNow).ok());
  auto v = read_icinga_services("{\"results\":[]}", kNow);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->empty());
}

TEST(Icinga, FilterForNamedServices) {
  EXPECT_EQ(
      icinga_service_filter({"agent-eu1!api", "agent \"us1\"!api"}),
      "(host.name == \"agent-eu1\" && service.name == \"api\") || (host.name == \"agent \\\"us1\\\"\" && "
      "service.name == \"api\")");
}

}  // namespace
}  // namespace probewise
