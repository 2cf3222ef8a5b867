// SPDX-License-Identifier: GPL-2.0-or-later
// credentials/token_broker: one OAuth token per client, shared by the checks
// that use it, fetched once for all that wait.
#include "credentials/token_broker.h"

#include <gtest/gtest.h>

#include "support/made_up.h"

namespace probewise {
namespace {

using testing::token_answer;

constexpr std::time_t kNow = testing::kMadeUpNow;

RequestSpec spec() {
  RequestSpec s;
  s.url = "http://127.0.0.1/api";
  s.timeout_ms = 5000;
  return s;
}

class TokenBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(secret_.path().empty()); }
  testing::SecretFile secret_;
  OAuth2Config config_{"http://127.0.0.1/token", "mon", secret_.path(), ""};
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

// A token from elsewhere (check_probewise's cache file) is granted while it
// is usable, and dropped when refused.
TEST_F(TokenBrokerTest, HeldTokenIsGrantedUntilRefused) {
  TokenBroker b;
  std::size_t slot = b.add(config_, spec());
  b.hold(slot, testing::made_up_token("cached"));
  auto got = b.acquire(slot, 0, "", kNow, 3000);
  ASSERT_TRUE(got.grant);
  EXPECT_EQ(got.grant->token.access_token, "cached");
  EXPECT_TRUE(got.grant->from_cache);
  EXPECT_TRUE(b.acquire(slot, 0, "cached", kNow, 3000).fetch);

  TokenBroker late;
  slot = late.add(config_, spec());
  late.hold(slot, testing::made_up_token("stale"));
  EXPECT_TRUE(late.acquire(slot, 0, "", kNow + 3590, 3000).fetch) << "too close to its expiry";
}

TEST_F(TokenBrokerTest, FailingTokenEndpoint) {
  TokenBroker b;
  std::size_t slot = b.add(config_, spec());
  b.acquire(slot, 1, "", kNow, 3000);
  ProbeResult failing = testing::made_up_answer(503, "{\"error\":\"temporarily_unavailable\"}");
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
