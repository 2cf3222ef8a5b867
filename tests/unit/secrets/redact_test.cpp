// SPDX-License-Identifier: GPL-2.0-or-later
#include "secrets/redact.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

TEST(Redact, SecretHeaderLines) {
  EXPECT_EQ(redact_header_line("Authorization: Bearer abc.def"), "Authorization: [redacted]");
  EXPECT_EQ(redact_header_line("x-api-key: k"), "x-api-key: [redacted]");
  EXPECT_EQ(redact_header_line("X-Auth-Token: t"), "X-Auth-Token: [redacted]");
  EXPECT_EQ(redact_header_line("Cookie: session=abc"), "Cookie: [redacted]");
  EXPECT_EQ(redact_header_line("Accept: */*"), "Accept: */*");
}

TEST(Redact, UrlUserinfoWhole) {
  EXPECT_EQ(redact_text("http://user:pw@proxy:8080/"), "http://[redacted]@proxy:8080/");
  // A token given as the user name is a secret too.
  EXPECT_EQ(redact_text("https://ghp_abc@github.example/x"), "https://[redacted]@github.example/x");
  EXPECT_EQ(redact_text("http://proxy:8080/a@b"), "http://proxy:8080/a@b");
  EXPECT_EQ(redact_text("see http://host/?email=a@b.example"), "see http://host/?email=a@b.example");
  EXPECT_EQ(redact_text("socks5h://u:p@[::1]:1080"), "socks5h://[redacted]@[::1]:1080");
}

