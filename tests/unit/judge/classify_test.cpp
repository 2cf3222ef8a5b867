// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/classify.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "credentials/credentials.h"
#include "judge/reason.h"
#include "options.h"
#include "output/render.h"
#include "support/recorded.h"

namespace probewise {
namespace {

using testing::load_recorded;
using testing::recorded_files;
using testing::split_args;

constexpr std::time_t kNow = 1795824000;  // 2026-11-28T00:00:00Z

Policy policy_from(const std::string& options) {
  std::vector<std::string> args{"-H", "example.com"};
  for (auto& a : split_args(options)) args.push_back(a);
  auto c = parse_check_options(args);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error());
  return c.ok() ? c->policy : Policy{};
}

class Recorded : public ::testing::TestWithParam<std::string> {};

// Every file states what it expects: state, primary reason, and text that
// must appear in the status line.
TEST_P(Recorded, GivesTheRecordedVerdict) {
  auto c = load_recorded(GetParam());
  Policy p = policy_from(c.keys["options"]);
  Verdict v = classify(c.result, p, kNow);
  EXPECT_EQ(std::string(state_name(v.state)), c.keys["expect_state"]) << c.keys["origin"];
  EXPECT_EQ(v.reason, c.keys["expect_reason"]) << c.keys["origin"];
  std::string line = status_line(c.result, v);
  if (c.keys.count("expect_line")) {
    EXPECT_NE(line.find(c.keys["expect_line"]), std::string::npos) << line;
  }
  if (c.keys.count("expect_line_regex")) {
    EXPECT_TRUE(std::regex_search(line, std::regex(c.keys["expect_line_regex"]))) << line;
  }
  if (c.keys.count("expect_reasons")) {
    std::string all;
    for (const auto& r : v.reasons) all += (all.empty() ? "" : ",") + r;
    EXPECT_EQ(all, c.keys["expect_reasons"]);
  }
  if (v.state != State::ok) {
    EXPECT_FALSE(v.hints.empty()) << "a problem always comes with hints";
  }
}

INSTANTIATE_TEST_SUITE_P(Responses, Recorded,
                         ::testing::ValuesIn(recorded_files(PROBEWISE_TEST_DATA "/responses")),
                         [](const auto& info) { return testing::recorded_test_name(info.param); });

// The denials recorded for the signal readers (tests/data/denials), judged
// end to end. The check sent a bearer token unless the case is about
// missing credentials; `sent: none` or `sent: bearer` in a file overrides.
// `expect_basis` is what the diagnosis rests on (SPEC 1.3); `expect_unsent`
// the verdict when the same answer comes to a request without credentials.
class RecordedDenial : public ::testing::TestWithParam<std::string> {};

Verdict judge_denial(const testing::RecordedCase& c, const std::string& sent) {
  RequestSpec spec;
  if (sent == "bearer") spec.headers = {"Authorization: Bearer opaque-monitor-token"};
  if (sent == "basic") spec.basic_auth = "monitor:secret";
  Context ctx;
  ctx.now = kNow;
  ctx.sent = describe_sent_auth(spec);
  return classify(c.result, Policy{}, ctx);
}

TEST_P(RecordedDenial, DiagnosisNamesTheRecordedReason) {
  auto c = load_recorded(GetParam());
  // expect_reason is what the signal readers claim; expect_verdict, where
  // given, is the end-to-end verdict when the two differ.
  const std::string expected =
      c.keys.count("expect_verdict") ? c.keys["expect_verdict"] : c.keys["expect_reason"];
  std::string sent =
      c.keys.count("sent") ? c.keys["sent"] : (expected == "auth.missing_credentials" ? "none" : "bearer");
  Verdict v = judge_denial(c, sent);
  EXPECT_EQ(v.reason, expected) << c.keys["origin"] << "\n" << status_line(c.result, v);
  if (v.state != State::ok) {
    EXPECT_FALSE(v.hints.empty());
  }
  if (c.keys.count("expect_basis")) {
    EXPECT_EQ(basis_name(v.basis), c.keys["expect_basis"]) << status_line(c.result, v);
  }
  if (c.keys.count("expect_state")) {
    EXPECT_EQ(state_name(v.state), c.keys["expect_state"]) << status_line(c.result, v);
  }
  if (c.keys.count("expect_unsent")) {
    Verdict unsent = judge_denial(c, "none");
    EXPECT_EQ(unsent.reason, c.keys["expect_unsent"]) << status_line(c.result, unsent);
  }
  // Every evidence line once.
  std::vector<std::string> seen;
  for (const auto& e : v.evidence) {
    EXPECT_EQ(std::count(seen.begin(), seen.end(), e), 0) << e;
    seen.push_back(e);
  }
}

INSTANTIATE_TEST_SUITE_P(Denials, RecordedDenial,
                         ::testing::ValuesIn(recorded_files(PROBEWISE_TEST_DATA "/denials")),
                         [](const auto& info) { return testing::recorded_test_name(info.param); });

// Block pages and API answers written for issue 19 in the shapes WAF,
// bot-protection and filtering products use (tests/data/blockpages), none of
// whose products the tables name: the class rules must read the sentence,
// and name the product where the page does. Bare markers stay a 403 denial.
class RecordedBlockPage : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordedBlockPage, SentenceShapesNameTheBlockAndTheProduct) {
  auto c = load_recorded(GetParam());
  Verdict v = judge_denial(c, c.keys["sent"]);
  const std::string line = status_line(c.result, v);
  EXPECT_EQ(v.reason, c.keys["expect_reason"]) << c.keys["origin"] << "\n" << line;
  if (c.keys.count("expect_vendor")) {
    EXPECT_NE(line.find(c.keys["expect_vendor"]), std::string::npos) << line;
  }
  if (c.keys["expect_reason"] != "ok") {
    EXPECT_NE(v.state, State::ok) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(BlockPages, RecordedBlockPage,
                         ::testing::ValuesIn(recorded_files(PROBEWISE_TEST_DATA "/blockpages")),
                         [](const auto& info) { return testing::recorded_test_name(info.param); });

// The answers of real software recorded by tests/real (tests/data/real):
// what was sent, the options and the time of the live run, and the verdict
// it gave there, replayed where the products are not installed.
class RecordedReal : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordedReal, GivesTheVerdictOfTheLiveRun) {
  auto file = testing::read_recorded_file(GetParam());
  auto c = load_recorded(GetParam());
  RequestSpec spec;
  for (const auto& h : file.keys["sent_header"]) spec.headers.push_back(h);
  if (c.keys.count("sent_basic")) spec.basic_auth = c.keys["sent_basic"];
  if (c.keys.count("sent_proxy_basic")) spec.proxy_auth = c.keys["sent_proxy_basic"];
  Context ctx;
  ctx.now = std::stoll(c.keys["now"]);
  ctx.sent = describe_sent_auth(spec);
  Verdict v = classify(c.result, policy_from(c.keys["options"]), ctx);
  const std::string line = status_line(c.result, v);
  EXPECT_EQ(state_name(v.state), c.keys["expect_state"]) << c.keys["origin"] << "\n" << line;
  EXPECT_EQ(v.reason, c.keys["expect_reason"]) << c.keys["origin"] << "\n" << line;
  if (c.keys.count("expect_basis") && v.state != State::ok) {
    EXPECT_EQ(basis_name(v.basis), c.keys["expect_basis"]) << c.keys["origin"] << "\n" << line;
  }
  for (const auto& words : file.keys["expect_line"]) EXPECT_NE(line.find(words), std::string::npos) << line;
}

INSTANTIATE_TEST_SUITE_P(Real, RecordedReal, ::testing::ValuesIn(recorded_files(PROBEWISE_TEST_DATA "/real")),
                         [](const auto& info) { return testing::recorded_test_name(info.param); });

TEST(Recorded, ThereAreCases) {
  EXPECT_GE(recorded_files(PROBEWISE_TEST_DATA "/real").size(), 80u) << "tests/real records its answers";
  EXPECT_GE(recorded_files(PROBEWISE_TEST_DATA "/responses").size(), 10u);
}

// SPEC 1.3 precedence, end to end: one made-up answer per rule.
Verdict judge_with(const std::string& raw_head, const std::string& body, const std::vector<std::string>& sent,
                   std::string* line = nullptr) {
  ProbeResult r;
  r.http_version = "HTTP/1.1";
  r.status_line = raw_head.substr(0, raw_head.find('\r'));
  r.status = std::stoi(r.status_line.substr(9, 3));
  r.headers = parse_header_block(raw_head);
  r.body = body;
  r.body_bytes = body.size();
  RequestSpec spec;
  spec.headers = sent;
  Context ctx;
  ctx.now = kNow;
  ctx.sent = describe_sent_auth(spec);
  Verdict v = classify(r, Policy{}, ctx);
  if (line) *line = status_line(r, v);
  return v;
}

TEST(Precedence, A2xxIsNeverAWarningAboutTheCredentialsForm) {
  // An Authorization value without a scheme that the server accepted.
  Verdict ok = judge_with("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", "hello",
                          {"Authorization: 0123456789abcdef"});
  EXPECT_EQ(ok.state, State::ok);
  EXPECT_EQ(ok.reason, "ok");
  // Refused, the same form is a finding.
  Verdict refused = judge_with("HTTP/1.1 401 Unauthorized\r\n\r\n", "", {"Authorization: 0123456789abcdef"});
  EXPECT_EQ(refused.reason, "auth.malformed_credentials");
}

TEST(Precedence, TheServersWordsOutrankTheSchemeTheChallengeNames) {
  std::string line;
  Verdict v = judge_with("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"db\"\r\n\r\n",
                         R"({"error":"signature is invalid"})", {"Authorization: Bearer abc.def.ghi"}, &line);
  EXPECT_EQ(v.reason, "auth.invalid_credentials") << line;
  EXPECT_EQ(v.basis, Basis::wording);
  // The check's own inference stands beside the server's words.
  EXPECT_TRUE(std::any_of(v.hints.begin(), v.hints.end(), [](const std::string& h) {
    return h.find("The check's own facts say otherwise") != std::string::npos &&
           h.find("Basic") != std::string::npos;
  })) << line;
  // Words that only say "no" do not outrank it.
  Verdict guess = judge_with("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"mq\"\r\n\r\n",
                             R"({"error":"not_authorized","reason":"Login failed"})",
                             {"Authorization: Bearer abc.def.ghi"}, &line);
  EXPECT_EQ(guess.reason, "auth.malformed_credentials") << line;
  EXPECT_EQ(guess.basis, Basis::local);
}

TEST(Precedence, RetryAfterAloneIsNoRateLimit) {
  std::string line;
  Verdict acl = judge_with("HTTP/1.1 403 Forbidden\r\nRetry-After: 5\r\n\r\n", "<h1>Error 403 Forbidden</h1>",
                           {}, &line);
  EXPECT_EQ(acl.reason, "forbidden.unspecified") << line;
  EXPECT_TRUE(std::any_of(acl.evidence.begin(), acl.evidence.end(), [](const std::string& e) {
    return e.find("Retry-After: 5") != std::string::npos &&
           e.find("a detail of the answer") != std::string::npos;
  }));
  Verdict limited =
      judge_with("HTTP/1.1 403 Forbidden\r\nRetry-After: 60\r\nX-RateLimit-Remaining: 0\r\n\r\n", "", {});
  EXPECT_EQ(limited.reason, "throttled");
  Verdict worded = judge_with("HTTP/1.1 403 Forbidden\r\nRetry-After: 60\r\n\r\n",
                              R"({"message":"You have exceeded a secondary rate limit."})", {});
  EXPECT_EQ(worded.reason, "throttled");
  Verdict maintenance = judge_with("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 600\r\n\r\n", "", {});
  EXPECT_EQ(maintenance.reason, "http.server_error");
  Verdict overloaded = judge_with("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 600\r\n\r\n",
                                  "Too many requests, please slow down.", {});
  EXPECT_EQ(overloaded.reason, "throttled");
}

TEST(Precedence, AnAnonymousPrincipalIsMissingCredentials) {
  const std::string head = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n";
  const std::string body =
      R"({"kind":"Status","status":"Failure","message":"forbidden: User \"system:anonymous\" cannot get path \"/metrics\"","reason":"Forbidden","code":403})";
  std::string line;
  Verdict anonymous = judge_with(head, body, {}, &line);
  EXPECT_EQ(anonymous.reason, "auth.missing_credentials") << line;
  EXPECT_EQ(anonymous.basis, Basis::explicit_);
  // Credentials were sent and the server still saw an anonymous request.
  Verdict lost = judge_with(head, body, {"Authorization: Bearer abc.def.ghi"}, &line);
  EXPECT_EQ(lost.reason, "auth.malformed_credentials") << line;
}

