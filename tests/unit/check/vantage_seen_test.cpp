// SPDX-License-Identifier: GPL-2.0-or-later
// What the rule reads from one vantage's check (check/vantage_run.h): its
// verdict, or that the vantage itself could not probe.
#include <gtest/gtest.h>

#include "check/vantage_run.h"
#include "judge/classify.h"
#include "support/made_up.h"

namespace probewise {
namespace {

using testing::made_up_answer;
constexpr std::time_t kNow = testing::kMadeUpNow;

Vantage vantage(const std::string& text) {
  auto v = parse_vantage(text);
  EXPECT_TRUE(v.ok());
  return v.ok() ? *v : Vantage{};
}

VantageSeen seen_of(const std::string& definition, ProbeResult r) {
  const Vantage v = vantage(definition);
  RequestSpec base;
  base.url = "http://127.0.0.1:8080/";
  const RequestSpec asked = from_vantage(base, v);
  r.url = base.url;
  return vantage_seen(v, asked, r, classify(r, Policy{}, kNow));
}

TEST(VantageSeen, AnAnswerIsTheVantagesOwnVerdict) {
  VantageSeen s = seen_of("eu1=source:127.0.0.2", made_up_answer(403, "<h1>403 Forbidden</h1>"));
  EXPECT_TRUE(s.ran);
  EXPECT_EQ(s.name, "eu1");
  EXPECT_EQ(s.via, "source 127.0.0.2");
  EXPECT_EQ(s.state, State::warning);
  EXPECT_EQ(s.reason, "forbidden.unspecified");
  EXPECT_EQ(s.status, 403);
}

TEST(VantageSeen, AProxyThatIsNotThereCouldNotRun) {
  ProbeResult r;
  r.transport = Transport::refused;
  r.curl_code = 7;
  r.error = "Failed to connect to 127.0.0.1 port 3999 after 0 ms: Couldn't connect to server";
  r.egress_failed = true;
  VantageSeen s = seen_of("us1=via:http://127.0.0.1:3999", r);
  EXPECT_FALSE(s.ran);
  EXPECT_EQ(s.why_not, "its proxy http://127.0.0.1:3999 refused the connection");
  EXPECT_EQ(s.reason, "net.refused");
}

TEST(VantageSeen, ASourceAddressThatIsNotHereCouldNotRun) {
  ProbeResult r;
  r.transport = Transport::error;
  r.curl_code = 45;
  r.error = "bind failed with errno 99: Cannot assign requested address";
  r.egress_failed = true;
  VantageSeen s = seen_of("far=source:192.0.2.1", r);
  EXPECT_FALSE(s.ran);
  EXPECT_EQ(
      s.why_not,
      "its source address 192.0.2.1 cannot be used on this host: bind failed with errno 99: Cannot assign "
      "requested address");
  s = seen_of("lan=interface:eth9", r);
  EXPECT_EQ(s.why_not.rfind("its interface eth9 cannot be used on this host", 0), 0u) << s.why_not;
}

// Squid 5.7's own answers (tests/data/real/squid-*.txt show the headers).
TEST(VantageSeen, TheProxysOwnRefusalIsTheVantages) {
  VantageSeen s = seen_of("us1=via:http://127.0.0.1:3128",
                          made_up_answer(407, "", "Proxy-Authenticate: Basic realm=\"proxy\"\r\n"));
  EXPECT_FALSE(s.ran);
  EXPECT_EQ(s.why_not, "its proxy http://127.0.0.1:3128 refused the request (407)");
  ProbeResult denied = made_up_answer(403, "", "Server: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\n");
  denied.reason_phrase = "Forbidden";
  s = seen_of("us1=via:http://127.0.0.1:3128", denied);
  EXPECT_FALSE(s.ran);
  EXPECT_EQ(s.why_not, "its proxy http://127.0.0.1:3128 refused the request (403 Forbidden)");
}

TEST(VantageSeen, AProxyThatCouldNotReachTheTargetIsANetworkFailureFromThere) {
  ProbeResult r = made_up_answer(503, "", "Server: squid/5.7\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\n");
  r.reason_phrase = "Service Unavailable";
  VantageSeen s = seen_of("us1=via:http://127.0.0.1:3128", r);
  EXPECT_TRUE(s.ran);
  EXPECT_EQ(s.reason, "net.error");
  EXPECT_EQ(s.status, 0) << "no answer from the target";
  EXPECT_EQ(s.detail,
            "the proxy (Squid) answered 503 Service Unavailable itself: it could not reach the target");
  // The target's own 503, through the same proxy, is the target's.
  s = seen_of("us1=via:http://127.0.0.1:3128", made_up_answer(503));
  EXPECT_EQ(s.reason, "http.server_error");
  EXPECT_EQ(s.status, 503);
}

TEST(VantageSeen, ServerTextIsPrintable) {
  ProbeResult r = made_up_answer(403);
  r.reason_phrase = "Forbidden | time=0s\x1b[31m";
  VantageSeen s = seen_of("eu1=source:127.0.0.2", r);
  EXPECT_EQ(s.status_text.find('|'), std::string::npos) << s.status_text;
  EXPECT_EQ(s.status_text.find('\x1b'), std::string::npos) << s.status_text;
}

}  // namespace
}  // namespace probewise
