// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/rate_limit.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace probewise {
namespace {

constexpr std::time_t kNow = 1795824000;  // Sat, 28 Nov 2026 00:00:00 GMT

using Headers = std::vector<std::pair<std::string, std::string>>;
using Opt = std::optional<long long>;

HeaderMap headers_of(const Headers& list) {
  HeaderMap h;
  for (const auto& [n, v] : list) h.add(n, v);
  return h;
}

std::string at(long long seconds_from_now) {
  return std::to_string(kNow + seconds_from_now);
}

struct ParseCase {
  const char* origin;
  Headers headers;
  Opt limit, remaining, reset, retry_after, window;
  std::size_t evidence;  // how many headers were used
};

void PrintTo(const ParseCase& c, std::ostream* os) {
  *os << c.origin;
}

class ParseRateLimit : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseRateLimit, ReadsTheFields) {
  const auto& c = GetParam();
  RateLimit r = parse_rate_limit(headers_of(c.headers), kNow);
  EXPECT_EQ(r.limit, c.limit) << c.origin;
  EXPECT_EQ(r.remaining, c.remaining) << c.origin;
  EXPECT_EQ(r.reset_seconds, c.reset) << c.origin;
  EXPECT_EQ(r.retry_after_seconds, c.retry_after) << c.origin;
  EXPECT_EQ(r.window_seconds, c.window) << c.origin;
  EXPECT_EQ(r.evidence.size(), c.evidence) << c.origin;
}

const Opt kNo;