TEST(Precedence, PermissionWordsOnA401AndRestatedOnes) {
  std::string line;
  Verdict role = judge_with("HTTP/1.1 401 Unauthorized\r\n\r\n",
                            R"({"error":"not_authorised","reason":"Not management user"})", {},
                            &line);  // nothing sent: the 401 asks for credentials
  EXPECT_EQ(role.reason, "auth.missing_credentials") << line;
  Verdict sent = judge_with("HTTP/1.1 401 Unauthorized\r\n\r\n",
                            R"({"error":"not_authorised","reason":"Not management user"})",
                            {"Authorization: Basic bW9uaXRvcjpzZWNyZXQ="}, &line);
  EXPECT_EQ(sent.reason, "forbidden.permission") << line;
  Verdict restated =
      judge_with("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n",
                 "<h2>401 Unauthorized</h2><p>You are not authorized to access that resource</p>",
                 {"Authorization: Basic bW9uaXRvcjp3cm9uZw=="}, &line);
  EXPECT_EQ(restated.reason, "auth.invalid_credentials") << line;
}

Certificate cert_expiring_at(std::time_t t) {
  Certificate c;
  c.common_name = "Monitoring Plugins";
  c.not_after = t;
  return c;
}

// check_curl's certificate lines (plugins/sslutils.c np_net_ssl_check_certificate).
TEST(Certificate, CheckCurlWording) {
  long days = 0;
  CertificateExpectation e{14, 7, false};
  auto f = certificate_finding(cert_expiring_at(1922130131), e, 1795824000, days);  // 2030-11-28 21:02:11
  EXPECT_EQ(f.state, State::ok);
  EXPECT_EQ(f.message, "Certificate 'Monitoring Plugins' will expire on Thu Nov 28 21:02:11 2030 +0000.");
  EXPECT_EQ(days, 1461);
  f = certificate_finding(cert_expiring_at(kNow + 10 * 86400 + 5), e, kNow, days);
  EXPECT_EQ(f.state, State::warning);
  EXPECT_EQ(f.reason, "tls.expiring");
  EXPECT_NE(f.message.find("expires in 10 day(s)"), std::string::npos) << f.message;
  f = certificate_finding(cert_expiring_at(kNow + 3 * 86400 + 5), e, kNow, days);
  EXPECT_EQ(f.state, State::critical);
  f = certificate_finding(cert_expiring_at(kNow + 7200 + 5), e, kNow, days);
  EXPECT_NE(f.message.find("expires in 2 hours"), std::string::npos) << f.message;
  f = certificate_finding(cert_expiring_at(1199275200), e, kNow, days);  // 2008-01-02 12:00:00
  EXPECT_EQ(f.state, State::critical);
  EXPECT_EQ(f.reason, "tls.expired");
  EXPECT_EQ(f.message, "Certificate 'Monitoring Plugins' expired on Wed Jan  2 12:00:00 2008 +0000.");
}

