// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/oauth2.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

ProbeResult answer(int status, const std::string& body) {
  ProbeResult r;
  r.url = "https://idp.example/token";
  r.status = status;
  r.status_line = "HTTP/1.1 " + std::to_string(status);
  r.body = body;
  return r;
}

// RFC 6749 5.1 successful response and 5.2 error responses.
TEST(OAuth2, ReadsTheTokenAndItsLifetime) {
  OAuthFailure f;
  auto t = read_token_response(
      answer(200, R"({"access_token":"at","token_type":"Bearer","expires_in":3600})"), 1000, f);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->access_token, "at");
  EXPECT_EQ(t->expires_at, 4600);
  auto s = read_token_response(answer(200, R"({"access_token":"at","expires_in":"120"})"), 1000, f);
  EXPECT_EQ(s->expires_at, 1120);
}

TEST(OAuth2, FailuresAreClassified) {
  struct Case {
    ProbeResult r;
    const char* reason;
  };
  ProbeResult down;
  down.url = "https://idp.example/token";
  down.transport = Transport::refused;
  down.error = "Couldn't connect";
  for (const auto& c :
       {Case{down, "auth.service_unavailable"}, Case{answer(503, "busy"), "auth.service_unavailable"},
        Case{answer(401, R"({"error":"invalid_client"})"), "auth.invalid_credentials"},
        Case{answer(400, R"({"error":"invalid_scope"})"), "forbidden.permission"},
        Case{answer(400, R"({"error":"temporarily_unavailable"})"), "auth.service_unavailable"},
        Case{answer(200, R"({"token_type":"Bearer"})"), "auth.service_unavailable"},
        Case{answer(200, "<html>"), "auth.service_unavailable"}}) {
    OAuthFailure f;
    EXPECT_FALSE(read_token_response(c.r, 0, f).ok());
    EXPECT_EQ(f.reason, c.reason) << c.r.body;
    EXPECT_FALSE(f.detail.empty());
  }
}

TEST(OAuth2, CacheIsUsedUntilShortlyBeforeExpiry) {
  OAuthToken t{"at", "Bearer", 1000, 4600};
  EXPECT_TRUE(token_usable(t, 1000));
  EXPECT_TRUE(token_usable(t, 4000));
  EXPECT_FALSE(token_usable(t, 4300));  // within a tenth of its hour
  auto back = parse_token_cache(serialize_token(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->expires_at, 4600);
  EXPECT_FALSE(parse_token_cache("garbage").has_value());
}

TEST(OAuth2, TokenRequestUsesClientSecretBasic) {
  OAuth2Config c{"https://idp.example/token", "monitor id", "/dev/null", "read write"};
  RequestSpec base;
  base.verify_peer = true;
  RequestSpec s = token_request(c, "p@ss:word", base);
  EXPECT_EQ(s.method, "POST");
  EXPECT_EQ(s.body, "grant_type=client_credentials&scope=read+write");
  EXPECT_EQ(s.basic_auth, "monitor+id:p%40ss%3Aword");
  EXPECT_TRUE(s.verify_peer);
}

}  // namespace
}  // namespace probewise
