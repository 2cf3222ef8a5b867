// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/proxy.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "base/text.h"

namespace probewise {
namespace {

std::optional<std::string> non_empty(const EnvLookup& env, const char* name) {
  auto v = env(name);
  if (v && !v->empty()) return v;
  return std::nullopt;
}

// Parses an IPv4 or IPv6 address (no brackets) into bytes.
bool parse_ip(std::string_view text, std::vector<unsigned char>& out) {
  std::string s(text);
  if (!s.empty() && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    out.assign(buf, buf + 4);
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    out.assign(buf, buf + 16);
    return true;
  }
  return false;
}

bool cidr_matches(const std::vector<unsigned char>& addr, std::string_view item) {
  auto slash = item.find('/');
  std::vector<unsigned char> net;
  if (!parse_ip(item.substr(0, slash), net) || net.size() != addr.size()) return false;
  unsigned bits = static_cast<unsigned>(net.size() * 8);
  if (slash != std::string_view::npos) {
    std::string len(item.substr(slash + 1));
    char* end = nullptr;
    long v = std::strtol(len.c_str(), &end, 10);
    if (len.empty() || *end != '\0' || v < 0 || v > static_cast<long>(bits)) return false;
    bits = static_cast<unsigned>(v);
  }
  for (unsigned i = 0; i < bits; ++i) {
    unsigned mask = 0x80u >> (i % 8);
    if ((addr[i / 8] & mask) != (net[i / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

EnvLookup process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

ProxyChoice choose_proxy(bool https, const std::string& explicit_proxy, const std::string& explicit_noproxy,
                         bool from_env, const EnvLookup& env) {
  ProxyChoice c;
  if (from_env) {
    const char* lower = https ? "https_proxy" : "http_proxy";
    const char* upper = https ? "HTTPS_PROXY" : "HTTP_PROXY";
    if (auto v = non_empty(env, lower)) {
      c.proxy = *v;
      if (env(upper))
        c.notes.push_back(std::string("ignoring environment variable '") + upper + "' as '" + lower +
                          "' is set");
    } else if (auto u = non_empty(env, upper)) {
      c.proxy = *u;
    }
    if (auto v = non_empty(env, "no_proxy")) {
      c.noproxy = *v;
      if (env("NO_PROXY")) c.notes.push_back("ignoring environment variable 'NO_PROXY' as 'no_proxy' is set");
    } else if (auto u = non_empty(env, "NO_PROXY")) {
      c.noproxy = *u;
    }
  }
  if (!explicit_proxy.empty()) c.proxy = explicit_proxy;
  if (!explicit_noproxy.empty()) c.noproxy = explicit_noproxy;
  return c;
}

bool noproxy_matches(std::string_view host, std::string_view noproxy) {
  if (!host.empty() && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::vector<unsigned char> addr;
  bool host_is_ip = parse_ip(host, addr);
  for (auto item : split(noproxy, ',')) {
    if (item == "*") return true;
    if (host_is_ip) {
      if (cidr_matches(addr, item)) return true;
      continue;
    }
    if (item.front() == '.') item.remove_prefix(1);
    if (iequals(host, item)) return true;
    if (host.size() > item.size() && host[host.size() - item.size() - 1] == '.' &&
        iequals(host.substr(host.size() - item.size()), item))
      return true;
  }
  return false;
}

bool resolves_locally(std::string_view host, const ProxyChoice& choice) {
  if (choice.proxy.empty() || noproxy_matches(host, choice.noproxy)) return true;
  std::string scheme = to_lower(choice.proxy.substr(0, choice.proxy.find("://")));
  return scheme == "socks4" || scheme == "socks5";
}

}  // namespace probewise