TEST(Certificate, OnlyModeUsesTheCertificateLine) {
  ProbeResult r;
  r.status = 200;
  r.certificate = cert_expiring_at(kNow + 100 * 86400);
  Policy p;
  p.certificate = CertificateExpectation{30, 14, false};
  Verdict v = classify(r, p, kNow);
  EXPECT_EQ(v.shape, Shape::certificate);
  EXPECT_EQ(status_line(r, v), "OK - Certificate 'Monitoring Plugins' will expire on " +
                                   std::string("Mon Mar  8 00:00:00 2027 +0000."));
}

TEST(Classify, WorstFindingIsPrimaryAndAllAreListed) {
  ProbeResult r;
  r.status = 404;
  r.http_version = "HTTP/1.1";
  r.status_line = "HTTP/1.1 404 Not Found";
  r.timings.total_us = 3'000'000;
  Policy p;
  p.body_string = "welcome";
  p.time.warning = parse_range("1").value();
  Verdict v = classify(r, p, kNow);
  EXPECT_EQ(v.state, State::critical);
  EXPECT_EQ(v.reason, "content.mismatch");
  EXPECT_EQ(v.reasons, (std::vector<std::string>{"content.mismatch", "http.client_error", "slow"}));
}

// SPEC 1.3 basis and issue 11: what a denial rests on, and a guess that reads as one.
ProbeResult denial(int status, const std::string& phrase, const std::string& body = "") {
  ProbeResult r;
  r.status = status;
  r.http_version = "HTTP/1.1";
  r.reason_phrase = phrase;
  r.status_line = "HTTP/1.1 " + std::to_string(status) + " " + phrase;
  r.body = body;
  r.body_bytes = body.size();
  return r;
}

