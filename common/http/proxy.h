// SPDX-License-Identifier: GPL-2.0-or-later
// Which proxy a request uses: the check_curl rules (explicit option over
// lower-case over upper-case environment variable), and CURLOPT_NOPROXY
// matching, so that -v can say whether the name is resolved locally.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace probewise {

using EnvLookup = std::function<std::optional<std::string>(const char*)>;
EnvLookup process_environment();

struct ProxyChoice {
  std::string proxy;               // "" = none
  std::string noproxy;             // "" = none
  std::vector<std::string> notes;  // e.g. "ignoring HTTP_PROXY as http_proxy is set"
};

ProxyChoice choose_proxy(bool https, const std::string& explicit_proxy, const std::string& explicit_noproxy,
                         bool from_env, const EnvLookup& env);

// True when host is covered by a CURLOPT_NOPROXY list: "*", a host or domain
// suffix, an IP address, or an IPv4/IPv6 CIDR block. Invalid items never match.
bool noproxy_matches(std::string_view host, std::string_view noproxy);

// True when the request resolves host names itself (no proxy in the way, a
// no-proxy match, or a SOCKS proxy without remote resolution).
bool resolves_locally(std::string_view host, const ProxyChoice& choice);

}  // namespace probewise
