// SPDX-License-Identifier: GPL-2.0-or-later
// http/request_spec: the HTTP version names both front ends accept
// (check_curl's --http-version, the collectd plugin's HTTPVersion), and
// whether a request may speak TLS.
#include "http/request_spec.h"

#include <gtest/gtest.h>

#include <map>

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

EnvLookup env_of(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

RequestSpec get(const std::string& url) {
  RequestSpec s;
  s.url = url;
  return s;
}

TEST(MayUseTls, OnlyAPlainRequestThatStaysPlainIsFree) {
  const auto none = env_of({});
  EXPECT_FALSE(may_use_tls(get("http://127.0.0.1:8080/health"), none));
  EXPECT_TRUE(may_use_tls(get("https://127.0.0.1/"), none));
  EXPECT_TRUE(may_use_tls(get("HTTPS://example.com/"), none));
  // A redirect may lead anywhere, https included, in every mode that follows.
  for (auto mode :
       {RedirectMode::follow, RedirectMode::sticky, RedirectMode::stickyport, RedirectMode::curl}) {
    RequestSpec s = get("http://example.com/");
    s.redirects = mode;
    EXPECT_TRUE(may_use_tls(s, none));
  }
  // An https proxy speaks TLS even for an http URL; given or from the
  // environment (as perform() chooses it), but not when the environment is off.
  RequestSpec proxied = get("http://example.com/");
  proxied.proxy = "https://proxy.example:3129";
  EXPECT_TRUE(may_use_tls(proxied, none));
  proxied.proxy = "http://proxy.example:3128";
  EXPECT_FALSE(may_use_tls(proxied, none));
  EXPECT_TRUE(may_use_tls(get("http://example.com/"), env_of({{"http_proxy", "HTTPS://proxy:3129"}})));
  EXPECT_FALSE(may_use_tls(get("http://example.com/"), env_of({{"http_proxy", "socks5h://proxy:1080"}})));
  RequestSpec no_env = get("http://example.com/");
  no_env.proxy_from_env = false;
  EXPECT_FALSE(may_use_tls(no_env, env_of({{"http_proxy", "https://proxy:3129"}})));
}

}  // namespace
}  // namespace probewise
