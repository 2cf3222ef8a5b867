// SPDX-License-Identifier: GPL-2.0-or-later
#include "secrets/secret_registry.h"

#include <gtest/gtest.h>

#include <thread>

#include "base/base64.h"

namespace probewise {
namespace {

bool shows(const std::string& text, const std::string& secret) {
  return text.find(secret) != std::string::npos;
}

// The shapes a server repeats a credential in (each as a real one would
// write it), and the forms SPEC 1.6 names: as is, percent-encoded, the
// base64 of Basic's user:password.
TEST(SecretRegistry, EveryFormOfAHeldSecretIsRedacted) {
  const std::string token = "d41d8cd98f00b204e9800998ecf8427e";
  const std::string password = "p@ss/w0rd+&\"x";
  SecretRegistry secrets;
  secrets.put("--bearer-token-file /t", {token});
  secrets.put("-a", basic_secrets("monitor:" + password));
  const std::string basic = base64_encode("monitor:" + password);
  for (const std::string& text : std::vector<std::string>{
           // RFC 6750 error_description, in JSON and in a challenge
           R"({"error":"invalid_token","error_description":"token )" + token + R"( is not valid"})",
           R"(Bearer error="invalid_token", error_description="the token )" + token + R"( expired")",
           "HTTP/1.1 401 Token " + token + " Rejected",  // a reason phrase
           "<p>The key <b>" + token + "</b> was rejected.</p>", "Location: /land?from=" + token,
           "user monitor with password " + password + " unknown", "Authorization: Basic " + basic,
           "password=p%40ss%2Fw0rd%2B%26%22x",               // percent-encoded
           "password=p%40ss%2fw0rd%2b%26%22x",               // with lower-case hex
           R"({"password":"p@ss\/w0rd+&\"x"})",              // JSON, '/' escaped as PHP does
           "<input value=\"p@ss/w0rd+&amp;&quot;x\">",       // HTML
           "TOKEN D41D8CD98F00B204E9800998ECF8427E IS BAD",  // repeated in upper case
       }) {
    SCOPED_TRACE(text);
    const std::string shown = secrets.redact(text);
    EXPECT_FALSE(shows(shown, token)) << shown;
    EXPECT_FALSE(shows(shown, "D41D8CD98F00B204")) << shown;
    EXPECT_FALSE(shows(shown, password)) << shown;
    EXPECT_FALSE(shows(shown, "w0rd")) << shown;
    EXPECT_FALSE(shows(shown, basic)) << shown;
    EXPECT_TRUE(shows(shown, "[redacted]")) << shown;
  }
}

// Python's json.dumps writes every non-ASCII character as \uXXXX.
TEST(SecretRegistry, JsonWithAsciiEscapes) {
  SecretRegistry secrets;
  secrets.put("a", {"p\xC3\xA4sswort-\xF0\x9F\x94\x91"});  // "pässwort-🔑"
  EXPECT_EQ(secrets.redact(R"({"detail": "password p\u00e4sswort-\ud83d\udd11 is wrong"})"),
            R"({"detail": "password [redacted] is wrong"})");
  EXPECT_EQ(secrets.redact("p\xC3\xA4sswort-\xF0\x9F\x94\x91"), "[redacted]");
}

TEST(SecretRegistry, RedactionIsByValueNotABlackout) {
  SecretRegistry secrets;
  secrets.put("t", {"s3cr3t-value-42"});
  EXPECT_EQ(secrets.redact("HTTP WARNING: HTTP/1.1 401 Token s3cr3t-value-42 Rejected - 10 bytes"),
            "HTTP WARNING: HTTP/1.1 401 Token [redacted] Rejected - 10 bytes");
  EXPECT_EQ(secrets.redact("nothing to see"), "nothing to see");
  // URL secrets by shape still apply after the values.
  EXPECT_EQ(secrets.redact("http://u:p@h/?token=abc"), "http://[redacted]@h/?token=[redacted]");
}

TEST(SecretRegistry, ShortSecrets) {
  SecretRegistry secrets;
  secrets.put("a", {"pw"});       // too short to tell from text: left alone
  secrets.put("b", {"hunter2"});  // short: only as a word of its own
  EXPECT_EQ(secrets.redact("a pw here"), "a pw here");
  EXPECT_EQ(secrets.redact("password hunter2 is wrong"), "password [redacted] is wrong");
  EXPECT_EQ(secrets.redact("\"hunter2\""), "\"[redacted]\"");
  EXPECT_EQ(secrets.redact("xhunter23"), "xhunter23");
}

TEST(SecretRegistry, ASecretCutShortByAnExcerpt) {
  SecretRegistry secrets;
  secrets.put("t", {"d41d8cd98f00b204e9800998ecf8427e"});
  EXPECT_EQ(secrets.redact("token d41d8cd98f00b2..."), "token [redacted]...");
  EXPECT_EQ(secrets.redact("token d41d8cd98f00b2\xE2\x80\xA6"), "token [redacted]\xE2\x80\xA6");
  EXPECT_EQ(secrets.redact("hash d41d8cd9 only"), "hash d41d8cd9 only");  // no ellipsis: a coincidence
}

