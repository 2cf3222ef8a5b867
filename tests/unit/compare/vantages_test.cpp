// SPDX-License-Identifier: GPL-2.0-or-later
#include "compare/vantages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace probewise {
namespace {

// One vantage's own verdict, as the engines hand it over.
VantageSeen seen(const std::string& name, State state, const std::string& reason, int status,
                 Basis basis = Basis::status) {
  VantageSeen v;
  v.name = name;
  v.via = "source 127.0.0." + std::to_string(name.size());
  v.state = state;
  v.reason = reason;
  v.status = status;
  v.basis = basis;
  v.status_text = status == 200   ? "200 OK"
                  : status == 204 ? "204 No Content"
                  : status > 0    ? std::to_string(status)
                                  : "";
  return v;
}

VantageSeen ok(const std::string& name, int status = 200) {
  return seen(name, State::ok, "ok", status);
}

VantageSeen not_run(const std::string& name, const std::string& reason, const std::string& why) {
  VantageSeen v = seen(name, State::unknown, reason, 0, Basis::local);
  v.ran = false;
  v.why_not = why;
  return v;
}

struct Case {
  const char* what;  // the situation, and where it comes from
  std::vector<VantageSeen> vantages;
  int quorum;
  State state;
  const char* reason;
  Basis basis;
  const char* summary;
  const char* first_hint;  // "" = not checked
};

// The rule of SPEC 1.7, case by case. Where the SPEC gives the words, they are the expectation.
const Case kCases[] = {
    {"every vantage answered 200 (SPEC 1.7: every vantage OK is OK)",
     {ok("eu1"), ok("us1"), ok("direct")},
     0,
     State::ok,
     "ok",
     Basis::status,
     "200 OK from every vantage (eu1, us1 and direct)",
     ""},
    {"OK everywhere, with different statuses",
     {ok("eu1"), ok("us1", 204)},
     0,
     State::ok,
     "ok",
     Basis::status,
     "OK from every vantage (eu1 and us1)",
     ""},
    {"one vantage only", {ok("eu1")}, 0, State::ok, "ok", Basis::status, "200 OK from eu1", ""},
    {"403 with a generic page from eu1, 200 from the others: the SPEC's example",
     {seen("eu1", State::warning, "forbidden.unspecified", 403), ok("us1"), ok("direct")},
     0,
     State::warning,
     "forbidden.ip",
     Basis::comparison,
     "refused from eu1 only (403), answered from us1 and direct: likely an IP allowlist or geo rule for "
     "eu1's "
     "address",
     "Add eu1's address to the endpoint's IP allowlist: the same request was answered from us1 and direct."},
    {"a 403 that says 'your IP address is not allowed' (the answer's own words decide: ip)",
     {seen("eu1", State::warning, "forbidden.ip", 403, Basis::wording), ok("us1")},
     0,
     State::warning,
     "forbidden.ip",
     Basis::comparison,
     "refused from eu1 only (403), answered from us1: eu1's address is not on the endpoint's allowlist",
     "Add eu1's address to the endpoint's IP allowlist: the same request was answered from us1."},
    {"a WAF block page for one address (vendor block code: waf)",
     {ok("eu1"), seen("us1", State::warning, "forbidden.waf", 403, Basis::explicit_)},
     0,
     State::warning,
     "forbidden.waf",
     Basis::comparison,
     "refused from us1 only (403), answered from eu1: a WAF or firewall rule blocks us1",
     "A WAF or firewall rule blocks us1 while eu1 is answered: allowlist us1's address in it, or find the "
     "rule "
     "in its log (by the reference ID of the block page)."},
    {"451 naming the country (geo)",
     {seen("eu1", State::warning, "forbidden.geo", 451, Basis::wording), ok("us1")},
     0,
     State::warning,
     "forbidden.geo",
     Basis::comparison,
     "refused from eu1 only (451), answered from us1: a geo rule for eu1's country or region",
     "The endpoint's geo rules block eu1's region: allow it, or probe from an allowed region."},
    {"two vantages refused, the denied answers differ: the strongest evidence decides",
     {seen("eu1", State::warning, "forbidden.unspecified", 403),
      seen("ap1", State::warning, "forbidden.waf", 403, Basis::presence), ok("us1")},
     0,
     State::warning,
     "forbidden.waf",
     Basis::comparison,
     "refused from eu1 and ap1 only (403), answered from us1: a WAF or firewall rule blocks eu1 and ap1",
     ""},
    {"429 from one address only: its own evidence says a rate rule",
     {seen("eu1", State::warning, "throttled", 429, Basis::explicit_), ok("us1")},
     0,
     State::warning,
     "throttled",
     Basis::comparison,
     "rate-limited from eu1 only (429), answered from us1: eu1's address is over the rate limit",
     ""},
    {"403 from every vantage: not regional",
     {seen("eu1", State::warning, "forbidden.unspecified", 403),
      seen("us1", State::warning, "forbidden.unspecified", 403)},
     0,
     State::warning,
     "forbidden.unspecified",
     Basis::status,
     "refused from every vantage (403): not a rule for one vantage's address or region",
     "Every vantage was refused: the rule does not depend on where the request comes from, or none of the "
     "vantages' addresses is allowed."},
    {"401 with an invalid token from every vantage: the credentials, not a region (SPEC 1.7)",
     {seen("eu1", State::warning, "auth.invalid_credentials", 401, Basis::explicit_),
      seen("us1", State::warning, "auth.invalid_credentials", 401, Basis::explicit_)},
     0,
     State::warning,
     "auth.invalid_credentials",
     Basis::explicit_,
     "invalid credentials from every vantage (401): the credentials are the problem, not a region",
     "The same credentials were refused from every vantage: the credentials are the problem, not a region or "
     "an allowlist."},
    {"a 401 from one vantage only (a proxy that drops Authorization on that path)",
     {seen("eu1", State::warning, "auth.missing_credentials", 401, Basis::local), ok("us1")},
     0,
     State::warning,
     "auth.missing_credentials",
     Basis::comparison,
     "missing credentials from eu1 only (401), answered from us1",
     "Only eu1 sees this; us1 is answered: compare what differs on the way from eu1 (a proxy that changes "
     "the "
     "request, another backend or region behind the same name)."},
    {"a timeout from one vantage only: a network path, WARNING (SPEC 1.7)",
     {seen("eu1", State::critical, "net.timeout", 0, Basis::local), ok("us1"), ok("direct")},
     0,
     State::warning,
     "net.timeout",
     Basis::comparison,
     "timed out from eu1 only, answered from us1 and direct: a network path from eu1, not the service",
     "The service answered us1 and direct: look at the network path from eu1 (routing, firewalls, its "
     "resolver "
     "or proxy) before the service."},
    {"timeouts from two of three, default quorum (all): still WARNING",
     {seen("eu1", State::critical, "net.timeout", 0, Basis::local),
      seen("us1", State::critical, "net.timeout", 0, Basis::local), ok("direct")},
     0,
     State::warning,
     "net.timeout",
     Basis::comparison,
     "timed out from eu1 and us1 only, answered from direct: a network path from eu1 and us1, not the "
     "service",
     ""},
    {"timeouts from two of three with --vantage-quorum=2: CRITICAL",
     {seen("eu1", State::critical, "net.timeout", 0, Basis::local),
      seen("us1", State::critical, "net.timeout", 0, Basis::local), ok("direct")},
     2,
     State::critical,
     "net.timeout",
     Basis::comparison,
     "timed out from eu1 and us1 (2 of 3 vantages, quorum 2), answered from direct: a network path from eu1 "
     "and us1, not the service",
     ""},
    {"refused from every vantage: down, CRITICAL",
     {seen("eu1", State::critical, "net.refused", 0, Basis::local),
      seen("us1", State::critical, "net.refused", 0, Basis::local)},
     0,
     State::critical,
     "net.refused",
     Basis::local,
     "connection refused from every vantage: not one network path",
     "No vantage reached the service: it is down or its address is unreachable from all of them, not one "
     "network path."},
    {"different network failures from every vantage: the quorum (all) is met",
     {seen("eu1", State::critical, "net.timeout", 0, Basis::local),
      seen("us1", State::critical, "net.refused", 0, Basis::local)},
     0,
     State::critical,
     "net.timeout",
     Basis::local,
     "timed out from eu1; connection refused from us1",
     ""},
    {"a 503 from one vantage only (another backend or region behind the name)",
     {seen("eu1", State::critical, "http.server_error", 503), ok("us1")},
     0,
     State::critical,
     "http.server_error",
     Basis::comparison,
     "server error from eu1 only (503), answered from us1",
     ""},
    {"refused from one and timed out from the other: the service answered one of them",
     {seen("eu1", State::warning, "forbidden.unspecified", 403),
      seen("us1", State::critical, "net.timeout", 0, Basis::local)},
     0,
     State::warning,
     "forbidden.unspecified",
     Basis::status,
     "refused from eu1 (403); timed out from us1: a network path from us1, not the service",
     ""},
    {"the proxy of eu1 is down, the others answered: never the endpoint down (SPEC 1.7)",
     {not_run("eu1", "net.refused", "its proxy http://127.0.0.1:3999 refused the connection"), ok("us1")},
     0,
     State::unknown,
     "net.refused",
     Basis::local,
     "200 OK from us1; eu1 could not run: its proxy http://127.0.0.1:3999 refused the connection",
     "eu1 itself could not probe: fix the vantage (its proxy, source address or agent); that says nothing "
     "about the endpoint."},
    {"a vantage could not run while another is refused: the denial stands",
     {not_run("eu1", "net.refused", "its proxy refused the connection"),
      seen("us1", State::warning, "forbidden.unspecified", 403), ok("direct")},
     0,
     State::warning,
     "forbidden.ip",
     Basis::comparison,
     "refused from us1 only (403), answered from direct: likely an IP allowlist or geo rule for us1's "
     "address; eu1 could not run: its proxy refused the connection",
     ""},
    {"a stale result (Icinga 2) beside an answered one",
     {not_run("eu1", "ok", "its last result is 5m 2s old, more than twice its interval of 1m"), ok("us1")},
     0,
     State::unknown,
     "ok",
     Basis::local,
     "200 OK from us1; eu1 could not run: its last result is 5m 2s old, more than twice its interval of 1m",
     ""},
    {"no vantage could run",
     {not_run("eu1", "net.refused", "its proxy refused the connection"),
      not_run("us1", "net.dns", "its proxy's name does not resolve")},
     0,
     State::unknown,
     "net.refused",
     Basis::local,
     "no vantage could run: eu1 (its proxy refused the connection); us1 (its proxy's name does not resolve)",
     ""},
};

class Rule : public ::testing::TestWithParam<Case> {};

TEST_P(Rule, GivesTheCombinedVerdict) {
  const Case& c = GetParam();
  VantageRule rule;
  rule.quorum = c.quorum;
  CombinedVerdict v = combine_vantages(c.vantages, rule);
  EXPECT_EQ(state_name(v.state), state_name(c.state)) << c.what;
  EXPECT_EQ(v.reason, c.reason) << c.what;
  EXPECT_EQ(basis_name(v.basis), basis_name(c.basis)) << c.what;
  EXPECT_EQ(v.summary, c.summary) << c.what;
  ASSERT_FALSE(v.reasons.empty()) << c.what;
  EXPECT_EQ(v.reasons.front(), v.reason) << c.what;
  if (v.state != State::ok) {
    ASSERT_FALSE(v.hints.empty()) << c.what;
    if (*c.first_hint) {
      EXPECT_EQ(v.hints.front(), c.first_hint) << c.what;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Vantages, Rule, ::testing::ValuesIn(kCases));

TEST(Rule, AGuessedRegionalDenialListsGeoAsTheNextCause) {
  CombinedVerdict v =
      combine_vantages({seen("eu1", State::warning, "forbidden.unspecified", 403), ok("us1")}, {});
  ASSERT_GE(v.hints.size(), 3u);
  EXPECT_NE(v.hints[0].find("IP allowlist"), std::string::npos);
  EXPECT_NE(v.hints[1].find("geo rules"), std::string::npos);
  EXPECT_NE(v.hints[2].find("WAF or rate rule"), std::string::npos);
}

TEST(Rule, ReasonsListEveryFailureOnce) {
  CombinedVerdict v =
      combine_vantages({seen("eu1", State::warning, "forbidden.unspecified", 403),
                        seen("us1", State::critical, "net.timeout", 0, Basis::local),
                        seen("ap1", State::critical, "net.timeout", 0, Basis::local), ok("direct")},
                       {});
  EXPECT_EQ(v.reasons, (std::vector<std::string>{"forbidden.ip", "net.timeout"}));
  EXPECT_EQ(v.status, 403);
}

TEST(Rule, APatternForChangeDetection) {
  EXPECT_EQ(combine_vantages({ok("eu1"), ok("us1")}, {}).pattern, "200 from every vantage");
  EXPECT_EQ(combine_vantages(
                {seen("eu1", State::warning, "forbidden.unspecified", 403), ok("us1"), ok("direct")}, {})
                .pattern,
            "403 from eu1; 200 from us1 and direct");
  EXPECT_EQ(combine_vantages({seen("eu1", State::critical, "net.timeout", 0, Basis::local),
                              not_run("us1", "net.refused", "its proxy refused"), ok("direct")},
                             {})
                .pattern,
            "timed out from eu1; 200 from direct; us1 could not run");
}

TEST(Rule, ListsNamesAsPeopleDo) {
  EXPECT_EQ(list_names({}), "");
  EXPECT_EQ(list_names({"eu1"}), "eu1");
  EXPECT_EQ(list_names({"eu1", "us1"}), "eu1 and us1");
  EXPECT_EQ(list_names({"eu1", "us1", "direct"}), "eu1, us1 and direct");
}

}  // namespace
}  // namespace probewise
