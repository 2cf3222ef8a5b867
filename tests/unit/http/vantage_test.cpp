// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/vantage.h"

#include <gtest/gtest.h>

namespace probewise {
namespace {

Vantage parsed(const std::string& text) {
  auto v = parse_vantage(text);
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error());
  return v.ok() ? *v : Vantage{};
}

TEST(Vantage, DefinitionsAsGivenAndInWords) {
  struct Case {
    const char* text;
    const char* definition;
    const char* via;
  };
  const Case cases[] = {
      {"eu1=source:192.0.2.10", "source:192.0.2.10", "source 192.0.2.10"},
      {"v6=source:2001:db8::7", "source:2001:db8::7", "source 2001:db8::7"},
      {"lan=interface:eth1", "interface:eth1", "interface eth1"},
      {"us1=via:http://proxy.example:3128", "via:http://proxy.example:3128",
       "proxy http://proxy.example:3128"},
      {"tls=via:https://proxy.example:3129", "via:https://proxy.example:3129",
       "proxy https://proxy.example:3129"},
      {"s=via:socks5h://127.0.0.1:1080,proxy-auth-file=/etc/probewise/s.auth", "via:socks5h://127.0.0.1:1080",
       "proxy socks5h://127.0.0.1:1080"},
      {"a.b-c_d=direct", "direct", "direct"},
  };
  for (const auto& c : cases) {
    Vantage v = parsed(c.text);
    EXPECT_EQ(vantage_definition(v), c.definition) << c.text;
    EXPECT_EQ(vantage_via(v), c.via) << c.text;
  }
  EXPECT_EQ(parsed("s=via:socks5h://127.0.0.1:1080,proxy-auth-file=/etc/probewise/s.auth").proxy_auth_file,
            "/etc/probewise/s.auth");
  Vantage both =
      parsed("t=via:https://proxy:3129,proxy-ca-cert=/etc/ssl/proxy-ca.pem,proxy-auth-file=/etc/t.auth");
  EXPECT_EQ(both.value, "https://proxy:3129");
  EXPECT_EQ(both.proxy_ca_file, "/etc/ssl/proxy-ca.pem");
  EXPECT_EQ(both.proxy_auth_file, "/etc/t.auth");
  EXPECT_EQ(from_vantage(RequestSpec{}, both).proxy_ca_file, "/etc/ssl/proxy-ca.pem");
}

TEST(Vantage, ChangesOnlyTheWayOut) {
  RequestSpec base;
  base.url = "https://api.example/health";
  base.proxy = "http://corporate:8080";
  base.proxy_auth = "me:pw";
  base.noproxy = "internal.example";
  base.interface = "host!10.0.0.1";  // --source-address of the plain run
  base.credential_headers = {"Authorization: Bearer t"};

  RequestSpec direct = from_vantage(base, parsed("here=direct"));
  EXPECT_EQ(direct.interface, "host!10.0.0.1");
  EXPECT_EQ(direct.proxy, "http://corporate:8080");

  RequestSpec source = from_vantage(base, parsed("eu1=source:192.0.2.10"));
  EXPECT_EQ(source.interface, "host!192.0.2.10");
  EXPECT_EQ(source.credential_headers, base.credential_headers)
      << "the same credentials, still only to the origin";

  RequestSpec lan = from_vantage(base, parsed("lan=interface:eth1"));
  EXPECT_EQ(lan.interface, "if!eth1");

  RequestSpec proxied = from_vantage(base, parsed("us1=via:socks5://127.0.0.1:1080"));
  EXPECT_EQ(proxied.proxy, "socks5://127.0.0.1:1080");
  EXPECT_FALSE(proxied.proxy_from_env);
  EXPECT_EQ(proxied.noproxy, "") << "a vantage's proxy carries every request";
  EXPECT_EQ(proxied.proxy_auth, "") << "-b's credentials are for -x's proxy, not the vantage's";
  EXPECT_EQ(proxied.interface, "host!10.0.0.1") << "the connection to the proxy leaves as the plain run's";
  EXPECT_EQ(proxied.url, base.url);
}

}  // namespace
}  // namespace probewise
