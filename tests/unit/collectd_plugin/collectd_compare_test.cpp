// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/compare_mode: the central collectd's comparison of the
// probing hosts' values and notifications (what the network plugin hands
// over: values with the host's name, notifications without meta data), and
// the <Compare> block.
#include "compare_mode.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "collectd_plugin/collectd_tree.h"
#include "config.h"

namespace probewise {
namespace {

using testing::Block;
using testing::Endpoint;
using testing::Key;
using testing::Plugin;
using testing::Tree;

constexpr double kT0 = 1795824000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One probe of `endpoint` by `host` as its values arrive at the centre.
void probed(CompareMode& m, const std::string& host, const std::string& endpoint, int state, double status,
            double at) {
  for (auto [type, instance, value] : {std::tuple<const char*, const char*, double>{"gauge", "state", state},
                                       {"response_code", "", status},
                                       {"response_time", "", 0.004}}) {
    Received r;
    r.host = host;
    r.plugin = "probewise";
    r.endpoint = endpoint;
    r.type = type;
    r.type_instance = instance;
    r.value = value;
    r.time = at;
    r.interval = 10;
    m.on_value(r);
  }
}

// The probing host's change notification (report.cpp's words).
void notified(CompareMode& m, const std::string& host, const std::string& message, Severity severity) {
  Received r;
  r.host = host;
  r.plugin = "probewise";
  r.endpoint = message.substr(0, message.find(':'));
  r.type = "gauge";
  r.type_instance = "state";
  r.severity = severity;
  r.message = message;
  r.time = kT0;
  m.on_notification(r);
}

CompareMode mode(std::vector<std::string> hosts = {}) {
  CompareSettings s;
  s.interval_s = 10;
  s.hosts = std::move(hosts);
  return CompareMode(s);
}

const Dispatch* of(const std::vector<Dispatch>& ds, const std::string& endpoint) {
  for (const auto& d : ds)
    if (d.plugin_instance == endpoint) return &d;
  return nullptr;
}

TEST(CollectdCompare, RefusedFromOneHostAnsweredFromTheOther) {
  CompareMode m = mode();
  probed(m, "probe-eu1", "api", 1, 403, kT0);
  notified(
      m, "probe-eu1",
      "api: 403 (forbidden.ip): source address not allowed: the probe's IP address is not allowed: Your IP "
      "address 127.0.0.2 is not allowed to access this API",
      Severity::warning);
  probed(m, "probe-us1", "api", 0, 200, kT0 + 1);
  EXPECT_TRUE(m.evaluate(kT0 + 5).empty()) << "every host gets one interval to report";
  auto ds = m.evaluate(kT0 + 10);
  const Dispatch* d = of(ds, "api");
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->values.size(), 1u);
  EXPECT_EQ(d->values[0].type, "gauge");
  EXPECT_EQ(d->values[0].type_instance, "combined");
  EXPECT_EQ(d->values[0].value, 1);
  ASSERT_TRUE(d->notification.has_value());
  EXPECT_EQ(d->notification->severity, Severity::warning);
  EXPECT_EQ(d->notification->type_instance, "combined");
  EXPECT_EQ(
      d->notification->message,
      "api: refused from probe-eu1 only (403), answered from probe-us1: probe-eu1's address is not on the "
      "endpoint's allowlist");
  // The same verdict again: the value, no notification.
  probed(m, "probe-eu1", "api", 1, 403, kT0 + 10);
  probed(m, "probe-us1", "api", 0, 200, kT0 + 11);
  ds = m.evaluate(kT0 + 20);
  ASSERT_NE(of(ds, "api"), nullptr);
  EXPECT_FALSE(of(ds, "api")->notification.has_value());
  // Answered from both again: OKAY.
  probed(m, "probe-eu1", "api", 0, 200, kT0 + 20);
  ds = m.evaluate(kT0 + 30);
  ASSERT_TRUE(of(ds, "api")->notification.has_value());
  EXPECT_EQ(of(ds, "api")->notification->severity, Severity::okay);
  EXPECT_EQ(of(ds, "api")->notification->message, "api: 200 from every vantage (probe-eu1 and probe-us1)");
}

// The probing host's notification may arrive before its values: the
// endpoint still waits one interval for every host.
TEST(CollectdCompare, ANotificationBeforeTheValues) {
  CompareMode m = mode();
  notified(m, "probe-eu1", "slow: no answer (net.timeout): timed out", Severity::failure);
  EXPECT_TRUE(m.evaluate(kT0 + 5).empty());
  probed(m, "probe-eu1", "slow", 2, kNaN, kT0 + 1);
  probed(m, "probe-us1", "slow", 0, 200, kT0 + 1);
  auto ds = m.evaluate(kT0 + 10);
  ASSERT_TRUE(of(ds, "slow")->notification.has_value());
  EXPECT_EQ(
      of(ds, "slow")->notification->message,
      "slow: timed out from probe-eu1 only, answered from probe-us1: a network path from probe-eu1, not the "
      "service");
}

TEST(CollectdCompare, WithoutTheHostsNotificationTheStatusDecides) {
  CompareMode m = mode();
  probed(m, "probe-eu1", "api", 1, 403, kT0);
  probed(m, "probe-us1", "api", 0, 200, kT0);
  auto ds = m.evaluate(kT0 + 10);
  ASSERT_TRUE(of(ds, "api")->notification.has_value());
  EXPECT_EQ(of(ds, "api")->notification->message,
            "api: refused from probe-eu1 only (403), answered from probe-us1: likely an IP allowlist or geo "
            "rule for "
            "probe-eu1's address");
}

TEST(CollectdCompare, DownFromEveryHostAndTimeoutFromOne) {
  CompareMode m = mode();
  probed(m, "probe-eu1", "db", 2, kNaN, kT0);
  notified(m, "probe-eu1", "db: no answer (net.refused): connection refused: Failed to connect",
           Severity::failure);
  probed(m, "probe-us1", "db", 2, kNaN, kT0);
  notified(m, "probe-us1", "db: no answer (net.refused): connection refused: Failed to connect",
           Severity::failure);
  probed(m, "probe-eu1", "shop", 2, kNaN, kT0);
  notified(m, "probe-eu1", "shop: no answer (net.timeout): timed out", Severity::failure);
  probed(m, "probe-us1", "shop", 0, 200, kT0);
  auto ds = m.evaluate(kT0 + 10);
  EXPECT_EQ(of(ds, "db")->values[0].value, 2);
  EXPECT_EQ(of(ds, "db")->notification->severity, Severity::failure);
  EXPECT_EQ(of(ds, "db")->notification->message,
            "db: connection refused from every vantage: not one network path");
  EXPECT_EQ(of(ds, "shop")->values[0].value, 1);
  EXPECT_EQ(
      of(ds, "shop")->notification->message,
      "shop: timed out from probe-eu1 only, answered from probe-us1: a network path from probe-eu1, not the "
      "service");
}

TEST(CollectdCompare, AHostThatStopsSendingIsStaleNotDown) {
  CompareMode m = mode();
  probed(m, "probe-eu1", "api", 0, 200, kT0);
  probed(m, "probe-us1", "api", 0, 200, kT0);
  auto ds = m.evaluate(kT0 + 10);
  EXPECT_FALSE(of(ds, "api")->notification.has_value()) << "OK at first: nothing to say";
  probed(m, "probe-eu1", "api", 0, 200, kT0 + 20);
  probed(m, "probe-eu1", "api", 0, 200, kT0 + 30);
  ds = m.evaluate(kT0 + 31);
  const Dispatch* d = of(ds, "api");
  ASSERT_TRUE(d->notification.has_value());
  EXPECT_EQ(d->values[0].value, 3) << "UNKNOWN, never CRITICAL";
  EXPECT_EQ(d->notification->message,
            "api: 200 from probe-eu1; probe-us1 is stale: its last values are 31s old, more than twice its "
            "interval of 10s");
}

TEST(CollectdCompare, ConfiguredHostsThatNeverSentAndOwnValuesIgnored) {
  CompareMode m = mode({"probe-eu1", "probe-us1"});
  probed(m, "probe-eu1", "api", 0, 200, kT0);
  probed(m, "other-host", "api", 2, kNaN, kT0);  // not a configured vantage
  Received own;
  own.host = "central";
  own.plugin = "probewise";
  own.endpoint = "api";
  own.type = "gauge";
  own.type_instance = "combined";  // what this mode dispatched itself
  own.value = 2;
  own.time = kT0;
  m.on_value(own);
  auto ds = m.evaluate(kT0 + 10);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].notification->message,
            "api: 200 from probe-eu1; probe-us1 could not run: no values from it yet");
}

