// SPDX-License-Identifier: GPL-2.0-or-later
// vendor_signals: presence versus block, vendor IDs in the evidence, status
// gating, bounded work. The recorded answers under data/denials are checked
// in error_body_test.cpp together with the error-body reader.
#include "evidence/vendor_fingerprints.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace probewise {
namespace {

HeaderMap headers(const std::string& block) {
  return parse_header_block("HTTP/1.1 000 X\r\n" + block);
}

const Signal* strongest_block(const Signals& s) {
  const Signal* best = nullptr;
  for (const auto& x : s)
    if (x.strength != Strength::presence && (!best || x.strength > best->strength)) best = &x;
  return best;
}

bool has_presence(const Signals& s, const std::string& vendor) {
  return std::any_of(s.begin(), s.end(), [&](const Signal& x) {
    return x.strength == Strength::presence && x.vendor == vendor && x.reason == "forbidden.unspecified";
  });
}

TEST(VendorSignals, HeaderAloneIsPresenceNotBlock) {
  // A CDN header on a 403 whose body says nothing: who is in the path, no claim.
  auto s = vendor_signals(headers("Server: cloudflare\r\nCF-RAY: 8c1e2f3a4b5c6d7e-FRA\r\n"), "", 403);
  EXPECT_EQ(strongest_block(s), nullptr);
  ASSERT_TRUE(has_presence(s, "Cloudflare"));
  EXPECT_EQ(s.front().detail, "Cloudflare is in the path");
  EXPECT_NE(s.front().evidence.find("Server: cloudflare"), std::string::npos);
}

TEST(VendorSignals, OnePresenceSignalPerVendor) {
  auto s = vendor_signals(headers("Server: CloudFront\r\nX-Amz-Cf-Id: abc\r\nX-Amz-Cf-Pop: FRA2\r\n"
                                  "Via: 1.1 x.cloudfront.net (CloudFront)\r\n"),
                          "", 403);
  EXPECT_EQ(std::count_if(s.begin(), s.end(), [](const Signal& x) { return x.vendor == "AWS CloudFront"; }),
            1);
}

TEST(VendorSignals, NothingBelow400) {
  // Presence and blocks are only read for error answers.
  auto page = "<title>Access denied | x used Cloudflare to restrict access</title> error code: 1020";
  EXPECT_TRUE(vendor_signals(headers("Server: cloudflare\r\n"), page, 200).empty());
  EXPECT_TRUE(vendor_signals(headers("Server: cloudflare\r\n"), page, 302).empty());
}

TEST(VendorSignals, BlockPagesOnlyOnDenialStatuses) {
  // A 404 from Cloudflare that mentions error 1020: presence only.
  auto s = vendor_signals(headers("Server: cloudflare\r\n"), "error code: 1020", 404);
  EXPECT_EQ(strongest_block(s), nullptr);
  EXPECT_TRUE(has_presence(s, "Cloudflare"));
}

TEST(VendorSignals, CookieNameIsEvidenceNotItsValue) {
  auto s =
      vendor_signals(headers("Set-Cookie: BIGipServerpool_web=1677787402.20480.0000; path=/\r\n"), "", 403);
  ASSERT_TRUE(has_presence(s, "F5 BIG-IP"));
  EXPECT_NE(s.front().evidence.find("BIGipServerpool_web"), std::string::npos);
  EXPECT_EQ(s.front().evidence.find("1677787402"), std::string::npos);
}

// Cloudflare's numbered errors, each to its reason (Cloudflare 1XXX error documentation).
struct CloudflareCase {
  const char* body;
  int status;
  const char* reason;
};

TEST(VendorSignals, CloudflareErrorCodes) {
  const CloudflareCase cases[] = {
      {"error code: 1005", 403, "forbidden.ip"},
      {"error code: 1006", 403, "forbidden.ip"},
      {"<h1><span>Error</span><span>1007</span></h1>", 403, "forbidden.ip"},
      {"Error 1008 Access denied", 403, "forbidden.ip"},
      {"error code: 1009", 403, "forbidden.geo"},
      {"error code: 1010", 403, "forbidden.waf"},
      {"error code: 1012", 403, "forbidden.waf"},
      {"error code: 1015", 429, "throttled"},
      {"Error code 1020", 403, "forbidden.waf"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto s =
        vendor_signals(headers("Server: cloudflare\r\nCF-RAY: 8c00000000000001-FRA\r\n"), c.body, c.status);
    const Signal* b = strongest_block(s);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->reason, c.reason);
    EXPECT_EQ(b->strength, Strength::explicit_);
    EXPECT_EQ(b->vendor, "Cloudflare");
    EXPECT_NE(b->evidence.find("Ray ID 8c00000000000001-FRA"), std::string::npos) << b->evidence;
  }
}

TEST(VendorSignals, CloudflareCodeNeedsCloudflare) {
  // "error 1020" from a server with no Cloudflare marker is not Cloudflare's.
  EXPECT_EQ(strongest_block(vendor_signals(headers("Server: nginx\r\n"), "error code: 1020", 403)), nullptr);
  // An unknown 4-digit code or a longer number is no code of ours.
  auto cf = headers("Server: cloudflare\r\n");
  EXPECT_EQ(strongest_block(vendor_signals(cf, "error code: 1099", 403)), nullptr);
  EXPECT_EQ(strongest_block(vendor_signals(cf, "error 102012", 403)), nullptr);
}

TEST(VendorSignals, ChallengeHeaderIsABlockHeader) {
  auto s = vendor_signals(headers("Server: cloudflare\r\ncf-mitigated: challenge\r\n"), "", 403);
  const Signal* b = strongest_block(s);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->reason, "forbidden.waf");
  EXPECT_NE(b->evidence.find("cf-mitigated: challenge"), std::string::npos);
}

