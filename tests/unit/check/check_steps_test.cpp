// SPDX-License-Identifier: GPL-2.0-or-later
// check/check_steps: the check sequence, driven by hand with made-up answers
// (check_run_test.cpp drives it through check_probewise's blocking driver).
#include "check/check_steps.h"

#include <gtest/gtest.h>

#include "support/made_up.h"

namespace probewise {
namespace {

using testing::made_up_answer;
using testing::made_up_token;

constexpr std::time_t kNow = testing::kMadeUpNow;

ProbeResult answer(int status, std::string body = "", const std::string& headers = "") {
  return made_up_answer(status, std::move(body), headers);
}

OAuthToken token(const std::string& value) {
  return made_up_token(value);
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
  for (const auto& h : s.credential_headers)
    if (h == line) return true;
  return false;
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

// A driver of many checks restarts a finished one for the next check: it
// starts from the beginning, with nothing of the last check left over (its
// token, its twin, its answer, its budget).
TEST(CheckSteps, RestartIsAFreshCheck) {
  Policy enforced;
  enforced.check_auth_enforced = true;
  CheckSteps steps(spec(), enforced, true, context(), 0);
  steps.give_token(token("t1"), false);
  steps.answer(answer(200));
  ASSERT_EQ(steps.next(), CheckSteps::Next::request) << "the twin without credentials";
  EXPECT_FALSE(has_header(steps.request_spec(), "Authorization: Bearer t1"));
  steps.answer(answer(401));
  CheckOutcome first = steps.outcome();
  EXPECT_EQ(first.sent.kind, "OAuth access token");

  Policy plain;
  RequestSpec other = spec();
  other.url = "http://127.0.0.1/other";
  steps.restart(other, plain, false, context(), 10000);
  ASSERT_EQ(steps.next(), CheckSteps::Next::request);
  EXPECT_EQ(steps.request_spec().url, "http://127.0.0.1/other");
  EXPECT_TRUE(steps.request_spec().credential_headers.empty()) << "no token of the last check";
  EXPECT_EQ(steps.budget_left_ms(12000), 3000) << "the budget starts again";
  steps.answer(answer(200));
  ASSERT_EQ(steps.next(), CheckSteps::Next::done) << "no twin: this policy does not ask for one";
  CheckOutcome second = steps.outcome();
  EXPECT_FALSE(second.sent.sent);
  EXPECT_EQ(second.verdict.state, State::ok);
}

// Every request of a check shares the timeout budget, token requests too.
TEST(CheckSteps, RequestsShareTheBudget) {
  Policy p;
  CheckSteps steps(spec(), p, false, context(), 1000);
  EXPECT_EQ(steps.request(1000).timeout_ms, 5000);
  EXPECT_EQ(steps.request(3500).timeout_ms, 2500);
  EXPECT_EQ(steps.budget_left_ms(3500), 2500);
  EXPECT_EQ(steps.request(9000).timeout_ms, 1) << "never 0: libcurl would take that as no limit";
  EXPECT_EQ(steps.budget_left_ms(9000), 1);
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
  EXPECT_EQ(r.credential_headers.size(), 1u);
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

}  // namespace
}  // namespace probewise
