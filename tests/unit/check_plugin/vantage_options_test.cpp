// SPDX-License-Identifier: GPL-2.0-or-later
// --source-address, --interface, --vantage, --vantage-quorum (check_plugin/vantage_options.cpp).
#include <gtest/gtest.h>

#include "options.h"

namespace probewise {
namespace {

Expected<CheckConfig> parse(std::vector<std::string> args) {
  args.insert(args.begin(), {"-I", "127.0.0.1"});
  return parse_check_options(args);
}

TEST(VantageOptions, SourceAddressAndInterfaceSetTheWayOut) {
  auto c = parse({"--source-address", "192.0.2.10"});
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->spec.interface, "host!192.0.2.10");
  EXPECT_TRUE(c->vantages.empty());
  c = parse({"--source-address", "2001:db8::1"});
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->spec.interface, "host!2001:db8::1");
  c = parse({"--interface", "eth1"});
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->spec.interface, "if!eth1");
  c = parse({});
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->spec.interface, "") << "without them nothing changes";
}

TEST(VantageOptions, RepeatedVantagesInOrder) {
  auto c = parse({"--vantage", "eu1=source:127.0.0.2", "--vantage=us1=via:socks5h://127.0.0.1:1080",
                  "--vantage", "here=direct", "--vantage", "lan=interface:eth1", "--vantage-quorum=2"});
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_EQ(c->vantages.size(), 4u);
  EXPECT_EQ(c->vantages[0].name, "eu1");
  EXPECT_EQ(c->vantages[0].kind, Vantage::Kind::source);
  EXPECT_EQ(c->vantages[1].kind, Vantage::Kind::proxy);
  EXPECT_EQ(c->vantages[1].value, "socks5h://127.0.0.1:1080");
  EXPECT_EQ(c->vantages[2].kind, Vantage::Kind::direct);
  EXPECT_EQ(c->vantages[3].kind, Vantage::Kind::interface);
  EXPECT_EQ(c->vantage_rule.quorum, 2);
}

// Each vantage and their combination keep their own state: the vantages
// are not part of the plain check's identity, so adding one keeps the
// history of the others.
TEST(VantageOptions, VantagesAreNotPartOfThePlainIdentity) {
  auto plain = parse({"-u", "/x"});
  auto with = parse({"-u", "/x", "--vantage", "eu1=source:127.0.0.2", "--vantage-quorum=1"});
  ASSERT_TRUE(plain.ok() && with.ok());
  EXPECT_EQ(plain->state.identity, with->state.identity);
  auto from = parse({"-u", "/x", "--source-address", "127.0.0.2"});
  ASSERT_TRUE(from.ok());
  EXPECT_NE(plain->state.identity, from->state.identity) << "another way out is another check";
}

TEST(VantageOptions, BadValuesNameTheOption) {
  struct Bad {
    std::vector<std::string> args;
    const char* message;
  };
  const Bad cases[] = {
      {{"--vantage", "eu1"},
       "invalid value for --vantage: expected NAME=source:ADDRESS, NAME=interface:IF, NAME=via:PROXY_URL or "
       "NAME=direct"},
      {{"--vantage", "=direct"},
       "invalid value for --vantage: '' is not a vantage name (letters, digits, '_', '-' and '.', at most "
       "40)"},
      {{"--vantage", "eu1=elsewhere:x"},
       "invalid value for --vantage: eu1: expected source:ADDRESS, interface:IF, via:PROXY_URL or direct "
       "after the "
       "'='"},
      {{"--vantage", "eu1=source:"}, "invalid value for --vantage: eu1: '' is not an IPv4 or IPv6 address"},
      {{"--vantage", "eu1=interface:a/b"},
       "invalid value for --vantage: eu1: 'a/b' is not an interface name"},
      {{"--vantage", "eu1=via:127.0.0.1:3128"},
       "invalid value for --vantage: eu1: the proxy must be a URL with http, https, socks4, socks4a, socks5 "
       "or "
       "socks5h"},
      {{"--vantage", "eu1=via:http://127.0.0.1:3128,user=x"},
       "invalid value for --vantage: eu1: after the proxy URL only ',proxy-auth-file=FILE' and "
       "',proxy-ca-cert=FILE' may follow"},
      {{"--vantage", "eu1=via:http://127.0.0.1:3128,proxy-auth-file="},
       "invalid value for --vantage: eu1: after the proxy URL only ',proxy-auth-file=FILE' and "
       "',proxy-ca-cert=FILE' may follow"},
      {{"--vantage", "a=direct", "--vantage", "a=direct"},
       "invalid value for --vantage: the name 'a' is given twice"},
      {{"--vantage-quorum=1"}, "--vantage-quorum needs --vantage"},
      {{"--vantage", "a=direct", "--vantage-quorum=0"},
       "invalid value for --vantage-quorum: 0 (expected 1 to 1, the number of vantages)"},
      {{"--source-address", "127.0.0.2", "--interface", "lo"},
       "--source-address and --interface both choose the way out: give one of them"},
      {{"--interface", "this-name-is-too-long"},
       "invalid value for --interface: 'this-name-is-too-long' is not an interface name"},
  };
  for (const auto& bad : cases) {
    auto c = parse(bad.args);
    ASSERT_FALSE(c.ok()) << bad.message;
    EXPECT_EQ(c.error(), bad.message);
  }
}

TEST(VantageOptions, ProxyCredentialsNeverInTheMessage) {
  auto c = parse({"--vantage", "eu1=via:ftp://user:hunter2@127.0.0.1:21"});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().find("hunter2"), std::string::npos) << c.error();
}

}  // namespace
}  // namespace probewise