Verdict judged(const ProbeResult& r, const RequestSpec& spec) {
  Context ctx;
  ctx.now = kNow;
  ctx.sent = describe_sent_auth(spec);
  return classify(r, Policy{}, ctx);
}

TEST(Basis, ForbiddenWithCredentialsIsLikelyPermission) {
  RequestSpec basic;
  basic.basic_auth = "monitor:secret";
  ProbeResult r = denial(403, "Forbidden");
  Verdict v = judged(r, basic);
  EXPECT_EQ(v.reason, "forbidden.permission");
  EXPECT_EQ(v.basis, Basis::status);
  EXPECT_EQ(v.state, State::warning);
  std::string line = status_line(r, v);
  EXPECT_NE(line.find("likely permission denied: Basic credentials were sent"), std::string::npos) << line;
  // The likely causes in order: permission first, then the others a 403 can have.
  ASSERT_GE(v.hints.size(), 3u);
  EXPECT_NE(v.hints[0].find("not allowed"), std::string::npos) << v.hints[0];
  EXPECT_NE(v.hints[1].find("allowlist"), std::string::npos) << v.hints[1];
  EXPECT_NE(std::find(v.evidence.begin(), v.evidence.end(), "sent: Basic credentials"), v.evidence.end());
}

TEST(Basis, ForbiddenWithoutCredentialsIsCauseUnknown) {
  ProbeResult r = denial(403, "Forbidden");
  Verdict v = judged(r, RequestSpec{});
  EXPECT_EQ(v.reason, "forbidden.unspecified");
  EXPECT_EQ(v.basis, Basis::status);
  EXPECT_EQ(status_line(r, v).find(" - likely"), std::string::npos) << status_line(r, v);
  EXPECT_EQ(reason_words(v.reason, v.basis), "forbidden, cause unknown");
}

