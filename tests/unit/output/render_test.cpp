// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/render.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "judge/classify.h"

namespace probewise {
namespace {

constexpr std::time_t kNow = 1795824000;

ProbeResult answer(int status, const std::string& phrase) {
  ProbeResult r;
  r.status = status;
  r.http_version = "HTTP/1.1";
  r.reason_phrase = phrase;
  r.status_line = "HTTP/1.1 " + std::to_string(status) + " " + phrase;
  r.header_bytes = 100;
  r.body_bytes = 212;
  r.timings.total_us = 4123;
  r.effective_url = "http://example.com/";
  return r;
}

RenderOptions with_options(bool extended, bool show_body, int verbosity) {
  RenderOptions o;
  o.extended_perfdata = extended;
  o.show_body = show_body;
  o.verbosity = verbosity;
  return o;
}

RenderOptions check_http_words() {
  RenderOptions o;
  o.dialect = Dialect::check_http;
  o.server_address = "192.0.2.7";
  o.timeout_seconds = 7;
  return o;
}

ProbeResult failed(Transport t, int curl_code, const std::string& error) {
  ProbeResult r;
  r.transport = t;
  r.curl_code = curl_code;
  r.error = error;
  r.port = 8080;
  return r;
}

TEST(RenderNagios, CheckCurlStatusLineAndPerfdata) {
  ProbeResult r = answer(200, "OK");
  Policy p;
  Verdict v = classify(r, p, kNow);
  EXPECT_EQ(render_nagios(r, v, p, {}),
            "HTTP OK: HTTP/1.1 200 OK - 312 bytes in 0.004 second response time "
            "|time=0.004123s;;;0.000000;10.000000 size=312B;;;0\n");
}

TEST(RenderNagios, ProblemsGetReasonHintsAndEvidence) {
  ProbeResult r = answer(503, "Service Unavailable");
  Policy p;
  Verdict v = classify(r, p, kNow);
  std::string out = render_nagios(r, v, p, {});
  EXPECT_EQ(out.rfind("HTTP CRITICAL: HTTP/1.1 503 Service Unavailable - 312 bytes", 0), 0u) << out;
  EXPECT_NE(out.find("\nReason: http.server_error"), std::string::npos) << out;
  EXPECT_NE(out.find("\nHints:\n- "), std::string::npos) << out;
  EXPECT_NE(out.find("status line: HTTP/1.1 503 Service Unavailable"), std::string::npos) << out;
}

TEST(RenderNagios, ShowBodyAndTraceOnlyWhenAsked) {
  ProbeResult r = answer(200, "OK");
  r.body = "hello body";
  r.trace = {"* curl CURLOPT_URL: http://example.com/"};
  Policy p;
  Verdict v = classify(r, p, kNow);
  EXPECT_EQ(render_nagios(r, v, p, {}).find("hello body"), std::string::npos);
  EXPECT_NE(render_nagios(r, v, p, with_options(false, true, 0)).find("\nhello body\n"), std::string::npos);
  EXPECT_EQ(render_nagios(r, v, p, {}).find("CURLOPT_URL"), std::string::npos);
  EXPECT_EQ(render_nagios(r, v, p, with_options(false, false, 1)).rfind("* curl CURLOPT_URL", 0), 0u);
}

TEST(RenderJson, EveryMemberOfSpec15) {
  ProbeResult r = answer(401, "Unauthorized");
  Policy p;
  Verdict v = classify(r, p, kNow);
  auto j = nlohmann::json::parse(render_json(r, v, p, kNow));
  for (const char* key : {"state", "exit_code", "reason", "reasons", "summary", "hints", "evidence", "http",
                          "timings_ms", "change", "token", "tls", "health"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["state"], "WARNING");
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_EQ(j["http"]["status"], 401);
  EXPECT_EQ(j["http"]["version"], "HTTP/1.1");
  EXPECT_EQ(j["http"]["effective_url"], "http://example.com/");
  for (const char* key : {"dns", "connect", "tls", "ttfb", "total"})
    EXPECT_TRUE(j["timings_ms"].contains(key)) << key;
  EXPECT_DOUBLE_EQ(j["timings_ms"]["total"].get<double>(), 4.123);
  EXPECT_TRUE(j["tls"].is_null());
  EXPECT_TRUE(j["change"].is_null());
  // Nothing was sent, so the check knows the cause itself (SPEC 1.3 basis).
  EXPECT_EQ(j["reason"], "auth.missing_credentials");
  EXPECT_EQ(j["basis"], "local");
}

TEST(RenderNagios, LongOutputSaysWhatTheDiagnosisRestsOn) {
  ProbeResult r = answer(403, "Forbidden");
  Policy p;
  Verdict v = classify(r, p, kNow);
  std::string out = render_nagios(r, v, p, {});
  // check_curl's status line stays; the long output says the cause is unknown.
  EXPECT_EQ(out.rfind("HTTP WARNING: HTTP/1.1 403 Forbidden - 312 bytes in", 0), 0u) << out;
  EXPECT_NE(out.find("\nReason: forbidden.unspecified (forbidden, cause unknown)\n"), std::string::npos)
      << out;
  EXPECT_NE(out.find("\nBasis: status (the status code alone"), std::string::npos) << out;
}

TEST(RenderJson, BasisIsATopLevelMember) {
  ProbeResult r = answer(500, "Internal Server Error");
  Policy p;
  Verdict v = classify(r, p, kNow);
  auto j = nlohmann::json::parse(render_json(r, v, p, kNow));
  EXPECT_EQ(j["basis"], "status");
  ProbeResult ok = answer(200, "OK");
  Verdict fine = classify(ok, p, kNow);
  EXPECT_EQ(nlohmann::json::parse(render_json(ok, fine, p, kNow))["basis"], "status");
}

TEST(RenderJson, NoAnswerMeansNullHttp) {
  ProbeResult r;
  r.transport = Transport::refused;
  r.curl_code = 7;
  r.error = "Couldn't connect";
  Policy p;
  Verdict v = classify(r, p, kNow);
  auto j = nlohmann::json::parse(render_json(r, v, p, kNow));
  EXPECT_TRUE(j["http"].is_null());
  EXPECT_EQ(j["reason"], "net.refused");
  EXPECT_EQ(j["basis"], "local");
  EXPECT_EQ(j["exit_code"], 2);
}

TEST(RenderJson, HostileBytesStayValidJson) {
  ProbeResult r = answer(200, std::string("O\xff\xfeK"));
  Policy p;
  Verdict v = classify(r, p, kNow);
  EXPECT_TRUE(nlohmann::json::accept(render_json(r, v, p, kNow)));
}

// SPEC 1.6: URL secrets are [redacted] in every part of both outputs.
TEST(Render, UrlSecretsRedactedInBothOutputs) {
  ProbeResult r = answer(404, "Not Found");
  r.effective_url = "https://u:pw1@example.com/x?access_token=tok2&page=1";
  r.trace = {"> GET /x?access_token=tok2&page=1 HTTP/1.1"};
  r.header_block = "HTTP/1.1 404 Not Found\r\nLocation: /y?X-Amz-Signature=sig3\r\n";
  r.body = "see /z?code=code4";
  Policy p;
  p.display_url = "https://example.com:443/x?access_token=tok2";
  p.body_string = "absent";
  Verdict v = classify(r, p, kNow);
  const std::string nagios = render_nagios(r, v, p, with_options(false, true, 3));
  const std::string json = render_json(r, v, p, kNow);
  for (const std::string& out : {nagios, json}) {
    for (const char* secret : {"pw1", "tok2", "sig3", "code4"})
      EXPECT_EQ(out.find(secret), std::string::npos) << out;
  }
  EXPECT_NE(nagios.find("GET /x?access_token=[redacted]&page=1 HTTP/1.1"), std::string::npos) << nagios;
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(j["http"]["effective_url"], "https://[redacted]@example.com/x?access_token=[redacted]&page=1");
}

}  // namespace
}  // namespace probewise

namespace probewise {
namespace {

// check_http.t and check_curl.t pin these lines (monitoring-plugins 2.3.3
// and master): with -e, check_http shows only the matched list where
// check_curl shows the status line first; messages after it follow " - ".
TEST(RenderDialect, ExpectMatchedInBothIncumbentsWords) {
  ProbeResult r = answer(201, "Created");
  r.body = "hello";
  Policy p;
  p.expect_status_line = {"200", "201"};
  p.body_string = "absent";
  p.display_url = "http://127.0.0.1:8080/x";
  Verdict v = classify(r, p, kNow);
  EXPECT_EQ(
      status_line(r, v),
      "HTTP CRITICAL: HTTP/1.1 201 Created - Status line output matched \"200,201\" - string 'absent' not "
      "found on 'http://127.0.0.1:8080/x' - 312 bytes in 0.004 second response time");
  EXPECT_EQ(status_line(r, v, check_http_words()),
            "HTTP CRITICAL: Status line output matched \"200,201\" - string 'absent' not found on "
            "'http://127.0.0.1:8080/x' - 312 bytes in 0.004 second response time");
  p.body_string.clear();
  v = classify(r, p, kNow);
  EXPECT_EQ(status_line(r, v, check_http_words()),
            "HTTP OK: Status line output matched \"200,201\" - 312 bytes in 0.004 second response time");
}

TEST(RenderDialect, CheckHttpKeepsTheStatusLineAsItCame) {
  ProbeResult r = answer(404, "Not Found");
  r.status_line = "HTTP/1.1 404 Not  Found";
  Policy p;
  Verdict v = classify(r, p, kNow);
  EXPECT_EQ(
      status_line(r, v, check_http_words()).rfind("HTTP WARNING: HTTP/1.1 404 Not  Found - 312 bytes", 0),
      0u);
  EXPECT_EQ(status_line(r, v).rfind("HTTP WARNING: HTTP/1.1 404 Not Found - 312 bytes", 0), 0u);
}

TEST(RenderDialect, CheckHttpSocketWords) {
  Policy p;
  struct Case {
    Transport transport;
    std::string check_http;
  } cases[] = {
      {Transport::refused,
       "connect to address 192.0.2.7 and port 8080: Connection refused\nHTTP CRITICAL - Unable to open TCP "
       "socket"},
      {Transport::unreachable,
       "connect to address 192.0.2.7 and port 8080: No route to host\nHTTP CRITICAL - Unable to open TCP "
       "socket"},
      {Transport::dns, "Name or service not known\nHTTP CRITICAL - Unable to open TCP socket"},
      {Transport::timeout, "CRITICAL - Socket timeout after 7 seconds"},
      {Transport::tls_handshake, "CRITICAL - Cannot make SSL connection."},
  };
  for (const auto& c : cases) {
    ProbeResult r = failed(c.transport, 7, "libcurl's words");
    Verdict v = classify(r, p, kNow);
    EXPECT_EQ(status_line(r, v, check_http_words()), c.check_http);
    // check_curl's words by default, libcurl's message in them.
    EXPECT_NE(status_line(r, v).find("cURL returned 7 - libcurl's words"), std::string::npos);
    // The diagnosis still follows.
    EXPECT_NE(render_nagios(r, v, p, check_http_words()).find("\nReason: " + v.reason + " ("),
              std::string::npos);
  }
  ProbeResult reset = failed(Transport::error, 56, "Connection reset by peer");
  Verdict v = classify(reset, p, kNow);
  EXPECT_EQ(status_line(reset, v, check_http_words()), status_line(reset, v));
}

TEST(RenderTree, MultiLineIsUpstreamsShape) {
  ProbeResult r = answer(401, "Unauthorized");
  Policy p;
  p.display_url = "http://example.com:80/";
  Verdict v = classify(r, p, kNow);
  const std::string out = render_multi_line(r, v, p, {});
  EXPECT_EQ(out.rfind("[WARNING] - HTTP/1.1 401 Unauthorized - ", 0), 0u) << out;
  EXPECT_NE(
      out.find("\n\t\\_[WARNING] - Testing http://example.com:80/\n\t\t\\_[OK] - HTTP/1.1 401 Unauthorized - "
               "312 bytes in 0.004 second response time"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("\t\t\\_[WARNING] - Reason: auth.missing_credentials"), std::string::npos) << out;
  // Continuation lines sit one level deeper; the perfdata ends the output.
  EXPECT_NE(out.find("\n\t\t\tHint: "), std::string::npos) << out;
  EXPECT_EQ(out.find('|'), out.rfind('|')) << out;
  EXPECT_NE(out.find("|time=0.004123s;;;0.000000;10.000000 size=312B;;;0\n"), std::string::npos) << out;
}

TEST(RenderTree, MpTestJsonIsTheSameTree) {
  ProbeResult r = answer(200, "OK");
  Policy p;
  p.time.warning = *parse_range("1");
  Verdict v = classify(r, p, kNow);
  auto j = nlohmann::json::parse(render_mp_test_json(r, v, p, {}));
  EXPECT_EQ(j["state"], "OK");
  EXPECT_EQ(j["summary"], "HTTP/1.1 200 OK - 312 bytes in 0.004 second response time");
  ASSERT_EQ(j["checks"].size(), 1u);
  const auto& test = j["checks"][0];
  EXPECT_EQ(test["state"], "OK");
  bool timed = false;
  for (const auto& sc : test["checks"]) {
    if (!sc.contains("perfdata")) continue;
    timed = true;
    const auto& time = sc["perfdata"][0];
    EXPECT_EQ(time["label"], "time");
    EXPECT_EQ(time["uom"], "s");
    EXPECT_EQ(time["value"]["type"], "double");
    EXPECT_EQ(time["value"]["value"], "0.004123");
    EXPECT_EQ(time["warn"]["end"]["value"], "1.000000");
    EXPECT_EQ(time["warn"]["alert_on_inside"], false);
    EXPECT_EQ(sc["perfdata"][1]["label"], "size");
    EXPECT_EQ(sc["perfdata"][1]["value"]["type"], "int");
  }
  EXPECT_TRUE(timed) << j.dump();
}

}  // namespace
}  // namespace probewise
