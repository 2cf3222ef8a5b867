// SPDX-License-Identifier: GPL-2.0-or-later
// Check results as Icinga 2 keeps them, read back into what the vantage rule
// needs (compare/rendered.h). The outputs are check_probewise's own (as
// tests/distributed/test_icinga2.py reads them from the REST API), and
// check_curl 2.3.3's.
#include "compare/rendered.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

VantageSeen read(int state, const std::string& output, std::vector<std::string> perf = {}) {
  VantageSeen s;
  s.name = "eu1";
  read_rendered({state, output, std::move(perf)}, s);
  return s;
}

TEST(Rendered, ProbewiseDenial) {
  VantageSeen s = read(
      1,
      "HTTP WARNING: HTTP/1.1 403 Forbidden - blocked by a WAF rule: Cloudflare's firewall (WAF) blocked "
      "the request - 312 bytes in 0.004 second response time \n"
      "Reason: forbidden.waf (blocked by a WAF rule)\n"
      "Basis: explicit (the server named the cause)\n"
      "Hints:\n- Check whether a WAF or bot rule matches the monitor's User-Agent.\n",
      {"time=0.004123s;;;0.000000;10.000000", "size=312B;;;0"});
  EXPECT_TRUE(s.ran);
  EXPECT_EQ(s.state, State::warning);
  EXPECT_EQ(s.reason, "forbidden.waf");
  EXPECT_EQ(basis_name(s.basis), "explicit");
  EXPECT_EQ(s.status, 403);
  EXPECT_EQ(s.status_text, "403 Forbidden");
  ASSERT_TRUE(s.total_ms.has_value());
  EXPECT_NEAR(*s.total_ms, 4.123, 1e-9);
  EXPECT_EQ(
      s.detail,
      "HTTP/1.1 403 Forbidden - blocked by a WAF rule: Cloudflare's firewall (WAF) blocked the request");
}

TEST(Rendered, ProbewiseTransportFailure) {
  VantageSeen s =
      read(2,
           "HTTP CRITICAL - Invalid HTTP response received from host on port 8080: cURL returned 7 - Failed "
           "to connect to 127.0.0.1 port 8080 after 0 ms: Couldn't connect to server\n"
           "Reason: net.refused (connection refused)\nBasis: local (what the check knows itself)\n");
  EXPECT_TRUE(s.ran);
  EXPECT_EQ(s.reason, "net.refused");
  EXPECT_EQ(basis_name(s.basis), "local");
  EXPECT_EQ(s.status, 0);
}

TEST(Rendered, ProbewiseOkHasNoReasonLine) {
  VantageSeen s = read(0, "HTTP OK: HTTP/1.1 200 OK - 557 bytes in 0.001 second response time ",
                       {"time=0.001066s;;;0.000000;10.000000"});
  EXPECT_EQ(s.state, State::ok);
  EXPECT_EQ(s.reason, "ok");
  EXPECT_EQ(s.status, 200);
}

// check_curl 2.3.3 as a vantage: its status line only; the class gives the reason.
TEST(Rendered, CheckCurlOutput) {
  VantageSeen s = read(1, "HTTP WARNING: HTTP/1.1 403 Forbidden - 153 bytes in 0.001 second response time ");
  EXPECT_EQ(s.reason, "forbidden.unspecified");
  EXPECT_EQ(basis_name(s.basis), "status");
  EXPECT_EQ(s.status, 403);
  s = read(
      2,
      "HTTP CRITICAL - Invalid HTTP response received from host on port 8080: cURL returned 7 - Failed to "
      "connect to 127.0.0.1 port 8080: Connection refused");
  EXPECT_EQ(s.reason, "net.error");
  EXPECT_TRUE(s.ran);
  s = read(2, "HTTP CRITICAL: HTTP/1.1 503 Service Unavailable - 10 bytes in 0.001 second response time");
  EXPECT_EQ(s.reason, "http.server_error");
}

// What Icinga 2 itself writes when it could not run the check.
TEST(Rendered, TheEnginesOwnUnknownIsAVantageThatCouldNotRun) {
  VantageSeen s = read(3, "Remote Icinga instance 'us1' is not connected to 'master'");
  EXPECT_FALSE(s.ran);
  EXPECT_EQ(s.why_not, "Remote Icinga instance 'us1' is not connected to 'master'");
  s = read(3, "<Timeout exceeded.>");
  EXPECT_FALSE(s.ran);
  // An UNKNOWN that check_probewise explains is a verdict (bad arguments say "HTTP UNKNOWN - ...").
  s = read(3,
           "HTTP UNKNOWN: HTTP/1.1 200 OK - health: no document - 2 bytes in 0.001 second response time\n"
           "Reason: content.mismatch (content mismatch)\n");
  EXPECT_TRUE(s.ran);
  EXPECT_EQ(s.reason, "content.mismatch");
}

TEST(Rendered, BasisNames) {
  for (Basis b :
       {Basis::explicit_, Basis::wording, Basis::local, Basis::presence, Basis::status, Basis::comparison})
    EXPECT_EQ(parse_basis(basis_name(b)), b);
  EXPECT_EQ(parse_basis("nonsense"), Basis::status);
}

}  // namespace
}  // namespace probewise
