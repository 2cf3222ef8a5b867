// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/url.h"

#include "base/text.h"
#include "http/curl_handles.h"
#include "http/request.h"

namespace probewise {
namespace {

std::string url_part(CURLU* u, CURLUPart what, unsigned flags = 0) {
  char* part = nullptr;
  if (curl_url_get(u, what, &part, flags) != CURLUE_OK || !part) return "";
  std::string out = part;
  curl_free(part);
  return out;
}

// The authority of "scheme://authority/...": [begin, end) in url, or
// begin == npos when there is no "://".
struct Authority {
  std::size_t begin = std::string_view::npos, end = 0;
};

Authority authority_of(std::string_view url) {
  Authority a;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return a;
  a.begin = scheme_end + 3;
  a.end = std::min(url.size(), url.find_first_of("/?#", a.begin));
  return a;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

}  // namespace

bool Origin::operator==(const Origin& other) const {
  return port == other.port && iequals(scheme, other.scheme) && iequals(host, other.host);
}

std::string Origin::text() const {
  return scheme + "://" + host + ":" + std::to_string(port);
}

std::optional<Origin> origin_of(const std::string& url) {
  Url u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
  Origin o;
  o.scheme = to_lower(url_part(u.get(), CURLUPART_SCHEME));
  o.host = url_part(u.get(), CURLUPART_HOST);
  o.port = std::atoi(url_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).c_str());
  return o;
}

bool valid_url(const std::string& url) {
  auto o = origin_of(url);
  return o && (o->scheme == "http" || o->scheme == "https") && !o->host.empty();
}

int port_of(std::string_view url) {
  const Authority a = authority_of(url);
  if (a.begin == std::string_view::npos) return 0;
  const int fallback = iequals(url.substr(0, a.begin - 3), "https") ? 443 : 80;
  std::string_view authority = url.substr(a.begin, a.end - a.begin);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    authority.remove_prefix(close == std::string_view::npos ? authority.size() : close + 1);
  }
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == authority.size()) return fallback;
  int port = 0;
  for (char c : authority.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return fallback;
    port = port * 10 + (c - '0');
  }
  return port;
}

bool has_userinfo(std::string_view url) {
  const Authority a = authority_of(url);
  return a.begin != std::string_view::npos &&
         url.substr(a.begin, a.end - a.begin).find('@') != std::string_view::npos;
}

std::string without_userinfo(std::string_view url) {
  const Authority a = authority_of(url);
  if (a.begin == std::string_view::npos) return std::string(url);
  const auto at = url.substr(a.begin, a.end - a.begin).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, a.begin)) + std::string(url.substr(a.begin + at + 1));
}

std::string connect_to_entry(const std::string& host, int port) {
  if (host.empty() && port == 0) return "";
  return "::" + (host.empty() ? std::string() : bracketed(host)) + ":" + (port ? std::to_string(port) : "");
}

}  // namespace probewise
