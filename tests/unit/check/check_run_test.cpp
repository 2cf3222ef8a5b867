// SPDX-License-Identifier: GPL-2.0-or-later
// check/check_run: check_probewise's blocking driver of the check sequence,
// with a stand-in for perform() that records what was asked: the token
// cache in the state directory, the refetch of a refused cached token, the
// token requests' trace, one budget for every request.
#include "check/check_run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <vector>

#include "support/made_up.h"

namespace probewise {
namespace {

using testing::made_up_answer;
using testing::token_answer;

constexpr std::time_t kNow = testing::kMadeUpNow;
const char* const kTokenUrl = "http://127.0.0.1/token";

// A server in a function: the requests it was asked, in order.
struct Server {
  std::vector<RequestSpec> asked;
  std::function<ProbeResult(const RequestSpec&)> answer;
  Perform perform() {
    return [this](const RequestSpec& r) {
      asked.push_back(r);
      return answer(r);
    };
  }
};

// The token goes with the credentials that only the origin gets.
std::string bearer_of(const RequestSpec& r) {
  for (const auto& h : r.credential_headers)
    if (h.rfind("Authorization: Bearer ", 0) == 0) return h.substr(22);
  return "";
}

class CheckRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/probewise-run-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    job_.spec.url = "http://127.0.0.1/api";
    job_.spec.timeout_ms = 5000;
    job_.state.dir = dir_;
    job_.state.identity = "test";
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  void use_oauth() { job_.oauth2 = OAuth2Config{kTokenUrl, "mon", secret_.path(), ""}; }

  // The API takes `valid` only; the token endpoint hands out `issued` in turn.
  void serve(const std::string& valid, const std::vector<std::string>& issued) {
    server_.answer = [valid, issued, next = std::size_t{0}](const RequestSpec& r) mutable {
      if (r.url == kTokenUrl)
        return next < issued.size() ? token_answer(issued[next++]) : made_up_answer(503);
      ProbeResult a = made_up_answer(bearer_of(r) == valid ? 200 : 401);
      a.trace.push_back("> GET /api");
      return a;
    };
  }

  CheckOutcome run() { return run_check(job_, server_.perform(), kNow); }

  std::string dir_;
  testing::SecretFile secret_;
  CheckJob job_;
  Server server_;
};

TEST_F(CheckRunTest, PlainRequestWithinTheBudget) {
  serve("", {});
  CheckOutcome out = run();
  ASSERT_EQ(server_.asked.size(), 1u);
  EXPECT_EQ(server_.asked[0].url, "http://127.0.0.1/api");
  EXPECT_GT(server_.asked[0].timeout_ms, 4000);
  EXPECT_LE(server_.asked[0].timeout_ms, 5000);
  EXPECT_EQ(out.verdict.state, State::ok);
}

// The token is fetched once, cached in the state directory, and the next
// run takes it from there without asking the token endpoint.
TEST_F(CheckRunTest, TokenIsFetchedThenCached) {
  use_oauth();
  serve("tok-1", {"tok-1", "tok-2"});
  CheckOutcome first = run();
  ASSERT_EQ(server_.asked.size(), 2u);
  EXPECT_EQ(server_.asked[0].url, kTokenUrl);
  EXPECT_EQ(server_.asked[0].method, "POST");
  EXPECT_EQ(bearer_of(server_.asked[1]), "tok-1");
  EXPECT_EQ(first.verdict.state, State::ok);
  EXPECT_EQ(first.sent.kind, "OAuth access token");

  server_.asked.clear();
  CheckOutcome second = run();
  ASSERT_EQ(server_.asked.size(), 1u) << "the cached token is used";
  EXPECT_EQ(bearer_of(server_.asked[0]), "tok-1");
  EXPECT_EQ(second.verdict.state, State::ok);
}

// A cached token that the server refuses: one fresh token, one retry.
TEST_F(CheckRunTest, RefusedCachedTokenIsRefetchedOnce) {
  use_oauth();
  serve("tok-1", {"tok-1"});
  run();
  serve("tok-2", {"tok-2", "tok-3"});  // revoked, rotated
  server_.asked.clear();
  CheckOutcome out = run();
  ASSERT_EQ(server_.asked.size(), 3u);
  EXPECT_EQ(bearer_of(server_.asked[0]), "tok-1");
  EXPECT_EQ(server_.asked[1].url, kTokenUrl);
  EXPECT_EQ(bearer_of(server_.asked[2]), "tok-2");
  EXPECT_EQ(server_.asked[2].credential_headers.size(), 1u) << "the fresh token replaces the refused one";
  EXPECT_EQ(out.result.status, 200);

  // A freshly fetched token that is refused is not fetched again.
  serve("none", {"tok-4"});
  server_.asked.clear();
  out = run();
  ASSERT_EQ(server_.asked.size(), 3u) << "cached tok-2 refused, tok-4 fetched and refused: no third token";
  EXPECT_EQ(out.result.status, 401);
}

TEST_F(CheckRunTest, FailingTokenEndpointIsTheVerdict) {
  use_oauth();
  serve("tok-1", {});
  CheckOutcome out = run();
  ASSERT_EQ(server_.asked.size(), 1u) << "no request without a token";
  EXPECT_EQ(out.verdict.reason, "auth.service_unavailable");
  EXPECT_EQ(out.verdict.state, State::critical);
}

TEST_F(CheckRunTest, TokenTraceComesFirst) {
  use_oauth();
  serve("tok-1", {"tok-1"});
  server_.answer = [inner = server_.answer](const RequestSpec& r) {
    ProbeResult a = inner(r);
    if (r.url == kTokenUrl) a.trace.push_back("> POST /token");
    return a;
  };
  CheckOutcome out = run();
  EXPECT_EQ(out.result.trace, (std::vector<std::string>{"> POST /token", "> GET /api"}));
}

TEST_F(CheckRunTest, CheckAuthEnforcedSendsTheTwinWithoutTheToken) {
  use_oauth();
  job_.policy.check_auth_enforced = true;
  serve("tok-1", {"tok-1"});
  CheckOutcome out = run();
  ASSERT_EQ(server_.asked.size(), 3u);
  EXPECT_EQ(bearer_of(server_.asked[2]), "") << "the twin goes without credentials";
  EXPECT_EQ(out.verdict.state, State::ok) << "the twin was refused with 401";
}

}  // namespace
}  // namespace probewise