TEST(Basis, UnauthorizedByWhatWasSent) {
  ProbeResult r = denial(401, "Unauthorized");
  Verdict none = judged(r, RequestSpec{});
  EXPECT_EQ(none.reason, "auth.missing_credentials");
  EXPECT_EQ(none.basis, Basis::local);

  RequestSpec bearer;
  bearer.headers = {"Authorization: Bearer opaque"};
  Verdict bare = judged(r, bearer);
  EXPECT_EQ(bare.reason, "auth.invalid_credentials");
  EXPECT_EQ(bare.basis, Basis::status);
  EXPECT_NE(status_line(r, bare).find("likely invalid credentials: the bearer token was sent and rejected"),
            std::string::npos)
      << status_line(r, bare);

  r.headers =
      parse_header_block("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n");
  Verdict told = judged(r, bearer);
  EXPECT_EQ(told.reason, "auth.invalid_credentials");
  EXPECT_EQ(told.basis, Basis::explicit_);
  EXPECT_EQ(status_line(r, told).find("likely"), std::string::npos);
}

// Squid's own 403 (recorded from Squid 5.7 with proxy_auth and port ACLs):
// the proxy refused, judged by the proxy credentials (issue 11).
TEST(ProxyAnswer, SquidAccessDeniedIsTheProxys) {
  ProbeResult r = denial(403, "Forbidden", "<title>ERROR: The requested URL could not be retrieved</title>");
  r.headers = parse_header_block(
      "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\n"
      "Via: 1.1 vm (squid/5.7)\r\n");
  RequestSpec proxied;
  proxied.proxy_auth = "monitor:secret";
  Verdict v = judged(r, proxied);
  EXPECT_EQ(v.reason, "forbidden.permission");
  EXPECT_EQ(v.basis, Basis::explicit_);
  EXPECT_NE(status_line(r, v).find("the proxy (Squid) refused the request itself"), std::string::npos)
      << status_line(r, v);
  EXPECT_NE(std::find(v.evidence.begin(), v.evidence.end(), "sent: proxy credentials"), v.evidence.end());
  for (const auto& e : v.evidence) EXPECT_NE(e, "sent: no credentials");

  Verdict anonymous = judged(r, RequestSpec{});
  EXPECT_EQ(anonymous.reason, "forbidden.unspecified");
  EXPECT_NE(status_line(r, anonymous).find("forbidden: the proxy (Squid)"), std::string::npos)
      << status_line(r, anonymous);
}

