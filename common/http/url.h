// SPDX-License-Identifier: GPL-2.0-or-later
// What the request needs to know about URLs: their origin (scheme, host,
// port: where credentials may go, SPEC 1.6), their port, their userinfo, and
// libcurl's CONNECT_TO entries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace probewise {

struct Origin {
  std::string scheme;  // lower case
  std::string host;    // as libcurl parses it ("[::1]" for IPv6)
  int port = 0;        // the explicit port, else the scheme's

  // Scheme and host compare case-insensitively.
  bool operator==(const Origin& other) const;
  bool operator!=(const Origin& other) const { return !(*this == other); }
  // "https://other.example:8443", never with userinfo.
  std::string text() const;
};

// The origin of an absolute URL, as libcurl parses it; nullopt when it
// cannot (a Location libcurl could not resolve).
std::optional<Origin> origin_of(const std::string& url);

// The port a URL's first connection goes to: the explicit one, or the
// scheme's. Without libcurl, for the result's messages; 0 without a scheme.
int port_of(std::string_view url);

// Whether "scheme://user:pw@host/" carries userinfo, and the URL without it.
bool has_userinfo(std::string_view url);
std::string without_userinfo(std::string_view url);

// A CURLOPT_CONNECT_TO entry that sends every request to host (and port)
// instead: "::host:port", "::host:", "" when neither is given.
std::string connect_to_entry(const std::string& host, int port);

}  // namespace probewise
