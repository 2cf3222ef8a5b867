// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/classify.h"

#include <gtest/gtest.h>

#include <regex>

#include "credentials/credentials.h"
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
class RecordedDenial : public ::testing::TestWithParam<std::string> {};

TEST_P(RecordedDenial, DiagnosisNamesTheRecordedReason) {
  auto c = load_recorded(GetParam());
  // expect_reason is what the signal readers claim; expect_verdict, where
  // given, is the end-to-end verdict when the two differ.
  const std::string expected =
      c.keys.count("expect_verdict") ? c.keys["expect_verdict"] : c.keys["expect_reason"];
  std::string sent =
      c.keys.count("sent") ? c.keys["sent"] : (expected == "auth.missing_credentials" ? "none" : "bearer");
  RequestSpec spec;
  if (sent == "bearer") spec.headers = {"Authorization: Bearer opaque-monitor-token"};
  Context ctx;
  ctx.now = kNow;
  ctx.sent = describe_sent_auth(spec);
  Verdict v = classify(c.result, Policy{}, ctx);
  EXPECT_EQ(v.reason, expected) << c.keys["origin"] << "\n" << status_line(c.result, v);
  if (v.state != State::ok) {
    EXPECT_FALSE(v.hints.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Denials, RecordedDenial,
                         ::testing::ValuesIn(recorded_files(PROBEWISE_TEST_DATA "/denials")),
                         [](const auto& info) { return testing::recorded_test_name(info.param); });

TEST(Recorded, ThereAreCases) {
  EXPECT_GE(recorded_files(PROBEWISE_TEST_DATA "/responses").size(), 10u);
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
