// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/check_steps and token_broker: one check as steps, the
// order run_check() (common/check/check_run.cpp) follows, fed with made-up
// answers; OAuth tokens shared between endpoints.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "check_steps.h"
#include "token_broker.h"

namespace probewise {
namespace {

constexpr std::time_t kNow = 1795824000;  // 2026-11-28T00:00:00Z

ProbeResult answer(int status, std::string body = "", std::string headers = "") {
  ProbeResult r;
  r.status = status;
  r.http_version = "HTTP/1.1";
  r.status_line = "HTTP/1.1 " + std::to_string(status);
  r.body = std::move(body);
  r.body_bytes = r.body.size();
  r.new_connections = 1;
  if (!headers.empty()) r.headers = parse_header_block(headers);
  return r;
}

ProbeResult token_answer(const std::string& token) {
  ProbeResult r =
      answer(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
             "Content-Type: application/json\r\n");
  r.url = "http://127.0.0.1/token";
  return r;
}

Context context() {
  Context c;
  c.now = kNow;
  return c;
}

RequestSpec spec() {
  RequestSpec s;
  s.url = "http://127.0.0.1/api";
  s.timeout_ms = 5000;
  return s;
}

bool has_header(const RequestSpec& s, const std::string& line) {
  for (const auto& h : s.headers)
    if (h == line) return true;
  return false;
}

OAuthToken token(const std::string& value) {
  OAuthToken t;
  t.access_token = value;
  t.token_type = "Bearer";
  t.obtained_at = kNow;
  t.expires_at = kNow + 3600;
  return t;
}

TEST(CheckSteps, PlainRequest) {
  Policy p;
  CheckSteps steps(spec(), p, false, context(), 1000);
  ASSERT_EQ(steps.next(), CheckSteps::Next::request);
  EXPECT_EQ(steps.request(1000).url, "http://127.0.0.1/api");
  steps.answer(answer(200));
  ASSERT_EQ(steps.next(), CheckSteps::Next::done);
  CheckOutcome out = steps.outcome();
  EXPECT_EQ(out.verdict.state, State::ok);
  EXPECT_EQ(out.result.status, 200);
  EXPECT_FALSE(out.sent.sent);
}

// Every request of a check shares the Timeout budget, as in run_check.
TEST(CheckSteps, RequestsShareTheBudget) {
  Policy p;
  CheckSteps steps(spec(), p, false, context(), 1000);
  EXPECT_EQ(steps.request(1000).timeout_ms, 5000);
  EXPECT_EQ(steps.request(3500).timeout_ms, 2500);
  EXPECT_EQ(steps.request(9000).timeout_ms, 1) << "never 0: libcurl would take that as no limit";
}

TEST(CheckSteps, OAuthTokenGoesOnTheRequest) {
  Policy p;
  CheckSteps steps(spec(), p, true, context(), 0);
  ASSERT_EQ(steps.next(), CheckSteps::Next::token);
  EXPECT_FALSE(steps.wants_fresh_token());
  steps.give_token(token("t1"), false);
  ASSERT_EQ(steps.next(), CheckSteps::Next::request);
  EXPECT_TRUE(has_header(steps.request(0), "Authorization: Bearer t1"));
  steps.answer(answer(200));
  ASSERT_EQ(steps.next(), CheckSteps::Next::done);
  CheckOutcome out = steps.outcome();
  EXPECT_EQ(out.sent.kind, "OAuth access token");
  ASSERT_TRUE(out.sent.expires_at);
  EXPECT_EQ(*out.sent.expires_at, kNow + 3600);
}

// A cached token refused with 401: one fresh token, then the answer stands.
TEST(CheckSteps, RefusedCachedTokenIsReplacedOnce) {
  Policy p;
  CheckSteps steps(spec(), p, true, context(), 0);
  steps.give_token(token("old"), true);
  steps.answer(answer(401, "", "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n"));
  ASSERT_EQ(steps.next(), CheckSteps::Next::token);
  EXPECT_TRUE(steps.wants_fresh_token());
  EXPECT_EQ(steps.refused_token(), "old");
  steps.give_token(token("new"), false);
  ASSERT_EQ(steps.next(), CheckSteps::Next::request);
  RequestSpec r = steps.request(0);
  EXPECT_TRUE(has_header(r, "Authorization: Bearer new"));
  EXPECT_FALSE(has_header(r, "Authorization: Bearer old"));
  EXPECT_EQ(r.headers.size(), 1u);
  steps.answer(answer(401, "", "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n"));
  EXPECT_EQ(steps.next(), CheckSteps::Next::done) << "no second retry";
  EXPECT_EQ(steps.outcome().result.status, 401);
}

// A fresh token that does not come keeps the 401 of the cached one.
TEST(CheckSteps, NoFreshTokenKeepsTheFirstAnswer) {
  Policy p;
  CheckSteps steps(spec(), p, true, context(), 0);
  steps.give_token(token("old"), true);
  steps.answer(answer(401));
  ASSERT_EQ(steps.next(), CheckSteps::Next::token);
  steps.token_failed(OAuthFailure{"auth.service_unavailable", "the token endpoint is failing", {}});
  ASSERT_EQ(steps.next(), CheckSteps::Next::done);
  CheckOutcome out = steps.outcome();
  EXPECT_EQ(out.result.status, 401);
  EXPECT_NE(out.verdict.reason, "auth.service_unavailable");
}

TEST(CheckSteps, TokenFailureIsTheVerdict) {
  Policy p;
  CheckSteps steps(spec(), p, true, context(), 0);
  steps.token_failed(
      OAuthFailure{"auth.service_unavailable", "the OAuth token endpoint is failing (503)", {}});
  ASSERT_EQ(steps.next(), CheckSteps::Next::done);
  CheckOutcome out = steps.outcome();
  EXPECT_EQ(out.verdict.reason, "auth.service_unavailable");
  EXPECT_EQ(out.verdict.state, State::critical);
  EXPECT_FALSE(out.result.has_answer());
}

TEST(CheckSteps, CheckAuthEnforcedSendsTheTwin) {
  Policy p;
  p.check_auth_enforced = true;
  RequestSpec s = spec();
  s.headers.push_back("Authorization: Bearer static");
  CheckSteps steps(s, p, false, context(), 0);
  steps.answer(answer(200));
  ASSERT_EQ(steps.next(), CheckSteps::Next::request);
  EXPECT_TRUE(steps.request(0).headers.empty()) << "the twin goes without credentials";
  steps.answer(answer(200));
  ASSERT_EQ(steps.next(), CheckSteps::Next::done);
  EXPECT_EQ(steps.outcome().verdict.reason, "auth.not_enforced");
}

TEST(CheckSteps, NoTwinWithoutAnAnswer) {
  Policy p;
  p.check_auth_enforced = true;
  CheckSteps steps(spec(), p, false, context(), 0);
  ProbeResult refused;
  refused.transport = Transport::refused;
  refused.curl_code = 7;
  steps.answer(refused);
  EXPECT_EQ(steps.next(), CheckSteps::Next::done);
}

class TokenBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/probewise-secret-XXXXXX";
    int fd = mkstemp(name);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "s3cret\n", 7), 7);
    close(fd);
    secret_file_ = name;
    config_ = OAuth2Config{"http://127.0.0.1/token", "mon", secret_file_, ""};
  }
  void TearDown() override { std::remove(secret_file_.c_str()); }
  std::string secret_file_;
  OAuth2Config config_;
};

