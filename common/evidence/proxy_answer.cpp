// SPDX-License-Identifier: GPL-2.0-or-later
#include "evidence/proxy_answer.h"

#include <cctype>
#include <optional>

#include "base/text.h"

namespace probewise {
namespace {

// Headers that only a proxy's own answer carries.
struct Marker {
  std::string_view header;
  std::string_view product;  // "" = the product of the Server header, else "a proxy"
  int not_status;            // the marker does not count on this status (0 = always counts)
};

constexpr Marker kMarkers[] = {
    {"X-Squid-Error", "Squid", 0},
    // A challenge for the proxy's own credentials on anything but a 407.
    {"Proxy-Authenticate", "", 407},
};

// Proxy error codes (Squid's X-Squid-Error values; the error page names the same).
struct ProxyError {
  std::string_view code;
  std::string_view reason;
  std::string_view detail;
};

constexpr ProxyError kErrors[] = {
    {"ERR_ACCESS_DENIED", "forbidden.permission",
     "its access rules do not allow this request ({code}): the user, the source address, the destination or "
     "the port"},
    {"ERR_CACHE_ACCESS_DENIED", "auth.proxy_required", "it wants proxy credentials ({code})"},
    {"ERR_FORWARDING_DENIED", "forbidden.permission", "it may not forward this request ({code})"},
};

// "squid/5.7" -> "squid"
std::string_view product_token(std::string_view s) {
  s = trim(s);
  std::size_t n = 0;
  while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) != 0 || s[n] == '-' || s[n] == '_'))
    ++n;
  return s.substr(0, n);
}

// The proxy named by both Server and a Via comment ("1.1 vm (squid/5.7)").
std::optional<std::string> server_is_via(const HeaderMap& headers) {
  auto server = headers.get("Server");
  if (!server) return std::nullopt;
  std::string_view product = product_token(*server);
  if (product.size() < 3) return std::nullopt;
  for (auto via : headers.all("Via")) {
    auto open = via.find('(');
    if (open == std::string_view::npos) continue;
    if (iequals(product_token(via.substr(open + 1)), product)) return std::string(product);
  }
  return std::nullopt;
}

std::string named(std::string_view product) {
  return "the proxy (" + std::string(product) + ")";
}

std::string fill(std::string_view tmpl, std::string_view code) {
  std::string out(tmpl);
  auto at = out.find("{code}");
  if (at != std::string::npos) out.replace(at, 6, code);
  return out;
}

}  // namespace

std::string proxy_origin(const HeaderMap& headers) {
  for (const auto& m : kMarkers) {
    if (!headers.get(m.header)) continue;
    if (!m.product.empty()) return named(m.product);
    if (auto product = server_is_via(headers)) return named(*product);
    return "a proxy";
  }
  if (auto product = server_is_via(headers)) return named(*product);
  return "";
}

Signals proxy_signals(const HeaderMap& headers, int status) {
  std::string by;
  for (const auto& m : kMarkers)
    if (headers.get(m.header) && m.not_status != status) by = proxy_origin(headers);
  if (by.empty() && status != 407) by = proxy_origin(headers);
  if (by.empty() || status < 400) return {};
  Signal s;
  s.by = by;
  s.strength = Strength::explicit_;
  auto code_header = headers.get("X-Squid-Error");
  std::string_view code = code_header ? product_token(*code_header) : std::string_view();
  s.evidence = code_header ? "X-Squid-Error: " + std::string(trim(*code_header))
                           : "Server: " + std::string(headers.get("Server").value_or("")) +
                                 " (the proxy's own answer)";
  for (const auto& e : kErrors) {
    if (!iequals(e.code, code)) continue;
    s.reason = std::string(e.reason);
    s.detail = by + " refused the request itself: " + fill(e.detail, e.code);
    return {s};
  }
  // A proxy's own answer without a code we know: who answered, not why.
  s.strength = Strength::presence;
  s.reason = "forbidden.unspecified";
  s.detail = by + " answered itself, not the target";
  return {s};
}

}  // namespace probewise
