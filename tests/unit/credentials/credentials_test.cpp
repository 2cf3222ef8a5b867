// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace probewise {
namespace {

std::string temp_file(const std::string& content) {
  char path[] = "/tmp/probewise-cred-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
  return path;
}

std::optional<std::string> fake_env(const char* name) {
  if (std::string(name) == "PW_TOKEN") return std::string("env-token\n");
  return std::nullopt;
}

TEST(Credentials, TrailingNewlineIsNotPartOfTheToken) {
  RequestSpec spec;
  CredentialOptions o;
  o.bearer_token_file = temp_file("abc.def\r\n");
  ASSERT_TRUE(apply_credentials(o, spec, fake_env).ok());
  EXPECT_EQ(spec.credential_headers, std::vector<std::string>{"Authorization: Bearer abc.def"});
  EXPECT_TRUE(spec.headers.empty()) << "credentials go only to the origin, apart from the -k headers";
  unlink(o.bearer_token_file.c_str());
}

TEST(Credentials, EnvironmentBasicAndHeaderFiles) {
  RequestSpec spec;
  CredentialOptions o;
  o.bearer_token_env = "PW_TOKEN";
  o.basic_auth_file = temp_file("monitor:s3cret\n");
  o.header_file = temp_file("# comment\nX-API-Key: k1\n\nX-Tenant: t\n");
  ASSERT_TRUE(apply_credentials(o, spec, fake_env).ok());
  EXPECT_EQ(spec.basic_auth, "monitor:s3cret");
  // Every line of a header file is a credential, whatever its name.
  EXPECT_EQ(spec.credential_headers,
            (std::vector<std::string>{"Authorization: Bearer env-token", "X-API-Key: k1", "X-Tenant: t"}));
  unlink(o.basic_auth_file.c_str());
  unlink(o.header_file.c_str());
}

TEST(Credentials, ErrorsNameTheSourceNeverTheSecret) {
  RequestSpec spec;
  CredentialOptions o;
  o.bearer_token_env = "PW_MISSING";
  auto r = apply_credentials(o, spec, fake_env);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("PW_MISSING"), std::string::npos);
  o = {};
  o.basic_auth_file = temp_file("no-colon-secret\n");
  r = apply_credentials(o, spec, fake_env);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().find("no-colon-secret"), std::string::npos) << r.error();
  unlink(o.basic_auth_file.c_str());
  o = {};
  o.header_file = "/nonexistent/headers";
  r = apply_credentials(o, spec, fake_env);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("/nonexistent/headers"), std::string::npos);
}

// SPEC 1.6: a CR, LF or NUL inside a token or header is refused where it
// enters, naming the option (and the line), never the secret.
TEST(Credentials, InnerLineBreaksAreRefused) {
  const std::pair<std::string, std::string> files[] = {
      {"bearer", "abc\rdef\n"},
      {"bearer", std::string("abc\0def\n", 8)},
      {"basic", "mon:pw\rX-Injected: 1\n"},
      {"header", "X-Tenant: t\nX-Key: abc\rX-Injected: yes\n"},
      {"header", std::string("X-Key: a\0b\n", 11)},
  };
  for (const auto& [kind, content] : files) {
    SCOPED_TRACE(kind);
    RequestSpec spec;
    CredentialOptions o;
    const std::string path = temp_file(content);
    (kind == "bearer" ? o.bearer_token_file : kind == "basic" ? o.basic_auth_file : o.header_file) = path;
    auto r = apply_credentials(o, spec, fake_env);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().find("line break"), std::string::npos) << r.error();
    EXPECT_NE(r.error().find(path), std::string::npos) << r.error();
    EXPECT_EQ(r.error().find("def"), std::string::npos) << r.error();
    EXPECT_EQ(r.error().find('\n'), std::string::npos) << r.error();
    if (kind == "header" && content.find('\0') == std::string::npos) {
      EXPECT_NE(r.error().find("line 2"), std::string::npos) << r.error();
    }
    EXPECT_TRUE(spec.credential_headers.empty());
    unlink(path.c_str());
  }
  RequestSpec spec;
  CredentialOptions o;
  o.bearer_token_env = "PW_SPLIT";
  auto r = apply_credentials(o, spec, [](const char*) -> std::optional<std::string> {
    return std::string("tok\r\nX-Injected: yes\n");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("--bearer-token-env"), std::string::npos) << r.error();
}