const ParseCase kParseCases[] = {
    // RFC 9110 10.2.3: both forms of Retry-After.
    {"RFC 9110 10.2.3 delta-seconds", {{"Retry-After", "120"}}, kNo, kNo, kNo, 120, kNo, 1},
    {"RFC 9110 10.2.3 HTTP-date (past)",
     {{"Retry-After", "Fri, 31 Dec 1999 23:59:59 GMT"}},
     kNo,
     kNo,
     kNo,
     0,
     kNo,
     1},
    {"HTTP-date two minutes ahead",
     {{"Retry-After", "Sat, 28 Nov 2026 00:02:00 GMT"}},
     kNo,
     kNo,
     kNo,
     120,
     kNo,
     1},
    {"RFC 850 date", {{"Retry-After", "Saturday, 28-Nov-26 00:02:00 GMT"}}, kNo, kNo, kNo, 120, kNo, 1},
    {"fractional delta (non-standard) rounds up", {{"Retry-After", "1.5"}}, kNo, kNo, kNo, 2, kNo, 1},
    {"Retry-After garbage", {{"Retry-After", "soon"}}, kNo, kNo, kNo, kNo, kNo, 0},
    {"Retry-After negative", {{"Retry-After", "-5"}}, kNo, kNo, kNo, kNo, kNo, 0},
    {"Retry-After empty", {{"Retry-After", ""}}, kNo, kNo, kNo, kNo, kNo, 0},
    // GitHub REST API docs: X-RateLimit-Reset is epoch seconds.
    {"GitHub",
     {{"x-ratelimit-limit", "5000"},
      {"x-ratelimit-remaining", "0"},
      {"x-ratelimit-used", "5000"},
      {"x-ratelimit-reset", at(50)},
      {"x-ratelimit-resource", "core"}},
     5000,
     0,
     50,
     kNo,
     kNo,
     3},
    {"GitHub, reset already past",
     {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", at(-10)}},
     kNo,
     0,
     0,
     kNo,
     kNo,
     2},
    // X (Twitter) API v2 docs: x-rate-limit-* with an epoch reset.
    {"X API v2",
     {{"x-rate-limit-limit", "900"}, {"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", at(600)}},
     900,
     0,
     600,
     kNo,
     kNo,
     3},
    // Discord docs: fractional epoch Reset, Reset-After in seconds (preferred).
    {"Discord",
     {{"X-RateLimit-Limit", "5"},
      {"X-RateLimit-Remaining", "0"},
      {"X-RateLimit-Reset", at(65) + ".123"},
      {"X-RateLimit-Reset-After", "64.57"}},
     5,
     0,
     65,
     kNo,
     kNo,
     3},
    // GitLab.com docs: RateLimit-Reset is an epoch timestamp there.
    {"GitLab.com",
     {{"RateLimit-Limit", "60"}, {"RateLimit-Remaining", "0"}, {"RateLimit-Reset", at(30)}},
     60,
     0,
     30,
     kNo,
     kNo,
     3},
    {"epoch in milliseconds",
     {{"X-RateLimit-Reset", std::to_string((kNow + 50) * 1000)}},
     kNo,
     kNo,
     50,
     kNo,
     kNo,
     1},
    {"reset as an HTTP-date",
     {{"X-RateLimit-Reset", "Sat, 28 Nov 2026 00:00:50 GMT"}},
     kNo,
     kNo,
     50,
     kNo,
     kNo,
     1},
    // draft-ietf-httpapi-ratelimit-headers-06: separate fields, numeric policies.
    {"draft 06",
     {{"RateLimit-Limit", "10"},
      {"RateLimit-Remaining", "0"},
      {"RateLimit-Reset", "7"},
      {"RateLimit-Policy", "10;w=1, 50;w=60"}},
     10,
     0,
     7,
     kNo,
     1,
     4},
    {"draft 06, policy picked by its limit",
     {{"RateLimit-Limit", "50"}, {"RateLimit-Remaining", "3"}, {"RateLimit-Policy", "10;w=1, 50;w=60"}},
     50,
     3,
     kNo,
     kNo,
     60,
     3},
    // draft-ietf-httpapi-ratelimit-headers-07: one dictionary field.
    {"draft 07 dictionary",
     {{"RateLimit", "limit=100, remaining=0, reset=50"}, {"RateLimit-Policy", "100;w=60"}},
     100,
     0,
     50,
     kNo,
     60,
     2},
    // draft-ietf-httpapi-ratelimit-headers-08 and later: named policies.
    {"draft 08",
     {{"RateLimit", R"("default";r=0;t=30)"}, {"RateLimit-Policy", R"("default";q=100;w=60)"}},
     100,
     0,
     30,
     kNo,
     60,
     2},
    {"draft 08, two policies: the exhausted one",
     {{"RateLimit-Policy", R"("burst";q=100;w=60, "daily";q=1000;w=86400)"},
      {"RateLimit", R"("burst";r=50;t=30, "daily";r=0;t=3600)"}},
     1000,
     0,
     3600,
     kNo,
     86400,
     2},
    {"draft 08, two policies: the fewest left",
     {{"RateLimit-Policy", R"("a";q=100;w=60, "b";q=10;w=1)"},
      {"RateLimit", R"("a";r=40;t=20, "b";r=2;t=1)"}},
     10,
     2,
     1,
     kNo,
     1,
     2},
    {"draft 08, partition key and quota unit",
     {{"RateLimit-Policy", R"("peruser";q=100;qu="requests";w=60;pk=:cHsdsRa894==:)"},
      {"RateLimit", R"("peruser";r=0;t=5;pk=:cHsdsRa894==:)"}},
     100,
     0,
     5,
     kNo,
     60,
     2},
    {"draft 08, RateLimit alone", {{"RateLimit", R"("default";r=5;t=10)"}}, kNo, 5, 10, kNo, kNo, 1},
    {"draft 08, policy alone: the tightest",
     {{"RateLimit-Policy", R"("burst";q=100;w=60, "day";q=1000;w=86400)"}},
     1000,
     kNo,
     kNo,
     kNo,
     86400,
     1},
    {"RateLimit field wins over X-RateLimit-*",
     {{"RateLimit", R"("default";r=0;t=30)"}, {"X-RateLimit-Remaining", "7"}, {"X-RateLimit-Limit", "100"}},
     100,
     0,
     30,
     kNo,
     kNo,
     2},
    {"429 with everything",
     {{"Retry-After", "30"}, {"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "0"}},
     100,
     0,
     kNo,
     30,
     kNo,
     3},
    {"list value in X-RateLimit-Limit", {{"X-RateLimit-Limit", "100, 100;w=60"}}, 100, kNo, kNo, kNo, kNo, 1},
    // Malformed values are ignored.
    {"bad numbers",
     {{"X-RateLimit-Limit", "-1"}, {"X-RateLimit-Remaining", "abc"}, {"X-RateLimit-Reset", ""}},
     kNo,
     kNo,
     kNo,
     kNo,
     kNo,
     0},
    {"overflow", {{"X-RateLimit-Limit", "99999999999999999999999999"}}, kNo, kNo, kNo, kNo, kNo, 0},
    {"trailing junk", {{"X-RateLimit-Remaining", "0 requests"}}, kNo, kNo, kNo, kNo, kNo, 0},
    {"unterminated structured string", {{"RateLimit", R"("default;r=0;t=30)"}}, kNo, kNo, kNo, kNo, kNo, 0},
    {"structured field, bad params", {{"RateLimit", R"("default";r=x;t=-3)"}}, kNo, kNo, kNo, kNo, kNo, 0},
    {"structured field, empty members", {{"RateLimit", R"(, ,"default";r=0,)"}}, kNo, 0, kNo, kNo, kNo, 1},
    {"nothing", {{"Content-Type", "text/html"}}, kNo, kNo, kNo, kNo, kNo, 0},
};

INSTANTIATE_TEST_SUITE_P(Cases, ParseRateLimit, ::testing::ValuesIn(kParseCases));

TEST(ParseRateLimitEvidence, QuotesTheHeadersUsed) {
  RateLimit r = parse_rate_limit(
      headers_of({{"Retry-After", "30"}, {"x-ratelimit-remaining", "0"}, {"X-RateLimit-Limit", "junk"}}),
      kNow);
  EXPECT_EQ(r.evidence, (std::vector<std::string>{"Retry-After: 30", "X-RateLimit-Remaining: 0"}));
}

TEST(ParseRateLimitBounds, LongValuesAreCutAndSafe) {
  std::string many;
  for (int k = 0; k < 10000; ++k) many += "\"p" + std::to_string(k) + "\";r=" + std::to_string(k) + ", ";
  RateLimit r =
      parse_rate_limit(headers_of({{"RateLimit", many}, {"Retry-After", std::string(100000, '9')}}), kNow);
  EXPECT_EQ(r.remaining, 0);  // "p0" is among the members read
  EXPECT_FALSE(r.retry_after_seconds.has_value());
  for (const auto& e : r.evidence) EXPECT_LE(e.size(), 150u);
}

TEST(RateLimitState, PresentExhaustedRetryIn) {
  RateLimit empty;
  EXPECT_FALSE(empty.present());
  EXPECT_FALSE(empty.exhausted());
  EXPECT_FALSE(empty.retry_in().has_value());

  RateLimit left;
  left.remaining = 3;
  left.reset_seconds = 20;
  EXPECT_TRUE(left.present());
  EXPECT_FALSE(left.exhausted());
  EXPECT_EQ(left.retry_in(), 20);

  RateLimit retry = left;
  retry.retry_after_seconds = 5;
  EXPECT_TRUE(retry.exhausted());
  EXPECT_EQ(retry.retry_in(), 5);  // Retry-After wins over the reset

  RateLimit zero;
  zero.remaining = 0;
  EXPECT_TRUE(zero.exhausted());
}

struct SignalCase {
  const char* origin;
  int status;
  Headers headers;
  bool signal;
  Strength strength;
  const char* detail;
};

void PrintTo(const SignalCase& c, std::ostream* os) {
  *os << c.origin;
}

class RateLimitSignals : public ::testing::TestWithParam<SignalCase> {};

TEST_P(RateLimitSignals, SaysWhenToRetry) {
  const auto& c = GetParam();
  Signals s = rate_limit_signals(parse_rate_limit(headers_of(c.headers), kNow), c.status);
  ASSERT_EQ(s.size(), c.signal ? 1u : 0u) << c.origin;
  if (!c.signal) return;
  EXPECT_EQ(s[0].reason, "throttled") << c.origin;
  EXPECT_EQ(s[0].strength, c.strength) << c.origin;
  EXPECT_EQ(s[0].detail, c.detail) << c.origin;
  EXPECT_FALSE(s[0].evidence.empty()) << c.origin;
}

const SignalCase kSignalCases[] = {
    // RFC 6585 4: 429 with Retry-After.
    {"RFC 6585 4", 429, {{"Retry-After", "30"}}, true, Strength::explicit_, "retry in 30 s"},
    {"429 alone", 429, {}, true, Strength::explicit_, "the server is limiting the request rate"},
    {"429, draft 08",
     429,
     {{"RateLimit", R"("default";r=0;t=50)"}, {"RateLimit-Policy", R"("default";q=100;w=60)"}},
     true,
     Strength::explicit_,
     "limit 100 per 60 s exhausted, resets in 50 s"},
    // GitHub answers an exhausted primary rate limit with 403.
    {"GitHub 403",
     403,
     {{"X-RateLimit-Limit", "5000"}, {"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", at(1800)}},
     true,
     Strength::explicit_,
     "limit 5000 exhausted, resets in 30 min"},
    {"503 with an exhausted limit",
     503,
     {{"RateLimit", R"("default";r=0;t=20)"}},
     true,
     Strength::explicit_,
     "rate limit exhausted, resets in 20 s"},
    // SPEC 1.3: Retry-After alone is no rate limit (Varnish puts it on every
    // synthetic answer); on a 403 it is a detail of the denial, shown only.
    // GitHub's secondary limit says so in its body (evidence/wording.h).
    {"403 with Retry-After alone (a cache's synthetic answer)",
     403,
     {{"Retry-After", "5"}},
     true,
     Strength::presence,
     "a Retry-After without a rate limit: a detail of the answer"},
    {"403 with Retry-After and a rate-limit header",
     403,
     {{"Retry-After", "60"}, {"X-RateLimit-Limit", "5000"}},
     true,
     Strength::wording,
     "retry in 60 s"},
    {"503 with Retry-After alone (maintenance)",
     503,
     {{"Retry-After", "7200"}},
     true,
     Strength::presence,
     "a Retry-After without a rate limit: a detail of the answer"},
    {"503 with Retry-After and a rate-limit header",
     503,
     {{"Retry-After", "7200"}, {"RateLimit-Limit", "100"}},
     true,
     Strength::wording,
     "retry in 2 h"},
    {"retry a day later", 429, {{"Retry-After", "172800"}}, true, Strength::explicit_, "retry in 2 days"},
    {"403 with requests left", 403, {{"X-RateLimit-Remaining", "12"}}, false, Strength::wording, ""},
    {"403 without headers", 403, {}, false, Strength::wording, ""},
    {"200 with remaining 0", 200, {{"X-RateLimit-Remaining", "0"}}, false, Strength::wording, ""},
    {"401 with Retry-After", 401, {{"Retry-After", "30"}}, false, Strength::wording, ""},
};

INSTANTIATE_TEST_SUITE_P(Cases, RateLimitSignals, ::testing::ValuesIn(kSignalCases));

TEST(RateLimitSignalsEvidence, JoinsTheHeaders) {
  RateLimit r = parse_rate_limit(headers_of({{"Retry-After", "30"}, {"X-RateLimit-Remaining", "0"}}), kNow);
  Signals s = rate_limit_signals(r, 429);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].evidence, "Retry-After: 30; X-RateLimit-Remaining: 0");
  EXPECT_EQ(rate_limit_signals(RateLimit{}, 429)[0].evidence, "HTTP 429 without rate-limit headers");
}

}  // namespace
}  // namespace probewise