TEST(VendorSignals, GenericChallengeWordingNeedsTheVendor) {
  // "Just a moment..." alone is any page's words; with Cloudflare present it is the challenge.
  EXPECT_EQ(strongest_block(vendor_signals(headers(""), "<title>Just a moment...</title>", 403)), nullptr);
  EXPECT_NE(strongest_block(
                vendor_signals(headers("Server: cloudflare\r\n"), "<title>Just a moment...</title>", 403)),
            nullptr);
}

TEST(VendorSignals, F5SupportIdInEvidence) {
  auto s = vendor_signals(
      headers(""),
      "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
      "Please consult with your administrator.<br><br>Your support ID is: 9876543210123456789"
      "<br></body></html>",
      403);
  const Signal* b = strongest_block(s);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->vendor, "F5 BIG-IP");
  EXPECT_NE(b->evidence.find("support ID 9876543210123456789"), std::string::npos) << b->evidence;
}

TEST(VendorSignals, WordingIsNotReadHere) {
  // Words any server uses are read by the one table of phrases
  // (evidence/wording.h, tests/unit/evidence/wording_test.cpp), not as a vendor.
  EXPECT_EQ(strongest_block(vendor_signals(headers(""), "Your IP address 192.0.2.1 is not allowed.", 403)),
            nullptr);
  EXPECT_EQ(strongest_block(vendor_signals(headers(""), "Your request was blocked by Palisade.", 403)),
            nullptr);
}

TEST(VendorSignals, BlockPageBeyondTheScanWindowIsNotRead) {
  std::string body(70 * 1024, 'x');
  body += " error code: 1020";
  auto s = vendor_signals(headers("Server: cloudflare\r\n"), body, 403);
  EXPECT_EQ(strongest_block(s), nullptr);
}

TEST(VendorSignals, HostileBodiesAreCheap) {
  // Many partial matches, unclosed tags, entity soup: must return, never throw.
  std::string body;
  for (int i = 0; i < 20000; ++i) body += "ip ip error 10 &#";
  body += "<script";
  EXPECT_NO_THROW(vendor_signals(headers("Server: cloudflare\r\n"), body, 403));
  EXPECT_NO_THROW(vendor_signals(headers(""), std::string(100000, '<'), 403));
  EXPECT_NO_THROW(vendor_signals(headers(""), std::string("\0\xff\xfe", 3), 403));
}

}  // namespace
}  // namespace probewise