TEST(CollectdCompare, ReasonInTheHostsMessage) {
  std::string detail;
  EXPECT_EQ(reason_in_message("api: 200 -> 401 (auth.expired_credentials): the access token expired", "api",
                              &detail),
            "auth.expired_credentials");
  EXPECT_EQ(detail, "the access token expired");
  EXPECT_EQ(reason_in_message("waf: 403 (forbidden.waf): blocked by a WAF rule", "waf", nullptr),
            "forbidden.waf");
  EXPECT_EQ(reason_in_message("api: 401 -> 200 (ok): OK again after 5m of auth.invalid_credentials", "api",
                              nullptr),
            "ok");
  EXPECT_EQ(reason_in_message("api: something (else): x", "api", nullptr), "");
  EXPECT_EQ(reason_in_message("other: 403 (forbidden.waf): x", "api", nullptr), "");
}

TEST(CollectdCompare, CompareBlock) {
  Tree tree(Plugin({Block("Compare", "",
                          {Key("Interval", 30), Key("VantageQuorum", 2), Key("Host", "probe-eu1"),
                           Key("Host", "probe-us1"), Key("Endpoint", "api")})}));
  ConfigResult r = read_config(tree.root(), 10);
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0]);
  ASSERT_TRUE(r.config.compare.has_value());
  EXPECT_EQ(r.config.compare->interval_s, 30);
  EXPECT_EQ(r.config.compare->rule.quorum, 2);
  EXPECT_EQ(r.config.compare->hosts, (std::vector<std::string>{"probe-eu1", "probe-us1"}));
  EXPECT_EQ(r.config.compare->endpoints, (std::vector<std::string>{"api"}));
  EXPECT_TRUE(r.config.endpoints.empty()) << "a centre that only compares needs no <Endpoint>";

  Tree bad(Plugin({Block("Compare", "", {Key("VantageQuorum", 0), Key("Hosts", "x")})}));
  r = read_config(bad.root(), 10);
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[0],
            "<Plugin probewise> <Compare>: VantageQuorum: expected a whole number from 1 to 1000, got 0");
  EXPECT_EQ(r.errors[1],
            "<Plugin probewise> <Compare>: unknown key \"Hosts\"; expected Interval, VantageQuorum, "
            "Host or Endpoint");
  EXPECT_EQ(r.errors[2], "<Plugin probewise> <Compare>: no comparison because of the errors above");
  EXPECT_FALSE(r.config.compare.has_value());
}

TEST(CollectdCompare, SourceAddressAndInterfaceKeys) {
  Tree tree(Plugin({Endpoint("a", {Key("URL", "http://127.0.0.1/"), Key("SourceAddress", "127.0.0.2")}),
                    Endpoint("b", {Key("URL", "http://127.0.0.1/"), Key("Interface", "eth1")}),
                    Endpoint("c", {Key("URL", "http://127.0.0.1/"), Key("SourceAddress", "here")})}));
  ConfigResult r = read_config(tree.root(), 10);
  ASSERT_EQ(r.config.endpoints.size(), 2u);
  EXPECT_EQ(r.config.endpoints[0].job().spec.interface, "host!127.0.0.2");
  EXPECT_EQ(r.config.endpoints[1].job().spec.interface, "if!eth1");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].rfind(
                "<Plugin probewise> <Endpoint \"c\">: SourceAddress: expected an IPv4 or IPv6 address "
                "of this host in quotes, got \"here\"",
                0),
            0u)
      << r.errors[0];
}

}  // namespace
}  // namespace probewise
