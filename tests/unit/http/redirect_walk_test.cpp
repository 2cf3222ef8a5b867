// SPDX-License-Identifier: GPL-2.0-or-later
// http/redirect_walk: the decisions from one answer to the next request,
// without a network (SPEC 1.6 for credentials; libcurl 7.88's
// CURLOPT_FOLLOWLOCATION semantics for -f curl: lib/transfer.c Curl_follow),
// then both drivers (perform() and ConcurrentProber) walking real redirects
// between two recording servers on 127.0.0.1.
#include "http/redirect_walk.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "http/request.h"
#include "support/recording_server.h"

namespace probewise {
namespace {

RequestSpec spec(RedirectMode mode, const std::string& url = "https://api.example:8443/v1/x") {
  RequestSpec s;
  s.url = url;
  s.redirects = mode;
  s.basic_auth = "mon:pw";
  return s;
}

ProbeResult answered(int status) {
  ProbeResult r;
  r.status = status;
  return r;
}

// Walks `spec` through the answers (status, Location) given; returns the plans.
struct Walked {
  std::vector<HopPlan> hops;
  ProbeResult result;
  bool more = false;
};

Walked walk(const RequestSpec& s, const std::vector<std::pair<int, std::string>>& answers) {
  Walked w;
  RedirectWalk walk(s);
  EXPECT_TRUE(walk.begin(w.result));
  w.hops.push_back(walk.hop());
  for (const auto& [status, location] : answers) {
    w.result.status = status;
    w.more = walk.next(location, w.result);
    if (!w.more) break;
    w.hops.push_back(walk.hop());
  }
  return w;
}

TEST(RedirectWalk, OriginKeepsEveryCredentialElsewhereNone) {
  for (RedirectMode mode :
       {RedirectMode::follow, RedirectMode::sticky, RedirectMode::stickyport, RedirectMode::curl}) {
    SCOPED_TRACE(static_cast<int>(mode));
    const struct {
      std::string location;
      bool same_origin;
    } cases[] = {
        {"https://api.example:8443/v2/x", true},
        {"https://API.Example:8443/v2/x", true},   // host names compare case-insensitively
        {"https://api.example:8444/v1/x", false},  // another port
        {"https://other.example:8443/v1/x", false},
        {"http://api.example:8443/v1/x", false},  // https -> http
        {"https://api.example/v1/x", false},      // the default port is another port
        {"https://evil.example:8443@api.example:8443/x", true},
    };
    for (const auto& c : cases) {
      SCOPED_TRACE(c.location);
      Walked w = walk(spec(mode), {{302, c.location}});
      ASSERT_TRUE(w.more);
      EXPECT_EQ(w.hops.back().credentials, c.same_origin);
      EXPECT_EQ(w.result.credentials_withheld.empty(), c.same_origin);
    }
  }
}

TEST(RedirectWalk, WithheldNamesTheOriginWithoutUserinfo) {
  Walked w = walk(spec(RedirectMode::follow), {{302, "https://u:p@other.example:8443/x?token=t"}});
  ASSERT_TRUE(w.more);
  EXPECT_EQ(w.result.credentials_withheld, "https://other.example:8443");
  EXPECT_EQ(w.hops.back().url, "https://other.example:8443/x?token=t")
      << "the Location's userinfo stays behind";
}

TEST(RedirectWalk, BackAtTheOriginTheCredentialsGoAgain) {
  Walked w = walk(spec(RedirectMode::follow),
                  {{302, "https://other.example/sso"}, {302, "https://api.example:8443/v1/back"}});
  ASSERT_EQ(w.hops.size(), 3u);
  EXPECT_FALSE(w.hops[1].credentials);
  EXPECT_TRUE(w.hops[2].credentials);
  EXPECT_TRUE(w.result.credentials_withheld.empty()) << "the final request had them";
}

TEST(RedirectWalk, NothingWithheldWhenNothingWasConfigured) {
  RequestSpec s = spec(RedirectMode::follow);
  s.basic_auth.clear();
  // The public headers travel, and a custom Host is no credential.
  s.headers = {"Accept: */*", "X-Request-ID: 1", "User-Agent: u", "Host: h.example"};
  EXPECT_TRUE(walk(s, {{302, "https://other.example/x"}}).result.credentials_withheld.empty());
  // Every other header stays with the origin, whatever its name (SPEC 1.6).
  for (const char* header :
       {"Authorization: Bearer t", "Cookie: a=b", "X-API-Key: k", "X-Auth-Token: t", "X-Trace: 1",
        "X-JFrog-Art-Api: k", "X-Honeycomb-Team: k", "AccessKey: k", "X-Ovh-Consumer: k"}) {
    s.headers = {header};
    EXPECT_FALSE(walk(s, {{302, "https://other.example/x"}}).result.credentials_withheld.empty()) << header;
  }
  s.headers.clear();
  s.credential_headers = {"X-Tenant: t"};
  EXPECT_FALSE(walk(s, {{302, "https://other.example/x"}}).result.credentials_withheld.empty());
  s.credential_headers.clear();
  s.cookie_engine = true;
  EXPECT_FALSE(walk(s, {{302, "https://other.example/x"}}).result.credentials_withheld.empty());
  s.cookie_engine = false;
  s.url = "https://mon:pw@api.example:8443/";
  EXPECT_FALSE(walk(s, {{302, "https://other.example/x"}}).result.credentials_withheld.empty());
}

// Sticky modes change where the walk connects, never the origin.
TEST(RedirectWalk, ConnectToOfEachMode) {
  RequestSpec s = spec(RedirectMode::follow, "http://www.example:8080/");
  s.connect_host = "10.0.0.1";
  s.connect_port = 8081;
  const std::map<RedirectMode, std::string> expected{{RedirectMode::follow, ""},
                                                     {RedirectMode::sticky, "::10.0.0.1:"},
                                                     {RedirectMode::stickyport, "::10.0.0.1:8081"},
                                                     {RedirectMode::curl, "::10.0.0.1:8081"}};
  for (const auto& [mode, entry] : expected) {
    s.redirects = mode;
    Walked w = walk(s, {{302, "http://www.example:8080/next"}});
    EXPECT_EQ(w.hops[0].connect_to, "::10.0.0.1:8081");
    EXPECT_EQ(w.hops[1].connect_to, entry) << static_cast<int>(mode);
    EXPECT_TRUE(w.hops[1].credentials) << "same origin, whatever the address";
  }
}

TEST(RedirectWalk, CurlTurnsPostIntoGetOn301To303) {
  RequestSpec s = spec(RedirectMode::curl);
  s.has_body = true;
  s.body = "x=1";
  for (int status : {301, 302, 303, 307, 308}) {
    Walked w = walk(s, {{status, "https://api.example:8443/next"}});
    EXPECT_EQ(w.hops[1].drop_body, status <= 303) << status;
  }
  // Once switched, it stays GET.
  Walked w = walk(s, {{302, "https://api.example:8443/a"}, {307, "https://api.example:8443/b"}});
  EXPECT_TRUE(w.hops[2].drop_body);
  // Our own modes re-send the request as it was (check_http's algorithm).
  s.redirects = RedirectMode::follow;
  EXPECT_FALSE(walk(s, {{302, "https://api.example:8443/next"}}).hops[1].drop_body);
  // Nothing to drop without a body (GET, HEAD, a bodiless custom method).
  for (const char* method : {"GET", "HEAD", "DELETE"}) {
    RequestSpec plain = spec(RedirectMode::curl);
    plain.method = method;
    EXPECT_FALSE(walk(plain, {{303, "https://api.example:8443/next"}}).hops[1].drop_body) << method;
  }
}

// 302 to /1, /2, /3 on the origin.
std::vector<std::pair<int, std::string>> three_redirects() {
  return {{302, "https://api.example:8443/1"},
          {302, "https://api.example:8443/2"},
          {302, "https://api.example:8443/3"}};
}

TEST(RedirectWalk, MaximumAsLibcurlReportsItInCurlMode) {
  RequestSpec s = spec(RedirectMode::curl);
  s.max_redirects = 2;
  Walked w = walk(s, three_redirects());
  EXPECT_FALSE(w.more);
  EXPECT_EQ(w.result.transport, Transport::error);
  EXPECT_EQ(w.result.curl_code, 47);  // CURLE_TOO_MANY_REDIRECTS
  EXPECT_EQ(w.result.error, "Maximum (2) redirects followed");
  EXPECT_EQ(w.result.redirect_problem, RedirectProblem::too_many);
  EXPECT_EQ(w.result.redirects.size(), 2u) << "CURLINFO_REDIRECT_COUNT";
}

TEST(RedirectWalk, MaximumAndLoopsInOurOwnModes) {
  RequestSpec s = spec(RedirectMode::follow);
  s.max_redirects = 2;
  Walked w = walk(s, three_redirects());
  EXPECT_EQ(w.result.transport, Transport::ok);
  EXPECT_EQ(w.result.redirect_problem, RedirectProblem::too_many);
  EXPECT_EQ(w.result.redirects.back(), "https://api.example:8443/3") << "where it would have gone";
  s.max_redirects = 15;
  w = walk(s, {{302, "https://api.example:8443/a"}, {302, "https://api.example:8443/v1/x"}});
  EXPECT_EQ(w.result.redirect_problem, RedirectProblem::loop);
  // libcurl has no loop detection: -f curl runs into the maximum.
  s.redirects = RedirectMode::curl;
  w = walk(s, {{302, "https://api.example:8443/a"}, {302, "https://api.example:8443/v1/x"}});
  EXPECT_TRUE(w.more);
}

TEST(RedirectWalk, EndsWhereThereIsNothingToFollow) {
  EXPECT_FALSE(walk(spec(RedirectMode::none), {{302, "https://api.example:8443/x"}}).more);
  EXPECT_FALSE(walk(spec(RedirectMode::follow), {{302, ""}}).more);
  const RequestSpec s = spec(RedirectMode::follow);
  RedirectWalk w(s);
  ProbeResult r = answered(302);
  ASSERT_TRUE(w.begin(r));
  r.transport = Transport::error;
  EXPECT_FALSE(w.next("https://api.example:8443/x", r));
}

TEST(RedirectWalk, BudgetAndBadUrls) {
  RequestSpec s = spec(RedirectMode::follow);
  s.timeout_ms = 1000;
  RedirectWalk w(s);
  ProbeResult r;
  const auto start = RedirectWalk::Clock::now();
  ASSERT_TRUE(w.begin(r, start));
  EXPECT_EQ(r.port, 8443);
  EXPECT_EQ(w.time_left_ms(start + std::chrono::milliseconds(400)), 600);
  EXPECT_LE(w.time_left_ms(start + std::chrono::milliseconds(1000)), 0);
  w.time_out(r);
  EXPECT_EQ(r.transport, Transport::timeout);
  EXPECT_EQ(r.error, "Operation timed out after 1000 milliseconds");
  RequestSpec bad = spec(RedirectMode::follow, "api.example/no-scheme");
  RedirectWalk b(bad);
  ProbeResult br;
  EXPECT_FALSE(b.begin(br));
  EXPECT_EQ(br.curl_code, 3);  // CURLE_URL_MALFORMAT
}

// A URL that only libcurl's parser rejects fails its first transfer, with
// no request made.
TEST(RedirectWalk, UnparsableUrlFailsTheTransfer) {
  ASSERT_TRUE(global_init());
  const ProbeResult r = perform(spec(RedirectMode::follow, "http://[::1/"));
  EXPECT_EQ(r.curl_code, 3);  // CURLE_URL_MALFORMAT
  EXPECT_EQ(r.transport, Transport::error);
  EXPECT_FALSE(r.has_answer());
}

// --- both drivers, real transfers -------------------------------------------

class Drivers : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(global_init()); }

