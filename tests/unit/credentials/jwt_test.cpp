// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/jwt.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

std::string b64url(const std::string& in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += a[(buf >> bits) & 63];
    }
  }
  if (bits > 0) out += a[(buf << (6 - bits)) & 63];
  return out;
}

std::string jwt(const std::string& payload) {
  return b64url(R"({"alg":"RS256","typ":"JWT"})") + "." + b64url(payload) + ".c2lnbmF0dXJl";
}

TEST(Base64Url, DecodesWithAndWithoutPadding) {
  EXPECT_EQ(*base64url_decode("aGVsbG8"), "hello");
  EXPECT_EQ(*base64url_decode("aGVsbG8="), "hello");
  EXPECT_EQ(*base64url_decode("_-8"), std::string("\xff\xef", 2));
  EXPECT_FALSE(base64url_decode("a*b").has_value());
  EXPECT_FALSE(base64url_decode("a").has_value());
  EXPECT_EQ(*base64url_decode(""), "");
}

// Claims of RFC 7519 section 4.1; aud may be a string or a list.
TEST(Jwt, ReadsRegisteredClaims) {
  auto c = decode_jwt(
      jwt(R"({"exp":1795824000,"iat":1795820400,"nbf":1795820400,"iss":"https://idp","sub":"monitor",)"
          R"("aud":["api","ops"],"scope":"read:health"})"));
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->alg, "RS256");
  EXPECT_EQ(*c->exp, 1795824000);
  EXPECT_EQ(*c->iat, 1795820400);
  EXPECT_EQ(c->aud, "api,ops");
  EXPECT_EQ(c->scope, "read:health");
  EXPECT_EQ(c->sub, "monitor");
}

TEST(Jwt, AzureScpAndMissingExp) {
  auto c = decode_jwt(jwt(R"({"scp":"user.read","aud":"api"})"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scope, "user.read");
  EXPECT_FALSE(c->exp.has_value());
}

TEST(Jwt, RejectsWhatIsNotAJwtWithAReason) {
  for (const char* bad : {"", "abc", "a.b", "!!.??.x", "e30.bm90IGpzb24.x", "WzFd.e30.x"}) {
    auto c = decode_jwt(bad);
    EXPECT_FALSE(c.ok()) << bad;
  }
  EXPECT_FALSE(decode_jwt(std::string(70000, 'a')).ok());
  EXPECT_FALSE(decode_jwt(jwt(R"({"exp":"soon"})")).value().exp.has_value());
}

TEST(Jwt, LooksLikeJwt) {
  EXPECT_TRUE(looks_like_jwt(jwt("{}")));
  EXPECT_FALSE(looks_like_jwt("opaque-token-123"));
  EXPECT_FALSE(looks_like_jwt("a.b.c.d"));
}

}  // namespace
}  // namespace probewise
