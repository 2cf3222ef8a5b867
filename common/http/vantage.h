// SPDX-License-Identifier: GPL-2.0-or-later
// Where a request leaves from (SPEC 1.7): a vantage of check_probewise's
// --vantage, as given and as it changes the request. The proxy credentials
// of a vantage come from a file that the caller reads.
#pragma once

#include <string>
#include <string_view>

#include "base/expected.h"
#include "http/request_spec.h"

namespace probewise {

struct Vantage {
  enum class Kind {
    direct,     // the check's own way out (with --source-address / --interface / -x if given)
    source,     // from a source address of this host
    interface,  // from an interface of this host
    proxy,      // through an HTTP, HTTPS or SOCKS proxy
  };
  std::string name;  // letters, digits, '_', '-', '.': a perfdata label and a JSON value
  Kind kind = Kind::direct;
  std::string value;            // the address, interface name or proxy URL
  std::string proxy_auth_file;  // proxy: "user:password" on the first line of this file ("" = none)
  std::string proxy_ca_file;    // https:// proxy: the CA to verify it with ("" = the system's)
};

// "eu1=source:192.0.2.10", "eu1=interface:eth1", "eu1=via:http://proxy:3128",
// "eu1=via:socks5h://proxy:1080,proxy-auth-file=/etc/probewise/eu1.auth",
// "eu1=via:https://proxy:3129,proxy-ca-cert=/etc/probewise/proxy-ca.pem",
// "here=direct". The error says what is wrong, without the value's secrets.
Expected<Vantage> parse_vantage(std::string_view text);

// "source:192.0.2.10", as given (without the credentials file).
std::string vantage_definition(const Vantage& v);
// "source 192.0.2.10", "interface eth1", "proxy http://proxy:3128", "direct": for people.
std::string vantage_via(const Vantage& v);

// CURLOPT_INTERFACE for --source-address ("host!ADDRESS") and --interface
// ("if!NAME"); "" and the reason when the value is not one.
Expected<std::string> source_address_interface(std::string_view address);
Expected<std::string> interface_interface(std::string_view name);

// `base` as it leaves from `v`. A proxy vantage uses its proxy alone (not the
// environment's, not --noproxy, not -b's credentials: the caller sets the
// vantage's own in proxy_auth).
RequestSpec from_vantage(const RequestSpec& base, const Vantage& v);

}  // namespace probewise