TEST(SecretRegistry, TheLongestMatchWins) {
  SecretRegistry secrets;
  secrets.put("a", basic_secrets("monitor:abcd1234efgh"));
  EXPECT_EQ(secrets.redact("sent monitor:abcd1234efgh"), "sent [redacted]");
}

TEST(SecretRegistry, ASourceReplacesWhatItHeld) {
  SecretRegistry secrets;
  EXPECT_TRUE(secrets.empty());
  secrets.put("OAuth token", {"first-token-1111"});
  EXPECT_FALSE(secrets.empty());
  secrets.put("OAuth token", {"second-token-2222"});
  EXPECT_EQ(secrets.redact("first-token-1111 second-token-2222"), "first-token-1111 [redacted]");
  secrets.add("-k", {"header-value-1"});
  secrets.add("-k", {"header-value-2"});
  EXPECT_EQ(secrets.redact("header-value-1 header-value-2"), "[redacted] [redacted]");
  secrets.put("OAuth token", {});
  EXPECT_EQ(secrets.redact("second-token-2222"), "second-token-2222");
}

TEST(SecretRegistry, ManySecretsStayFast) {
  // 60,000 -k headers: registered and matched in linear time.
  SecretRegistry secrets;
  std::vector<std::string> values;
  values.reserve(60000);
  for (int i = 0; i < 60000; ++i) values.push_back("value-" + std::to_string(1000000 + i));
  secrets.put("-k", values);
  EXPECT_EQ(secrets.redact("x value-1000042 y value-1059999 z"), "x [redacted] y [redacted] z");
  EXPECT_EQ(secrets.redact("value-999"), "value-999");
}

TEST(SecretRegistry, SharedBetweenThreads) {
  SecretRegistry secrets;
  std::thread writer([&secrets] {
    for (int i = 0; i < 2000; ++i) secrets.put("rotating", {"token-" + std::to_string(100000 + i)});
  });
  for (int i = 0; i < 2000; ++i) (void)secrets.redact("a line with token-100001 in it");
  writer.join();
  EXPECT_EQ(secrets.redact("token-101999"), "[redacted]");
}

TEST(SecretParts, Basic) {
  EXPECT_EQ(basic_secrets("mon:pw-1"),
            (std::vector<std::string>{"pw-1", "mon:pw-1", base64_encode("mon:pw-1")}));
}

TEST(SecretParts, HeaderValues) {
  EXPECT_EQ(header_secrets("Authorization: Bearer abc.def"),
            (std::vector<std::string>{"Bearer abc.def", "abc.def"}));
  auto basic = header_secrets("Authorization: Basic " + base64_encode("mon:pw-2"));
  EXPECT_NE(std::find(basic.begin(), basic.end(), "pw-2"), basic.end());
  EXPECT_NE(std::find(basic.begin(), basic.end(), "mon:pw-2"), basic.end());
  auto cookie = header_secrets("Cookie: theme=dark; session=s-123");
  EXPECT_NE(std::find(cookie.begin(), cookie.end(), "s-123"), cookie.end());
  auto digest = header_secrets(R"(Authorization: Digest username="mon", response="6629fae4")");
  EXPECT_NE(std::find(digest.begin(), digest.end(), "6629fae4"), digest.end());
  EXPECT_EQ(header_secrets("X-API-Key: k-1"), std::vector<std::string>{"k-1"});
  EXPECT_TRUE(header_secrets("X-Empty:").empty());
}

TEST(SecretParts, FormFields) {
  EXPECT_EQ(form_secrets("grant_type=password&username=mon&password=p%40ss+word&scope=read"),
            std::vector<std::string>{"p@ss word"});
  EXPECT_EQ(form_secrets("client_id=mon&client_secret=cs-1&api_key=k-2"),
            (std::vector<std::string>{"cs-1", "k-2"}));
  EXPECT_TRUE(form_secrets(R"({"password": "json is not a form"})").empty());
  EXPECT_TRUE(form_secrets("").empty());
}

TEST(SecretParts, Userinfo) {
  EXPECT_EQ(userinfo_secrets("http://mon:p%40ss@h.example/x"),
            (std::vector<std::string>{"p@ss", "mon:p@ss", base64_encode("mon:p@ss")}));
  EXPECT_EQ(userinfo_secrets("https://ghp_token@h.example/"), std::vector<std::string>{"ghp_token"});
  EXPECT_TRUE(userinfo_secrets("http://h.example/a@b").empty());
  EXPECT_TRUE(userinfo_secrets("/relative").empty());
}

}  // namespace
}  // namespace probewise
