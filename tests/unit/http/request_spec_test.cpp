// SPDX-License-Identifier: GPL-2.0-or-later
// http/request_spec: the HTTP version names both front ends accept
// (check_curl's --http-version, the collectd plugin's HTTPVersion).
#include "http/request_spec.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

TEST(HttpVersionNames, EachNameAndTheTwoWaysToAskForHttp2) {
  EXPECT_EQ(parse_http_version("1.0", false), HttpVersion::v1_0);
  EXPECT_EQ(parse_http_version("1.1", false), HttpVersion::v1_1);
  EXPECT_EQ(parse_http_version("2", false), HttpVersion::v2);
  EXPECT_EQ(parse_http_version("2.0", true), HttpVersion::v2_tls);
  EXPECT_EQ(parse_http_version("3", true), HttpVersion::v3);
  EXPECT_FALSE(parse_http_version("1", false));
  EXPECT_FALSE(parse_http_version("", true));
  EXPECT_FALSE(parse_http_version("HTTP/2", true));
}

}  // namespace
}  // namespace probewise