TEST(ProxyAnswer, TargetAnswersThroughAProxyAreTheTargets) {
  ProbeResult r = denial(401, "Unauthorized");
  r.headers = parse_header_block(
      "HTTP/1.1 401 Unauthorized\r\nServer: SimpleHTTP/0.6\r\nVia: 1.1 vm (squid/5.7)\r\n"
      "WWW-Authenticate: Basic realm=\"x\"\r\n");
  RequestSpec proxied;
  proxied.proxy_auth = "monitor:secret";
  Verdict v = judged(r, proxied);
  EXPECT_EQ(v.reason, "auth.missing_credentials");
  EXPECT_NE(std::find(v.evidence.begin(), v.evidence.end(),
                      "sent: no credentials for the target (proxy credentials went to the proxy)"),
            v.evidence.end());
}

// A Bearer token to an API that asks for "Token" (Django REST framework's
// TokenAuthentication): the scheme is wrong, not the secret.
TEST(Basis, AnotherSchemeAskedForIsMalformed) {
  ProbeResult r =
      denial(401, "Unauthorized", "{\"detail\":\"Authentication credentials were not provided.\"}");
  r.headers = parse_header_block("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Token\r\n");
  RequestSpec bearer;
  bearer.headers = {"Authorization: Bearer 0123456789abcdef"};
  Verdict v = judged(r, bearer);
  EXPECT_EQ(v.reason, "auth.malformed_credentials");
  EXPECT_NE(status_line(r, v).find("the server asks for the Token scheme, the check sent Bearer"),
            std::string::npos)
      << status_line(r, v);
}

// SPEC 1.6: after a redirect to another origin the final request carried
// none of the credentials; a 401 or 403 there is told as that, from what the
// check knows (basis local), whatever was configured.
TEST(Basis, CredentialsWithheldAtARedirect) {
  RequestSpec bearer;
  bearer.url = "https://api.example/v1";
  bearer.credential_headers = {"Authorization: Bearer opaque"};
  for (int status : {401, 403}) {
    ProbeResult r = denial(status, status == 401 ? "Unauthorized" : "Forbidden");
    r.url = bearer.url;
    r.effective_url = "https://other.example:8443/v1";
    r.credentials_withheld = "https://other.example:8443";
    Verdict v = judged(r, bearer);
    EXPECT_EQ(v.reason, "auth.missing_credentials") << status;
    EXPECT_EQ(v.basis, Basis::local) << status;
    const std::string line = status_line(r, v);
    EXPECT_NE(line.find("credentials were not forwarded to https://other.example:8443 after the redirect"),
              std::string::npos)
        << line;
    EXPECT_EQ(line.find("likely"), std::string::npos) << line;
    ASSERT_FALSE(v.hints.empty());
    EXPECT_NE(v.hints[0].find("Point -u (collectd: URL) at the final URL (https://other.example:8443/v1)"),
              std::string::npos)
        << v.hints[0];
    EXPECT_NE(std::find(v.evidence.begin(), v.evidence.end(),
                        "sent: no credentials to https://other.example:8443: they go only to the origin of "
                        "https://api.example/v1"),
              v.evidence.end());
  }
  // Withheld, but the answer is fine: nothing to diagnose.
  ProbeResult ok = denial(200, "OK");
  ok.credentials_withheld = "https://other.example:8443";
  EXPECT_EQ(judged(ok, bearer).reason, "ok");
}

TEST(Basis, HintsAreListedOnce) {
  ProbeResult r = denial(429, "Too Many Requests");
  Verdict v = judged(r, RequestSpec{});
  for (const auto& h : v.hints) EXPECT_EQ(std::count(v.hints.begin(), v.hints.end(), h), 1) << h;
}

TEST(Classify, TimeoutStateIsConfigurable) {
  ProbeResult r;
  r.transport = Transport::timeout;
  r.curl_code = 28;
  r.error = "Operation timed out";
  Policy p;
  p.timeout_state = State::warning;
  Verdict v = classify(r, p, kNow);
  EXPECT_EQ(v.state, State::warning);
  EXPECT_EQ(v.reason, "net.timeout");
  EXPECT_EQ(v.shape, Shape::transport);
}

}  // namespace
}  // namespace probewise