// Endpoints with the same OAuth client share one token and one fetch.
TEST_F(TokenBrokerTest, OneFetchForEveryWaiter) {
  TokenBroker b;
  std::size_t slot = b.add(config_, spec());
  EXPECT_EQ(b.add(config_, spec()), slot);
  auto first = b.acquire(slot, 1, "", kNow, 3000);
  ASSERT_TRUE(first.fetch);
  EXPECT_FALSE(first.grant);
  EXPECT_EQ(first.fetch->timeout_ms, 3000);
  EXPECT_EQ(first.fetch->url, "http://127.0.0.1/token");
  EXPECT_EQ(first.fetch->method, "POST");
  auto second = b.acquire(slot, 2, "", kNow, 3000);
  EXPECT_FALSE(second.fetch) << "a fetch is under way already";
  EXPECT_FALSE(second.grant);

  auto d = b.complete(slot, token_answer("tok-1"), kNow);
  EXPECT_EQ(d.waiters, (std::vector<std::size_t>{1, 2}));
  ASSERT_TRUE(d.token);
  EXPECT_EQ(d.token->access_token, "tok-1");

  auto third = b.acquire(slot, 3, "", kNow + 10, 3000);
  ASSERT_TRUE(third.grant);
  EXPECT_TRUE(third.grant->from_cache);
  EXPECT_EQ(third.grant->token.access_token, "tok-1");
}

TEST_F(TokenBrokerTest, RefusedTokenIsFetchedAgain) {
  TokenBroker b;
  std::size_t slot = b.add(config_, spec());
  b.acquire(slot, 1, "", kNow, 3000);
  b.complete(slot, token_answer("tok-1"), kNow);
  auto again = b.acquire(slot, 1, "tok-1", kNow, 3000);
  EXPECT_TRUE(again.fetch);
  b.complete(slot, token_answer("tok-2"), kNow);
  // Another endpoint refused tok-1 too, after tok-2 came: it gets tok-2, as fresh.
  auto other = b.acquire(slot, 2, "tok-1", kNow, 3000);
  ASSERT_TRUE(other.grant);
  EXPECT_EQ(other.grant->token.access_token, "tok-2");
  EXPECT_FALSE(other.grant->from_cache);
}

TEST_F(TokenBrokerTest, FailingTokenEndpoint) {
  TokenBroker b;
  std::size_t slot = b.add(config_, spec());
  b.acquire(slot, 1, "", kNow, 3000);
  ProbeResult failing = answer(503, "{\"error\":\"temporarily_unavailable\"}");
  failing.url = "http://127.0.0.1/token";
  auto d = b.complete(slot, failing, kNow);
  EXPECT_FALSE(d.token);
  EXPECT_EQ(d.failure.reason, "auth.service_unavailable");
  EXPECT_TRUE(b.acquire(slot, 1, "", kNow, 3000).fetch) << "the next check tries again";
}

TEST_F(TokenBrokerTest, UnreadableSecret) {
  TokenBroker b;
  OAuth2Config c = config_;
  c.client_secret_file = "/nonexistent/secret";
  std::size_t slot = b.add(c, spec());
  auto got = b.acquire(slot, 1, "", kNow, 3000);
  ASSERT_TRUE(got.failed);
  EXPECT_EQ(got.failed->reason, "auth.missing_credentials");
  EXPECT_FALSE(got.fetch);
}

}  // namespace
}  // namespace probewise