  // perform(), or one probe on a ConcurrentProber.
  ProbeResult request(const RequestSpec& s) {
    if (!GetParam()) return perform(s);
    ConcurrentProber prober;
    prober.start(7, s);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (prober.in_flight() > 0 && std::chrono::steady_clock::now() < until)
      for (auto& [id, result] : prober.run(50)) return result;
    ADD_FAILURE() << "no result";
    return {};
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_P(Drivers, CredentialsStayWithTheirOrigin) {
  testing::RecordingServer other;
  testing::RecordingServer origin([&](const std::string& head) {
    if (head.rfind("GET /away ", 0) == 0) return testing::RecordingServer::redirect(302, other.url("/land"));
    if (head.rfind("GET /here ", 0) == 0) return testing::RecordingServer::redirect(302, "/land");
    return std::string();
  });
  for (RedirectMode mode : {RedirectMode::follow, RedirectMode::curl}) {
    for (const char* path : {"/away", "/here"}) {
      RequestSpec s;
      s.url = origin.url(path);
      s.redirects = mode;
      s.basic_auth = "mon:basicpw";  // "bW9uOmJhc2ljcHc="
      s.headers = {"X-API-Key: apikey1", "Host: vhost.example", "Accept: text/x-probe"};
      // (A custom Authorization header would replace libcurl's Basic one.)
      s.credential_headers = {"X-Session-Token: bearer1", "X-Tenant: tenant1"};
      ProbeResult r = request(s);
      ASSERT_EQ(r.status, 200) << r.error;
      ASSERT_EQ(r.redirects.size(), 1u);
      const bool away = std::string(path) == "/away";
      const std::string landed = away ? other.heads().back() : origin.heads().back();
      for (const char* secret : {"bW9uOmJhc2ljcHc=", "apikey1", "bearer1", "tenant1", "vhost.example"})
        EXPECT_EQ(contains(landed, secret), !away) << secret << "\n" << landed;
      EXPECT_TRUE(contains(landed, "Accept: text/x-probe")) << "plain headers go everywhere";
      EXPECT_EQ(r.credentials_withheld, away ? "http://127.0.0.1:" + std::to_string(other.port()) : "");
    }
  }
}

TEST_P(Drivers, CurlModeSwitchesPostToGetAndKeepsCustomMethods) {
  testing::RecordingServer server([](const std::string& head) {
    if (head.find(" /see ") != std::string::npos) return testing::RecordingServer::redirect(303, "/land");
    if (head.find(" /temp ") != std::string::npos) return testing::RecordingServer::redirect(307, "/land");
    return std::string();
  });
  struct Case {
    const char* method;
    const char* path;
    RedirectMode mode;
    const char* second;  // the request line's start on the second hop
    bool body;
  } cases[] = {
      {"POST", "/see", RedirectMode::curl, "GET /land ", false},
      {"POST", "/temp", RedirectMode::curl, "POST /land ", true},
      {"PUT", "/see", RedirectMode::curl, "PUT /land ", false},  // CUSTOMREQUEST stays, the body goes
      {"POST", "/see", RedirectMode::follow, "POST /land ", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + c.path + " " + std::to_string(static_cast<int>(c.mode)));
    RequestSpec s;
    s.url = server.url(c.path);
    s.redirects = c.mode;
    s.method = c.method;
    s.has_body = true;
    s.body = "payload=1";
    ProbeResult r = request(s);
    ASSERT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(server.heads().back().rfind(c.second, 0), 0u) << server.heads().back();
    EXPECT_EQ(server.bodies().back() == "payload=1", c.body);
  }
}

TEST_P(Drivers, CookiesTheOriginSetReachItsNextHopOnly) {
  testing::RecordingServer other;
  testing::RecordingServer origin([&](const std::string& head) {
    if (head.rfind("GET /login ", 0) == 0)
      return testing::RecordingServer::redirect(302, "/home", "Set-Cookie: session=cookie1; Path=/\r\n");
    if (head.rfind("GET /home ", 0) == 0) return testing::RecordingServer::redirect(302, other.url("/x"));
    return std::string();
  });
  RequestSpec s;
  s.url = origin.url("/login");
  s.redirects = RedirectMode::curl;
  s.cookie_engine = true;
  ProbeResult r = request(s);
  ASSERT_EQ(r.status, 200) << r.error;
  ASSERT_EQ(origin.heads().size(), 2u);
  EXPECT_TRUE(contains(origin.heads()[1], "Cookie: session=cookie1")) << origin.heads()[1];
  EXPECT_FALSE(contains(other.heads().back(), "cookie1")) << "127.0.0.1 on another port is another origin";
}

TEST_P(Drivers, TooManyRedirectsInCurlMode) {
  testing::RecordingServer server(
      [](const std::string&) { return testing::RecordingServer::redirect(302, "/again"); });
  RequestSpec s;
  s.url = server.url("/again");
  s.redirects = RedirectMode::curl;
  s.max_redirects = 3;
  ProbeResult r = request(s);
  EXPECT_EQ(r.curl_code, 47);
  EXPECT_EQ(r.error, "Maximum (3) redirects followed");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(server.heads().size(), 4u);
}

// The diagnosis names the User-Agent the request carried (WAF rules match on it).
TEST_P(Drivers, ResultNamesTheUserAgentSent) {
  testing::RecordingServer server;
  RequestSpec s;
  s.url = server.url("/");
  s.user_agent = "probewise-test/1";
  ProbeResult r = request(s);
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.user_agent, "probewise-test/1");
  EXPECT_TRUE(contains(server.heads().back(), "User-Agent: probewise-test/1"));
}

INSTANTIATE_TEST_SUITE_P(PerformAndProber, Drivers, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "ConcurrentProber" : "perform"; });

}  // namespace
}  // namespace probewise
