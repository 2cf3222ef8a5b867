// SPDX-License-Identifier: GPL-2.0-or-later
// common/request: ConcurrentProber against a keep-alive HTTP/1.1 server of
// this test on 127.0.0.1 that records every request head. The prober hands
// easy handles and connections from one probe to the next: nothing of one
// probe (method, headers, credentials, body) may reach the next one's request.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "http/request.h"
#include "support/recording_server.h"

namespace probewise {
namespace {

std::vector<std::pair<std::uint64_t, ProbeResult>> run_all(ConcurrentProber& prober) {
  std::vector<std::pair<std::uint64_t, ProbeResult>> all;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (prober.in_flight() > 0 && std::chrono::steady_clock::now() < until)
    for (auto& done : prober.run(50)) all.push_back(std::move(done));
  return all;
}

RequestSpec get(const std::string& url) {
  RequestSpec spec;
  spec.url = url;
  spec.timeout_ms = 5000;
  return spec;
}

class ConcurrentProberTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(global_init()); }
};

TEST_F(ConcurrentProberTest, NothingOfOneProbeReachesTheNext) {
  testing::RecordingServer server;
  ConcurrentProber prober(0, 8);
  RequestSpec loud = get(server.url("/loud"));
  loud.method = "PUT";
  loud.has_body = true;
  loud.body = "payload";
  loud.headers = {"X-Api-Key: secret-one", "Authorization: Bearer secret-two"};
  loud.basic_auth = "user:secret-three";
  loud.user_agent = "loud-agent";
  prober.start(1, loud);
  auto first = run_all(prober);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].second.status, 200);

  // The same handle and connection serve the next probes.
  for (std::uint64_t id = 2; id <= 4; ++id) {
    prober.start(id, get(server.url("/quiet")));
    auto done = run_all(prober);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].first, id);
    EXPECT_EQ(done[0].second.status, 200);
    EXPECT_EQ(done[0].second.url, server.url("/quiet"));
    EXPECT_EQ(done[0].second.port, std::stoi(server.url("").substr(17)));
  }
  auto heads = server.heads();
  ASSERT_EQ(heads.size(), 4u);
  EXPECT_NE(heads[0].find("PUT /loud"), std::string::npos) << heads[0];
  EXPECT_NE(heads[0].find("secret-one"), std::string::npos) << heads[0];
  for (std::size_t i = 1; i < heads.size(); ++i) {
    const std::string& h = heads[i];
    EXPECT_EQ(h.rfind("GET /quiet HTTP/1.1\r\n", 0), 0u) << h;
    for (const char* leaked : {"secret", "Authorization", "loud-agent", "Content-Length", "X-Api-Key"})
      EXPECT_EQ(h.find(leaked), std::string::npos) << leaked << " in\n" << h;
  }
  EXPECT_EQ(server.connections(), 1u) << "one keep-alive connection served every probe";
}

TEST_F(ConcurrentProberTest, ManyAtOnceEachGetsItsOwnAnswer) {
  testing::RecordingServer server;
  ConcurrentProber prober(0, 64);
  for (int round = 0; round < 3; ++round) {
    for (std::uint64_t id = 0; id < 40; ++id) prober.start(id, get(server.url("/p" + std::to_string(id))));
    auto done = run_all(prober);
    ASSERT_EQ(done.size(), 40u);
    for (const auto& [id, result] : done) {
      EXPECT_EQ(result.status, 200);
      EXPECT_EQ(result.url, server.url("/p" + std::to_string(id)));
    }
  }
  EXPECT_EQ(server.heads().size(), 120u);
  EXPECT_LE(server.connections(), 40u) << "later rounds reuse the first round's connections";
}

TEST_F(ConcurrentProberTest, PortsOfUrls) {
  ConcurrentProber prober;
  // Nothing listens there: refused at once, but the port is known.
  struct Case {
    std::string url;
    int port;
  } cases[] = {{"http://127.0.0.1:9/", 9}, {"http://user:p%40ss@127.0.0.1:9/x?y=1", 9},
               {"http://[::1]:9/", 9},     {"HTTP://127.0.0.1:9", 9},
               {"http://127.0.0.1/", 80},  {"https://127.0.0.1/", 443}};
  std::uint64_t id = 0;
  for (const auto& c : cases) prober.start(id++, get(c.url));
  auto done = run_all(prober);
  ASSERT_EQ(done.size(), std::size(cases));
  for (const auto& [i, result] : done) {
    EXPECT_EQ(result.port, cases[i].port) << cases[i].url;
    if (cases[i].port == 9) {
      EXPECT_FALSE(result.has_answer()) << cases[i].url;
    }
  }
}

}  // namespace
}  // namespace probewise
