// SPDX-License-Identifier: GPL-2.0-or-later
// The output of a run from several vantages (output/render_vantages.cpp,
// render_json.cpp): status line and perfdata, one line per vantage, JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "check/vantage_run.h"
#include "judge/classify.h"
#include "output/render.h"
#include "support/made_up.h"

namespace probewise {
namespace {

using testing::made_up_answer;
constexpr std::time_t kNow = testing::kMadeUpNow;

VantageResult vantage(const std::string& definition, ProbeResult r, const Policy& p) {
  auto v = parse_vantage(definition);
  EXPECT_TRUE(v.ok());
  RequestSpec base;
  base.url = "http://127.0.0.1:8080/";
  r.url = base.url;
  VantageResult out;
  out.definition = vantage_definition(*v);
  out.verdict = classify(r, p, kNow);
  out.seen = vantage_seen(*v, from_vantage(base, *v), r, out.verdict);
  out.result = std::move(r);
  return out;
}

VantagesResult refused_from_eu1(const Policy& p) {
  ProbeResult denied = made_up_answer(403, "<h1>Forbidden</h1>");
  denied.reason_phrase = "Forbidden";
  denied.timings.total_us = 3000;
  denied.peer_ip = "127.0.0.1";
  denied.peer_port = 8080;
  denied.local_ip = "127.0.0.2";
  denied.local_port = 40000;
  ProbeResult ok = made_up_answer(200, "hello");
  ok.reason_phrase = "OK";
  ok.timings.total_us = 4600;
  VantagesResult r;
  r.vantages.push_back(vantage("eu1=source:127.0.0.2", denied, p));
  r.vantages.push_back(vantage("us1=via:http://127.0.0.1:3128", ok, p));
  ProbeResult down;
  down.transport = Transport::refused;
  down.error = "Failed to connect to 127.0.0.1 port 3999 after 0 ms: Couldn't connect to server";
  down.egress_failed = true;
  r.vantages.push_back(vantage("ap1=via:http://127.0.0.1:3999", down, p));
  std::vector<VantageSeen> seen;
  for (const auto& v : r.vantages) seen.push_back(v.seen);
  r.combined = combine_vantages(seen, {});
  return r;
}

TEST(RenderVantages, NagiosStatusLinePerfdataAndOneLinePerVantage) {
  Policy p;
  p.timeout_seconds = 10;
  p.time.warning = parse_range("1").value();
  const std::string out = render_vantages_nagios(refused_from_eu1(p), p, {});
  const std::string first = out.substr(0, out.find('\n'));
  EXPECT_EQ(
      first,
      "HTTP WARNING: refused from eu1 only (403), answered from us1: likely an IP allowlist or geo rule for "
      "eu1's address; ap1 could not run: its proxy http://127.0.0.1:3999 refused the connection "
      "|time=0.004600s;1.000000;;0.000000;10.000000 size=18B;;;0 "
      "time_eu1=0.003000s;1.000000;;0.000000;10.000000 time_us1=0.004600s;1.000000;;0.000000;10.000000");
  EXPECT_NE(
      out.find(
          "\nVantages:\n"
          "- eu1 (source 127.0.0.2): WARNING, 403 Forbidden, forbidden.unspecified: forbidden, cause "
          "unknown, 0.003 s\n"
          "- us1 (proxy http://127.0.0.1:3128): OK, 200 OK, 0.005 s\n"
          "- ap1 (proxy http://127.0.0.1:3999): could not run: its proxy http://127.0.0.1:3999 refused the "
          "connection\n"
          "Reason: forbidden.ip (source address not allowed)\n"
          "Basis: comparison (what several vantages saw"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("Evidence:\n"), std::string::npos) << out;
  EXPECT_NE(out.find("- eu1: connected to 127.0.0.1:8080 from 127.0.0.2:40000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("- ap1: libcurl error 0: Failed to connect"), std::string::npos) << out;
  EXPECT_EQ(out.find("- us1: "), std::string::npos) << "an OK vantage adds no evidence\n" << out;
}

TEST(RenderVantages, JsonKeepsTheMembersOfOneCheckAndAddsVantages) {
  Policy p;
  const auto j = nlohmann::json::parse(render_vantages_json(refused_from_eu1(p), p, kNow));
  EXPECT_EQ(j["state"], "WARNING");
  EXPECT_EQ(j["exit_code"], 1);
  EXPECT_EQ(j["reason"], "forbidden.ip");
  EXPECT_EQ(j["basis"], "comparison");
  EXPECT_EQ(j["reasons"][0], "forbidden.ip");
  EXPECT_TRUE(j["http"].is_null()) << "several answers: each is under vantages";
  for (const char* member : {"summary", "hints", "evidence", "timings_ms", "change", "token", "notes", "tls"})
    EXPECT_TRUE(j.contains(member)) << member;
  ASSERT_EQ(j["vantages"].size(), 3u);
  const auto& eu1 = j["vantages"][0];
  EXPECT_EQ(eu1["name"], "eu1");
  EXPECT_EQ(eu1["via"], "source:127.0.0.2");
  EXPECT_EQ(eu1["state"], "WARNING");
  EXPECT_EQ(eu1["reason"], "forbidden.unspecified");
  EXPECT_EQ(eu1["status"], 403);
  EXPECT_DOUBLE_EQ(eu1["timings_ms"]["total"].get<double>(), 3.0);
  const auto& ap1 = j["vantages"][2];
  EXPECT_EQ(ap1["ran"], false);
  EXPECT_EQ(ap1["state"], "UNKNOWN");
  EXPECT_TRUE(ap1["status"].is_null());
  EXPECT_EQ(ap1["why_not"], "its proxy http://127.0.0.1:3999 refused the connection");
}

TEST(RenderVantages, ProxyCredentialsAreRedacted) {
  Policy p;
  ProbeResult ok = made_up_answer(200);
  VantagesResult r;
  r.vantages.push_back(vantage("s=via:http://monitor:hunter2@127.0.0.1:3128", ok, p));
  r.combined = combine_vantages({r.vantages[0].seen}, {});
  EXPECT_EQ(render_vantages_nagios(r, p, {}).find("hunter2"), std::string::npos);
  EXPECT_EQ(render_vantages_json(r, p, kNow).find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace probewise