// SPEC 1.6: a FIFO (or directory) in a credential file's place is not read
// (a FIFO would wait for a writer): the request goes without it, with a note.
TEST(Credentials, FileThatIsNoRegularFileIsANote) {
  char dir[] = "/tmp/probewise-fifo-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string fifo = std::string(dir) + "/token";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  RequestSpec spec;
  CredentialOptions o;
  o.bearer_token_file = fifo;
  o.header_file = dir;  // a directory
  auto r = apply_credentials(o, spec, fake_env);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_NE((*r)[0].find(fifo + " (--bearer-token-file) is a FIFO"), std::string::npos) << (*r)[0];
  EXPECT_NE((*r)[1].find("is a directory"), std::string::npos) << (*r)[1];
  EXPECT_TRUE(spec.credential_headers.empty());
  unlink(fifo.c_str());
  rmdir(dir);
}

TEST(Credentials, EachSecretIsRegisteredAsItIsRead) {
  RequestSpec spec;
  CredentialOptions o;
  o.bearer_token_env = "PW_TOKEN";
  o.basic_auth_file = temp_file("monitor:s3cret-basic\n");
  o.header_file = temp_file("X-Tenant: tenant-secret-1\nCookie: a=1; sid=cookie-secret-2\n");
  SecretRegistry secrets;
  ASSERT_TRUE(apply_credentials(o, spec, fake_env, &secrets).ok());
  EXPECT_EQ(secrets.redact("env-token s3cret-basic tenant-secret-1 cookie-secret-2"),
            "[redacted] [redacted] [redacted] [redacted]");
  unlink(o.basic_auth_file.c_str());
  unlink(o.header_file.c_str());
}

TEST(SentAuth, WhatTheDiagnosisMayKnow) {
  RequestSpec none;
  EXPECT_FALSE(describe_sent_auth(none).sent);

  RequestSpec bearer;
  bearer.headers = {"Authorization: Bearer opaque123"};
  auto a = describe_sent_auth(bearer);
  EXPECT_TRUE(a.sent);
  EXPECT_EQ(a.kind, "bearer token");
  EXPECT_TRUE(a.form_problem.empty());
  EXPECT_EQ(a.fingerprint.size(), 16u);
  EXPECT_EQ(a.fingerprint.find("opaque"), std::string::npos);

  RequestSpec no_scheme;
  no_scheme.headers = {"Authorization: opaque123"};
  EXPECT_NE(describe_sent_auth(no_scheme).form_problem.find("no scheme"), std::string::npos);

  RequestSpec spaced;
  spaced.headers = {"Authorization: Bearer abc def"};
  EXPECT_NE(describe_sent_auth(spaced).form_problem.find("whitespace"), std::string::npos);

  RequestSpec key;
  key.headers = {"X-API-Key: k", "Accept: */*"};
  EXPECT_EQ(describe_sent_auth(key).kind, "X-API-Key header");

  RequestSpec basic;
  basic.basic_auth = "u:p";
  EXPECT_EQ(describe_sent_auth(basic).kind, "Basic credentials");
  EXPECT_NE(describe_sent_auth(basic).fingerprint, describe_sent_auth(bearer).fingerprint);
}

TEST(SentAuth, WithoutCredentialsKeepsEverythingElse) {
  RequestSpec s;
  s.basic_auth = "u:p";
  s.headers = {"Authorization: Bearer x", "X-API-Key: k", "Accept: text/plain", "Cookie: a=b"};
  s.credential_headers = {"X-Tenant: t"};
  s.url = "https://mon:pw@h.example/x?y=1";
  s.cookie_jar = "/tmp/jar";
  RequestSpec bare = without_credentials(s);
  EXPECT_TRUE(bare.basic_auth.empty());
  EXPECT_EQ(bare.headers, std::vector<std::string>{"Accept: text/plain"});
  EXPECT_TRUE(bare.credential_headers.empty());
  EXPECT_EQ(bare.url, "https://h.example/x?y=1");
  EXPECT_TRUE(bare.cookie_jar.empty());
  EXPECT_FALSE(describe_sent_auth(bare).sent);
}

// A fingerprint in a state file stays valid: the material is what it was
// when -k headers and credentials were one list.
TEST(SentAuth, FingerprintIndependentOfWhichListHoldsTheHeader) {
  RequestSpec one;
  one.headers = {"Authorization: Bearer x", "X-API-Key: k"};
  RequestSpec split;
  split.headers = {"Authorization: Bearer x"};
  split.credential_headers = {"X-API-Key: k", "X-Tenant: not-a-secret-name"};
  EXPECT_EQ(describe_sent_auth(one).fingerprint, describe_sent_auth(split).fingerprint);
  EXPECT_EQ(describe_sent_auth(split).kind, "bearer token");
}

TEST(SentAuth, UrlUserinfoIsACredential) {
  RequestSpec s;
  s.url = "http://mon:pw@h.example/";
  SentAuth a = describe_sent_auth(s);
  EXPECT_TRUE(a.sent);
  EXPECT_EQ(a.kind, "Basic credentials from the URL");
  EXPECT_FALSE(a.fingerprint.empty());
}

}  // namespace
}  // namespace probewise
