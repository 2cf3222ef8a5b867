// SPDX-License-Identifier: GPL-2.0-or-later
// The one table of phrases (evidence/wording.h): a test per row, the
// product a block sentence names, and the address the check connected from.
#include "evidence/wording.h"

#include <gtest/gtest.h>

#include <string>

#include "base/text.h"
#include "evidence/error_body.h"

namespace probewise {
namespace {

using wording_detail::kPhraseCount;
using wording_detail::kPhrases;

std::optional<PhraseHit> read(const std::string& text, int status = 403) {
  PageText page = page_text(text, 4096, true);
  return read_phrase(page.cased, page.lower, status);
}

// Every row reads its own example, and no row before it does: each row is
// reachable and the order of the table is the precedence it claims.
class PhraseRow : public ::testing::TestWithParam<std::size_t> {};

TEST_P(PhraseRow, ReadsItsExample) {
  const auto& row = kPhrases[GetParam()];
  auto hit = read(std::string(row.example));
  ASSERT_TRUE(hit.has_value()) << row.example;
  EXPECT_EQ(hit->row, GetParam()) << row.example << " is read by row " << hit->row << " ("
                                  << kPhrases[hit->row].reason << ")";
  EXPECT_EQ(hit->restates, row.restates);
}

INSTANTIATE_TEST_SUITE_P(Phrases, PhraseRow, ::testing::Range<std::size_t>(0, kPhraseCount),
                         [](const auto& info) {
                           const auto& row = kPhrases[info.param];
                           std::string name = std::to_string(info.param) + "_";
                           for (char c : row.reason)
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(Phrases, EveryRowIsWellFormed) {
  for (std::size_t i = 0; i < kPhraseCount; ++i) {
    const auto& row = kPhrases[i];
    EXPECT_EQ(to_lower(row.pattern), row.pattern) << i;
    EXPECT_EQ(row.pattern.find("||"), std::string_view::npos) << i;
    EXPECT_FALSE(row.example.empty()) << i;
    EXPECT_NE(row.strength, Strength::presence) << i;
  }
}

// Words on a 401 that only restate the status are no permission.
TEST(Phrases, NotAuthorizedOnA401RestatesTheStatus) {
  EXPECT_FALSE(read("You are not authorized to access that resource", 401).has_value());
  auto on403 = read("You are not authorized to access that resource", 403);
  ASSERT_TRUE(on403.has_value());
  EXPECT_EQ(kPhrases[on403->row].reason, "forbidden.permission");
  // A role named on a 401 (RabbitMQ answers 401 for a user without the tag).
  auto role = read("Not management user", 401);
  ASSERT_TRUE(role.has_value());
  EXPECT_EQ(kPhrases[role->row].reason, "forbidden.permission");
}

// A page says first what it is about: a help text further down does not
// outweigh its first sentence (Tomcat's 401 page lists the roles required).
TEST(Phrases, TheFirstSentenceThatSaysSomethingDecides) {
  EXPECT_FALSE(
      read("401 Unauthorized. You are not authorized to view this page. The roles required to use the "
           "manager are listed below.",
           401)
          .has_value());
  auto waf = read("Your request was blocked. Your IP: 192.0.2.7. Ray: 1234");
  ASSERT_TRUE(waf.has_value());
  EXPECT_EQ(kPhrases[waf->row].reason, "forbidden.waf");
  auto geo = read("Access from your country has been blocked by the site's firewall.");
  ASSERT_TRUE(geo.has_value());
  EXPECT_EQ(kPhrases[geo->row].reason, "forbidden.geo");
}

TEST(Phrases, IpWordsNeedWholeWordsAndARefusal) {
  for (const char* text :
       {"Shipping is not allowed to this address.", "Your IP: 192.0.2.1 - access denied"}) {
    auto hit = read(text);
    EXPECT_TRUE(!hit || kPhrases[hit->row].reason != "forbidden.ip") << text;
  }
}

TEST(Phrases, BlockedByNeedsAProductOrASecurityNoun) {
  EXPECT_FALSE(read("The comment was blocked by mistake, sorry.").has_value());
  auto noun = read("Access to the requested URL was blocked by the web application firewall.");
  ASSERT_TRUE(noun.has_value());
  EXPECT_EQ(kPhrases[noun->row].reason, "forbidden.waf");
  EXPECT_EQ(noun->product, "");
}

// The product a block page names, in the shapes vendors use; a security
// noun or a party of the sentence is no name.
TEST(ProductNamed, SentenceShapes) {
  const std::pair<const char*, const char*> cases[] = {
      {"Your request was blocked by Palisade.", "Palisade"},
      {"Request denied by Bastion Firewall", "Bastion"},
      {"This request has been blocked by NetGuardian Web Application Firewall.", "NetGuardian"},
      {"Blocked by HexaShield Cloud WAF", "HexaShield"},
      {"ShieldLine blocked your request because it looked like an attack.", "ShieldLine"},
      {"Access Denied - Rampart Website Firewall", "Rampart"},
      {"The request was rejected by the Citadel application firewall.", "Citadel"},
      {"You were blocked by the Aegis security plugin.", "Aegis"},
      {"Request rejected by Drawbridge-WAF. Incident ID: 8f2c0d11", "Drawbridge"},
      {"Your request was blocked. Protected by Bulwark", "Bulwark"},
      {"dotShield Blocked Your Request", "dotShield"},
      {"Your request was blocked by Kestrel Bot Defense because it looked automated.", "Kestrel"},
      {"This request was blocked by the security rules of the site.", ""},
      {"Access denied by the administrator.", ""},
      {"Request blocked by security policy", ""},
      {"Blocked by our firewall", ""},
  };
  for (const auto& [text, product] : cases) EXPECT_EQ(product_named(text), product) << text;
}

TEST(ProductNamed, BoundedOnHostileText) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "blocked by by Blocked By X ";
  EXPECT_LE(product_named(text).size(), 40u);
}

// Bounded work: many short sentences, many candidate verbs, a long name.
TEST(Phrases, HostileTextEnds) {
  std::string dots, verbs;
  for (int i = 0; i < 3000; ++i) dots += "a. ";
  for (int i = 0; i < 500; ++i) verbs += "blocked by the by ";
  EXPECT_FALSE(read(dots).has_value());
  auto hit = read(verbs + "Palisade");
  EXPECT_TRUE(!hit || kPhrases[hit->row].reason == "forbidden.waf");
}

TEST(SourceAddress, ThePageNamesTheCheckOwnAddressAndRefusesIt) {
  auto s = source_address_signals("<p>Access denied for host 192.0.2.7</p>", 403, "192.0.2.7");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].reason, "forbidden.ip");
  EXPECT_NE(s[0].detail.find("192.0.2.7"), std::string::npos);
  // Another address, a longer one that starts with it, no refusal, another status: nothing.
  EXPECT_TRUE(source_address_signals("Access denied for host 192.0.2.70", 403, "192.0.2.7").empty());
  EXPECT_TRUE(source_address_signals("Access denied for host 198.51.100.1", 403, "192.0.2.7").empty());
  EXPECT_TRUE(source_address_signals("Welcome, visitor from 192.0.2.7", 403, "192.0.2.7").empty());
  EXPECT_TRUE(source_address_signals("Access denied for host 192.0.2.7", 503, "192.0.2.7").empty());
  EXPECT_TRUE(source_address_signals("Access denied for host 192.0.2.7", 403, "").empty());
}

// Through the body reader: any depth, any usual key, and the status scope.
TEST(Wording, ReadThroughEveryBodyShape) {
  const std::pair<const char*, const char*> bodies[] = {
      {R"({"error":{"details":{"reason":"Request denied by Vigil Firewall"}}})", "forbidden.waf"},
      {R"({"errors":["Your IP address is not in the allowlist"]})", "forbidden.ip"},
      {R"({"msg":"This service is not available in your region"})", "forbidden.geo"},
      {R"({"title":"Forbidden","description":"Administrator role required."})", "forbidden.permission"},
      {R"({"kind":"Status","message":"forbidden: User \"system:anonymous\" cannot get path \"/\"","reason":"Forbidden"})",
       "auth.missing_credentials"},
      {"<html><body><h1>Access denied</h1><p>The administrator of this proxy has not configured it to "
       "service "
       "requests from your host.</p></body></html>",
       "forbidden.ip"},
      {"Request blocked by Privoxy", "forbidden.waf"},
  };
  for (const auto& [body, reason] : bodies) {
    auto s = error_body_signals(HeaderMap{}, body, 403);
    ASSERT_FALSE(s.empty()) << body;
    EXPECT_EQ(s.front().reason, reason) << body;
  }
  // On a 503 only a block sentence, a failing auth service or a rate limit.
  EXPECT_TRUE(error_body_signals(HeaderMap{}, R"({"message":"your IP is not allowed"})", 503).empty());
  auto waf = error_body_signals(HeaderMap{}, "Your request was blocked by Stormbreak.", 503);
  ASSERT_FALSE(waf.empty());
  EXPECT_EQ(waf.front().reason, "forbidden.waf");
  EXPECT_EQ(waf.front().vendor, "Stormbreak");
}

}  // namespace
}  // namespace probewise
