// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/proxy.h"

#include <gtest/gtest.h>

#include <map>

namespace probewise {
namespace {

EnvLookup env_of(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// check_curl's order: explicit option, then lower case, then upper case.
TEST(ChooseProxy, CheckCurlPrecedence) {
  auto env = env_of({{"http_proxy", "http://lower:1"},
                     {"HTTP_PROXY", "http://upper:1"},
                     {"https_proxy", "http://s:1"},
                     {"no_proxy", "a.example"},
                     {"NO_PROXY", "b.example"}});
  auto c = choose_proxy(false, "", "", true, env);
  EXPECT_EQ(c.proxy, "http://lower:1");
  EXPECT_EQ(c.noproxy, "a.example");
  EXPECT_EQ(c.notes.size(), 2u);
  EXPECT_EQ(choose_proxy(true, "", "", true, env).proxy, "http://s:1");
  EXPECT_EQ(choose_proxy(false, "http://x:2", "c", true, env).proxy, "http://x:2");
  EXPECT_EQ(choose_proxy(false, "http://x:2", "c", true, env).noproxy, "c");
  EXPECT_EQ(choose_proxy(false, "", "", false, env).proxy, "");
  EXPECT_EQ(choose_proxy(false, "", "", true, env_of({{"HTTP_PROXY", "http://upper:1"}})).proxy,
            "http://upper:1");
}

TEST(NoProxy, HostsDomainsAddressesAndBlocks) {
  EXPECT_TRUE(noproxy_matches("anything", "*"));
  EXPECT_TRUE(noproxy_matches("api.example.com", "example.com"));
  EXPECT_TRUE(noproxy_matches("api.example.com", ".example.com"));
  EXPECT_FALSE(noproxy_matches("badexample.com", "example.com"));
  EXPECT_TRUE(noproxy_matches("127.0.0.1", "10.0.0.1,127.0.0.1"));
  EXPECT_TRUE(noproxy_matches("192.168.3.4", "192.168.0.0/16"));
  EXPECT_FALSE(noproxy_matches("192.169.3.4", "192.168.0.0/16"));
  EXPECT_TRUE(noproxy_matches("::1", "::1"));
  EXPECT_TRUE(noproxy_matches("[::1]", "::1"));
  EXPECT_TRUE(noproxy_matches("2001:db8::5", "2001:db8::/32"));
  // Invalid items never match and never crash.
  EXPECT_FALSE(noproxy_matches("1.2.3.4", "300.400.500.600,1.2.3,1::2::3,1.1.1.1/64,::/256"));
}

TEST(NoProxy, LocalResolution) {
  ProxyChoice none;
  EXPECT_TRUE(resolves_locally("example.com", none));
  ProxyChoice http{"http://proxy:8080", "", {}};
  EXPECT_FALSE(resolves_locally("example.com", http));
  ProxyChoice bypass{"http://proxy:8080", "example.com", {}};
  EXPECT_TRUE(resolves_locally("example.com", bypass));
  ProxyChoice socks{"socks5://proxy:1080", "", {}};
  EXPECT_TRUE(resolves_locally("example.com", socks));
  ProxyChoice socks_remote{"socks5h://proxy:1080", "", {}};
  EXPECT_FALSE(resolves_locally("example.com", socks_remote));
}

}  // namespace
}  // namespace probewise
