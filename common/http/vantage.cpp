// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/vantage.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "base/text.h"
#include "http/request.h"

namespace probewise {
namespace {

constexpr std::size_t kMaxName = 40;

// What may follow a proxy URL: ",proxy-auth-file=FILE", ",proxy-ca-cert=FILE".
struct ProxyOption {
  std::string_view key;
  std::string Vantage::*field;
};
constexpr ProxyOption kProxyOptions[] = {
    {"proxy-auth-file=", &Vantage::proxy_auth_file},
    {"proxy-ca-cert=", &Vantage::proxy_ca_file},
};

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

bool is_address(std::string_view text) {
  std::string s(text);
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// Linux interface names: up to 15 characters, no '/', no whitespace.
bool is_interface_name(std::string_view text) {
  return !text.empty() && text.size() <= 15 &&
         std::all_of(text.begin(), text.end(), [](char c) { return name_char(c) || c == ':' || c == '@'; });
}

bool proxy_scheme(std::string_view url) {
  static constexpr std::array<std::string_view, 6> kSchemes{"http://",    "https://",  "socks4://",
                                                            "socks4a://", "socks5://", "socks5h://"};
  const std::string lower = to_lower(url);
  return std::any_of(kSchemes.begin(), kSchemes.end(),
                     [&](std::string_view s) { return starts_with(lower, s); });
}

}  // namespace

Expected<std::string> source_address_interface(std::string_view address) {
  if (!is_address(address)) return Error{"'" + std::string(address) + "' is not an IPv4 or IPv6 address"};
  return "host!" + std::string(address);
}

Expected<std::string> interface_interface(std::string_view name) {
  if (!is_interface_name(name)) return Error{"'" + std::string(name) + "' is not an interface name"};
  return "if!" + std::string(name);
}

Expected<Vantage> parse_vantage(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos)
    return Error{"expected NAME=source:ADDRESS, NAME=interface:IF, NAME=via:PROXY_URL or NAME=direct"};
  Vantage v;
  v.name = std::string(text.substr(0, eq));
  if (v.name.empty() || v.name.size() > kMaxName || !std::all_of(v.name.begin(), v.name.end(), name_char))
    return Error{"'" + v.name + "' is not a vantage name (letters, digits, '_', '-' and '.', at most 40)"};
  const std::string_view how = text.substr(eq + 1);
  const auto colon = how.find(':');
  const std::string_view kind = how.substr(0, colon);
  const std::string_view value = colon == std::string_view::npos ? std::string_view() : how.substr(colon + 1);
  if (how == "direct") {
    v.kind = Vantage::Kind::direct;
    return v;
  }
  if (kind == "source") {
    auto ok = source_address_interface(value);
    if (!ok) return Error{v.name + ": " + ok.error()};
    v.kind = Vantage::Kind::source;
  } else if (kind == "interface") {
    auto ok = interface_interface(value);
    if (!ok) return Error{v.name + ": " + ok.error()};
    v.kind = Vantage::Kind::interface;
  } else if (kind == "via") {
    const std::string_view url = value.substr(0, value.find(','));
    for (auto rest = value.substr(url.size()); !rest.empty();) {
      rest.remove_prefix(1);  // the comma
      const std::string_view option = rest.substr(0, rest.find(','));
      rest.remove_prefix(option.size());
      const ProxyOption* known = nullptr;
      for (const auto& o : kProxyOptions)
        if (starts_with(option, o.key) && option.size() > o.key.size()) known = &o;
      if (!known)
        return Error{v.name +
                     ": after the proxy URL only ',proxy-auth-file=FILE' and ',proxy-ca-cert=FILE' may "
                     "follow"};
      v.*(known->field) = std::string(option.substr(known->key.size()));
    }
    // The proxy URL may carry user:password; the message never repeats it.
    if (!proxy_scheme(url) || !valid_url(std::string(url).replace(0, url.find(':'), "http")))
      return Error{v.name + ": the proxy must be a URL with http, https, socks4, socks4a, socks5 or socks5h"};
    v.kind = Vantage::Kind::proxy;
    v.value = std::string(url);
    return v;
  } else {
    return Error{v.name + ": expected source:ADDRESS, interface:IF, via:PROXY_URL or direct after the '='"};
  }
  v.value = std::string(value);
  return v;
}

std::string vantage_definition(const Vantage& v) {
  switch (v.kind) {
    case Vantage::Kind::direct: return "direct";
    case Vantage::Kind::source: return "source:" + v.value;
    case Vantage::Kind::interface: return "interface:" + v.value;
    case Vantage::Kind::proxy: return "via:" + v.value;
  }
  return "direct";
}

std::string vantage_via(const Vantage& v) {
  switch (v.kind) {
    case Vantage::Kind::direct: return "direct";
    case Vantage::Kind::source: return "source " + v.value;
    case Vantage::Kind::interface: return "interface " + v.value;
    case Vantage::Kind::proxy: return "proxy " + v.value;
  }
  return "direct";
}

RequestSpec from_vantage(const RequestSpec& base, const Vantage& v) {
  RequestSpec spec = base;
  switch (v.kind) {
    case Vantage::Kind::direct: break;
    case Vantage::Kind::source: spec.interface = "host!" + v.value; break;
    case Vantage::Kind::interface: spec.interface = "if!" + v.value; break;
    case Vantage::Kind::proxy:
      spec.proxy = v.value;
      spec.proxy_from_env = false;
      spec.noproxy.clear();
      spec.proxy_auth.clear();
      spec.proxy_ca_file = v.proxy_ca_file;
      break;
  }
  return spec;
}

}  // namespace probewise
