// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/scheduler: real transfers on one ConcurrentProber against
// sockets of this test on 127.0.0.1: a port nobody listens on (refused at
// once) and a listener that never answers (hung until the Timeout).
#include "scheduler.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "http/request.h"
#include "report.h"
#include "support/loopback.h"

namespace probewise {
namespace {

using namespace std::chrono_literals;

// A socket bound to 127.0.0.1 on a free port; listening or not.
class LocalPort {
 public:
  explicit LocalPort(bool listening) {
    fd_ = testing::bind_loopback(port_);
    if (listening)
      listen(fd_, 64);  // the kernel completes handshakes; nobody ever reads
    else
      close(fd_), fd_ = -1;  // the port is free again: connections are refused
  }
  ~LocalPort() {
    if (fd_ >= 0) close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

EndpointConfig endpoint(const std::string& name, const std::string& url, double interval_s, long timeout_ms,
                        const std::function<void(EndpointSettings&)>& tweak = {}) {
  EndpointSettings settings;
  settings.interval_s = interval_s;
  settings.job.spec.timeout_ms = timeout_ms;
  settings.job.state.enabled = false;
  if (tweak) tweak(settings);
  EndpointConfig e;
  e.name = name;
  e.url = url;
  e.settings = std::make_shared<const EndpointSettings>(std::move(settings));
  return e;
}

struct Seen {
  std::string name;
  std::string reason;
  bool had_previous = false;
  bool notified = false;
  std::chrono::steady_clock::time_point at;
};

class SchedulerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { global_init(); }

  std::unique_ptr<Scheduler> make(PluginConfig config) {
    SchedulerHooks hooks;
    hooks.report = [this](const EndpointReport& r) {
      seen_.push_back({r.endpoint.name, r.outcome.verdict.reason, r.previous.has_value(),
                       describe(r).notification.has_value(), std::chrono::steady_clock::now()});
    };
    hooks.log = [this](LogLevel, const std::string& text) { log_.push_back(text); };
    return std::make_unique<Scheduler>(std::move(config), std::move(hooks));
  }

  // Polls as the worker thread does, for `how_long`; returns the most transfers seen in flight.
  std::size_t run(Scheduler& s, std::chrono::milliseconds how_long) {
    std::size_t most = 0;
    auto end = std::chrono::steady_clock::now() + how_long;
    while (std::chrono::steady_clock::now() < end) {
      int sleep_ms = s.poll(20);
      most = std::max(most, s.in_flight());
      if (s.in_flight() == 0 && sleep_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(sleep_ms, 20)));
    }
    return most;
  }

  int count(const std::string& name) const {
    int n = 0;
    for (const auto& s : seen_) n += s.name == name;
    return n;
  }

  std::vector<Seen> seen_;
  std::vector<std::string> log_;
};

// A hung endpoint never delays another: "down" keeps its 0.1 s rhythm
// while "hung" waits for its 1.5 s Timeout.
TEST_F(SchedulerTest, HungEndpointDoesNotDelayOthers) {
  LocalPort hung(true), down(false);
  PluginConfig c;
  c.endpoints.push_back(endpoint("hung", hung.url(), 10, 1500));
  c.endpoints.push_back(endpoint("down", down.url(), 0.1, 1000));
  auto s = make(c);
  const auto start = std::chrono::steady_clock::now();
  run(*s, 1200ms);
  EXPECT_EQ(count("hung"), 0);
  EXPECT_GE(count("down"), 8) << "about one every 0.1 s";
  run(*s, 800ms);
  ASSERT_EQ(count("hung"), 1);
  for (const auto& r : seen_) {
    if (r.name == "hung") {
      EXPECT_EQ(r.reason, "net.timeout");
      EXPECT_GE(r.at - start, 1400ms);
    } else {
      EXPECT_EQ(r.reason, "net.refused");
    }
  }
  s->shutdown();
}

TEST_F(SchedulerTest, AtMostMaxConcurrencyInFlight) {
  LocalPort hung(true);
  PluginConfig c;
  c.max_concurrency = 2;
  for (int i = 0; i < 5; ++i) c.endpoints.push_back(endpoint("e" + std::to_string(i), hung.url(), 0.05, 300));
  auto s = make(c);
  std::size_t most = run(*s, 1000ms);
  EXPECT_EQ(most, 2u);
  EXPECT_GE(seen_.size(), 4u) << "the others get their turn as slots free up";
  s->shutdown();
  EXPECT_EQ(s->in_flight(), 0u) << "shutdown stops what is in flight";
}

// The Interval holds: a check that outlasts it skips the round instead of
// piling up.
TEST_F(SchedulerTest, OverlongCheckSkipsRounds) {
  LocalPort hung(true);
  PluginConfig c;
  c.endpoints.push_back(endpoint("slow", hung.url(), 0.1, 450));
  auto s = make(c);
  run(*s, 1000ms);
  EXPECT_LE(count("slow"), 2);
  EXPECT_GE(s->stats().skipped, 4u);
  s->shutdown();
}

TEST_F(SchedulerTest, UnreadableCredentialsAreAVerdict) {
  LocalPort down(false);
  PluginConfig c;
  EndpointConfig e = endpoint("creds", down.url(), 10, 1000, [](EndpointSettings& s) {
    s.credentials.bearer_token_file = "/nonexistent/probewise/token";
  });
  c.endpoints.push_back(e);
  auto s = make(c);
  run(*s, 100ms);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].reason, "auth.missing_credentials");
  EXPECT_TRUE(seen_[0].notified);
}

// The last state survives a restart: the same status again is no news.
TEST_F(SchedulerTest, StateSurvivesRestart) {
  char dir[] = "/tmp/probewise-state-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  LocalPort down(false);
  PluginConfig c;
  EndpointConfig e = endpoint("down", down.url(), 10, 1000, [&](EndpointSettings& s) {
    s.job.state.enabled = true;
    s.job.state.dir = dir;
  });
  c.endpoints.push_back(e);
  {
    auto first = make(c);
    run(*first, 100ms);
    first->shutdown();
  }
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_FALSE(seen_[0].had_previous);
  EXPECT_TRUE(seen_[0].notified) << "a first probe that fails is announced";
  {
    auto second = make(c);
    run(*second, 100ms);
    second->shutdown();
  }
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_TRUE(seen_[1].had_previous) << "seeded from the state directory";
  EXPECT_FALSE(seen_[1].notified);
  EXPECT_EQ(std::system(("rm -rf '" + std::string(dir) + "'").c_str()), 0);
}

}  // namespace
}  // namespace probewise