// The names of SPEC 1.6 and the conventions of signed URLs (AWS SigV4,
// Google Cloud Storage, Azure SAS), OAuth 2.0 and API keys.
TEST(Redact, CredentialLikeQueryParameters) {
  for (const char* name : {"access_token",
                           "token",
                           "api_key",
                           "apikey",
                           "key",
                           "client_secret",
                           "password",
                           "sig",
                           "signature",
                           "X-Amz-Signature",
                           "X-Amz-Credential",
                           "X-Amz-Security-Token",
                           "X-Goog-Signature",
                           "X-Goog-Credential",
                           "code",
                           "ACCESS_TOKEN",
                           "refresh_token",
                           "id_token",
                           "subscription-key",
                           "private_token",
                           "passwd",
                           "auth"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(is_secret_query_name(name));
    EXPECT_EQ(redact_text(std::string("https://h/p?") + name + "=s3cr3t&page=2"),
              std::string("https://h/p?") + name + "=[redacted]&page=2");
  }
  for (const char* name : {"page", "q", "id", "redirect_count", "p1", "qp1", "fragment", "monkey", "keyword",
                           "format", "X-Amz-Date", "X-Amz-Expires", "se", "sv", "sp"}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(is_secret_query_name(name));
  }
}

TEST(Redact, QueryValuesWhereverTheUrlStands) {
  // A request line in a -v trace, a relative Location, a JSON string, HTML.
  EXPECT_EQ(redact_text("GET /x?access_token=abc HTTP/1.1"), "GET /x?access_token=[redacted] HTTP/1.1");
  EXPECT_EQ(redact_text("Location: /next?code=xyz#frag"), "Location: /next?code=[redacted]#frag");
  EXPECT_EQ(redact_text(R"({"effective_url":"http://h/?token=abc","n":1})"),
            R"({"effective_url":"http://h/?token=[redacted]","n":1})");
  EXPECT_EQ(redact_text(R"(<a href="/x?a=1&amp;key=abc">)"), R"(<a href="/x?a=1&amp;key=[redacted]">)");
  EXPECT_EQ(redact_text("'http://h/?sig=a%2Fb+c=='"), "'http://h/?sig=[redacted]'");
  // A JSON escape inside a value ends the redaction before it, so the
  // document stays well-formed.
  EXPECT_EQ(redact_text(R"("http://h/?token=ab\"c")"), R"("http://h/?token=[redacted]\"c")");
  EXPECT_EQ(redact_text("/a;redirect_count=3;p1=4;p2=de?qp1=3#f"), "/a;redirect_count=3;p1=4;p2=de?qp1=3#f");
}

// Shapes a Location takes that a query-only reading misses (issue 18):
// the fragment of OAuth's implicit grant, a percent-encoded name, a
// protocol-relative URL with userinfo, and a URL inside another URL's query.
TEST(Redact, FragmentsEncodedNamesAndProtocolRelativeUrls) {
  EXPECT_EQ(redact_text("Location: https://app.example/cb#access_token=tok123&expires_in=3600&state=s1"),
            "Location: https://app.example/cb#access_token=[redacted]&expires_in=3600&state=s1");
  EXPECT_EQ(redact_text("/cb#id_token=eyJx.eyJy.sig"), "/cb#id_token=[redacted]");
  EXPECT_EQ(redact_text("/x?api%5Fkey=k1&API%5fKEY=k2&q=1"),
            "/x?api%5Fkey=[redacted]&API%5fKEY=[redacted]&q=1");
  EXPECT_EQ(redact_text("/x?%61ccess_token=k3"), "/x?%61ccess_token=[redacted]");
  EXPECT_EQ(redact_text("Location: //mon:pw@other.example/land"),
            "Location: //[redacted]@other.example/land");
  EXPECT_EQ(redact_text("href=\"//tok@cdn.example/x\""), "href=\"//[redacted]@cdn.example/x\"");
  EXPECT_EQ(redact_text("/next?redirect=https%3A%2F%2Fh%2Fcb%3Ftoken%3Dabc%26page%3D2"),
            "/next?redirect=https%3A%2F%2Fh%2Fcb%3Ftoken%3D[redacted]%26page%3D2");
  // Paths with "//" and e-mail addresses are no userinfo.
  EXPECT_EQ(redact_text("GET /a//b@c HTTP/1.1"), "GET /a//b@c HTTP/1.1");
  EXPECT_EQ(redact_text("// contact me@example.org"), "// contact me@example.org");
}

TEST(Redact, PublicHeadersAreTheAllowList) {
  for (const char* name : {"Accept", "accept-language", "Accept-Encoding", "Cache-Control", "Pragma",
                           "User-Agent", "Referer", "X-Request-ID", " Content-Type "}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(is_public_header(name));
  }
  for (const char* name : {"Authorization", "Cookie", "X-API-Key", "X-JFrog-Art-Api", "X-Honeycomb-Team",
                           "AccessKey", "X-Ovh-Consumer", "X-Tenant", "Host", "Accept-Token", ""}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(is_public_header(name));
  }
  EXPECT_NE(public_header_names().find("Accept, "), std::string::npos);
}

TEST(Redact, SignedS3UrlInALocation) {
  const std::string location =
      "https://bucket.s3.amazonaws.com/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z"
      "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd";
  const std::string shown = redact_text("Location: " + location);
  EXPECT_EQ(shown.find("AKIAEXAMPLE"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("0123abcd"), std::string::npos) << shown;
  EXPECT_NE(shown.find("X-Amz-Date=20260101T000000Z"), std::string::npos) << shown;
  EXPECT_NE(shown.find("X-Amz-Signature=[redacted]"), std::string::npos) << shown;
}

TEST(Redact, IdempotentAndUnchangedWithoutSecrets) {
  const std::string once = redact_text("http://u:p@h/?token=abc&x=1");
  EXPECT_EQ(once, "http://[redacted]@h/?token=[redacted]&x=1");
  EXPECT_EQ(redact_text(once), once);
  const std::string plain = "HTTP OK: HTTP/1.1 200 OK - 312 bytes in 0.004 second response time";
  EXPECT_EQ(redact_text(plain), plain);
  EXPECT_EQ(redact_text(""), "");
  EXPECT_EQ(redact_text("?token="), "?token=");
  EXPECT_EQ(redact_text("http://"), "http://");
}

// -vv shows the answer's headers: what a server hands out as a credential
// is hidden, its challenges are not.
TEST(Redact, ResponseHeaderBlock) {
  const std::string block =
      "HTTP/1.1 200 OK\r\nSet-Cookie: session=abc123; Path=/\r\nX-Auth-Token: tok456\r\n"
      "WWW-Authenticate: Bearer realm=\"api\"\r\nAuthentication-Info: nextnonce=\"x\"\r\n"
      "Content-Type: text/plain\r\n\r\n";
  EXPECT_EQ(redact_response_headers(block),
            "HTTP/1.1 200 OK\r\nSet-Cookie: [redacted]\r\nX-Auth-Token: [redacted]\r\n"
            "WWW-Authenticate: Bearer realm=\"api\"\r\nAuthentication-Info: nextnonce=\"x\"\r\n"
            "Content-Type: text/plain\r\n\r\n");
  EXPECT_EQ(redact_response_headers(""), "");
  EXPECT_EQ(redact_response_headers("HTTP/1.1 204 No Content"), "HTTP/1.1 204 No Content");
}

}  // namespace
}  // namespace probewise
